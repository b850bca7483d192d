package frames

import (
	"math"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// InspectorRequest says how to frame Origin or Domain Inspector answers.
type InspectorRequest struct {
	Kind      catalog.Kind // catalog.KindOrigins or catalog.KindDomains
	Metrics   []catalog.Metric
	From, To  time.Time
	Step      int64     // bucket length in seconds
	Now       time.Time // buckets Fastly may still fill are judged against it
	PerSecond bool
	// ByService keeps one series per service (labelled with it); otherwise services with the
	// same other dimensions are added together, and ratios come from the summed counts.
	ByService bool
	// Dimensions are the API dimensions the answers were grouped by (host or domain,
	// datacenter, region), which become labels.
	Dimensions   []string
	ServiceNames map[string]string
	LegendFormat string
	Notices      []data.Notice
}

// dimensionLabels maps the inspector API's dimension names to the label names the rest of the
// plugin uses, so a dashboard can join an inspector panel with a stats panel on "pop".
var dimensionLabels = map[string]string{
	"host":       "origin",
	"domain":     "domain",
	"datacenter": "pop",
	"region":     "region",
}

// inspectorGroup is one output series: its labels and every field laid on the grid. A field
// value is NaN where no answer carried it.
type inspectorGroup struct {
	labels  data.Labels
	sources int // how many API series were added into it
	present []bool
	values  map[string][]float64
}

// InspectorFrames builds data-plane timeseries-multi frames, one per series and metric, on a
// complete grid from From to To. Fastly's values are sparse: an absent count is 0 and an absent
// ratio or percentile is null (no traffic), except in recent buckets Fastly may still fill,
// which are null when absent. A histogram metric (the latency heatmap) is one frame per series
// with a field per bucket.
func InspectorFrames(results []*fastly.InspectorResult, r InspectorRequest) (data.Frames, error) {
	g := newGrid(r.From, r.To, r.Step)
	settledUntil := settledBefore(r.Now, r.Step)
	groups := groupInspector(results, r, g)
	for _, grp := range groups {
		if grp.sources < 2 {
			continue
		}
		for _, m := range r.Metrics {
			if m.Ratio && m.FormulaFor(r.Kind) == nil {
				return nil, &RatioSumError{Metric: m.Name, Per: "series", Across: "services or dimensions", Fix: "group by service (or by the dimension you want)"}
			}
		}
	}
	var frames data.Frames
	for _, grp := range groups {
		for _, m := range r.Metrics {
			if m.Histogram {
				frames = append(frames, heatmapFrame(grp, m, r, g, settledUntil))
				continue
			}
			frames = append(frames, inspectorSeriesFrame(grp, m, r, g, settledUntil))
		}
	}
	notices := withStillFilling(r.Notices, g, settledUntil)
	if len(frames) == 0 {
		empty := data.NewFrame("")
		empty.SetMeta(timeSeriesMeta())
		frames = data.Frames{empty}
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: "Fastly reported no traffic for these filters in this time range."})
	}
	if frames[0].Meta == nil {
		frames[0].SetMeta(&data.FrameMeta{})
	}
	frames[0].Meta.Notices = append(frames[0].Meta.Notices, notices...)
	return frames, nil
}

// groupInspector lays every API series on the grid under its output labels. Without any
// dimension to split by, every service (or their sum) gets a series even when Fastly sent
// nothing, so an idle origin reads as zero rather than as no data.
func groupInspector(results []*fastly.InspectorResult, r InspectorRequest, g grid) []*inspectorGroup {
	byKey := map[string]*inspectorGroup{}
	var order []string
	get := func(labels data.Labels) *inspectorGroup {
		key := labels.String()
		grp, ok := byKey[key]
		if !ok {
			grp = &inspectorGroup{labels: labels, present: make([]bool, g.count), values: map[string][]float64{}}
			byKey[key] = grp
			order = append(order, key)
		}
		return grp
	}
	for _, res := range results {
		if res == nil {
			continue
		}
		base := data.Labels{}
		if r.ByService {
			base["service"] = res.ServiceID
			base["service_name"] = serviceName(r.ServiceNames, res.ServiceID)
		}
		if len(r.Dimensions) == 0 {
			get(base.Copy())
		}
		for _, s := range res.Series {
			labels := base.Copy()
			for _, dim := range r.Dimensions {
				if name, ok := dimensionLabels[dim]; ok {
					labels[name] = s.Dimensions[dim]
				}
			}
			grp := get(labels)
			grp.sources++
			grp.add(s, g)
		}
	}
	sort.Strings(order)
	out := make([]*inspectorGroup, 0, len(order))
	for _, k := range order {
		out = append(out, byKey[k])
	}
	return out
}

// add sums one API series into the group.
func (grp *inspectorGroup) add(s fastly.InspectorSeries, g grid) {
	for ts, vals := range s.Buckets {
		i := g.slot(ts)
		if i < 0 {
			continue
		}
		grp.present[i] = true
		for name, v := range vals {
			col := grp.values[name]
			if col == nil {
				col = nanColumn(g.count)
				grp.values[name] = col
			}
			addValue(&col[i], v)
		}
	}
}

// raw is a field's value in bucket i, NaN when Fastly did not send it.
func (grp *inspectorGroup) raw(name string, i int) float64 {
	if col := grp.values[name]; col != nil {
		return col[i]
	}
	return math.NaN()
}

// count is a counter's value in bucket i: absent means nothing happened, so 0.
func (grp *inspectorGroup) count(name string, i int) float64 {
	if v := grp.raw(name, i); !math.IsNaN(v) {
		return v
	}
	return 0
}

// inspectorSeriesFrame computes one metric of one series on the grid.
func inspectorSeriesFrame(grp *inspectorGroup, m catalog.Metric, r InspectorRequest, g grid, settledUntil int64) *data.Frame {
	times := gridTimes(g)
	labels := grp.labels.Copy()
	labels["metric"] = m.Name
	out := make([]*float64, g.count)
	formula := m.FormulaFor(r.Kind)
	step := float64(g.step)
	for i := range out {
		if !grp.present[i] && g.mayStillFill(i, settledUntil) {
			continue // not reported yet: unknown, not zero
		}
		v, ok := inspectorValue(grp, m, formula, i, step, r.PerSecond)
		if ok {
			out[i] = &v
		}
	}
	unit := m.Unit
	if r.PerSecond && m.IsCount() {
		unit = catalog.RateUnit(m)
	}
	values := data.NewField(m.Name, labels, out)
	values.Config = &data.FieldConfig{Unit: unit, DisplayNameFromDS: inspectorLegend.name(r.LegendFormat, labels, m)}
	frame := data.NewFrame(m.Name, data.NewField("time", nil, times), values)
	frame.SetMeta(timeSeriesMeta())
	return frame
}

// inspectorValue is one bucket's value of m; ok is false when it is null (a ratio or a
// percentile of no traffic).
func inspectorValue(grp *inspectorGroup, m catalog.Metric, f *catalog.Formula, i int, step float64, perSecond bool) (float64, bool) {
	var v float64
	switch {
	case f != nil && f.Quantile > 0:
		return f.Percentile(func(field string) float64 { return grp.count(field, i) })
	case f != nil:
		num, den := f.Sums(func(field string) float64 { return grp.count(field, i) })
		return f.Value(num, den, step)
	case m.NullWhenIdle():
		v = grp.raw(m.Name, i)
		if math.IsNaN(v) {
			return 0, false
		}
		return v, true
	default:
		v = grp.count(m.Name, i)
		if perSecond && m.IsCount() {
			v /= step
		}
	}
	return v, true
}

func gridTimes(g grid) []time.Time {
	times := make([]time.Time, g.count)
	for i := range times {
		times[i] = time.Unix(g.start+int64(i)*g.step, 0).UTC()
	}
	return times
}
