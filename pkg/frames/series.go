package frames

import (
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// timeSeriesMeta marks frames as the data plane's timeseries-multi, which alerting, recording
// rules and transformations rely on.
func timeSeriesMeta() *data.FrameMeta {
	return &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
}

// seriesFrame computes one metric for one series on the grid.
func seriesFrame(d *dense, m catalog.Metric, r StatsRequest, g grid, settledUntil int64) *data.Frame {
	times := make([]time.Time, g.count)
	for i := range times {
		times[i] = time.Unix(g.start+int64(i)*g.step, 0).UTC()
	}
	labels := seriesLabels(d, m, r)
	var values *data.Field
	if m.FormulaFor(catalog.KindHistorical) == nil && !m.Float && !(r.PerSecond && m.IsCount()) {
		values = data.NewField(m.Name, labels, exactCounts(d, m, r, g, settledUntil))
	} else {
		values = data.NewField(m.Name, labels, computed(d, m, r, g, settledUntil))
	}
	unit := m.Unit
	if r.PerSecond && m.IsCount() {
		unit = catalog.RateUnit(m)
	}
	values.Config = &data.FieldConfig{Unit: unit, DisplayNameFromDS: statsLegend.name(r.LegendFormat, labels, m)}
	frame := data.NewFrame(m.Name, data.NewField("time", nil, times), values)
	frame.SetMeta(timeSeriesMeta())
	return frame
}

// exactCounts keeps integer counters as int64, so totals beyond 2^53 stay exact.
func exactCounts(d *dense, m catalog.Metric, r StatsRequest, g grid, settledUntil int64) []*int64 {
	col := fieldIndex(r.Fields, m.Name)
	out := make([]*int64, g.count)
	values := d.ints[col] // laid out for this series and never changed again: point into it
	for i := range out {
		if !d.present[i] && r.absentUnknown(g, i, settledUntil) {
			continue // not reported yet: unknown, not zero
		}
		out[i] = &values[i]
	}
	return out
}

// computed handles floats, per-second rates and derived metrics.
func computed(d *dense, m catalog.Metric, r StatsRequest, g grid, settledUntil int64) []*float64 {
	out := make([]*float64, g.count)
	values := make([]float64, g.count) // one allocation backs every pointer
	formula := m.FormulaFor(catalog.KindHistorical)
	step := float64(g.step)
	for i := range out {
		if !d.present[i] && r.absentUnknown(g, i, settledUntil) {
			continue
		}
		var v float64
		switch {
		case formula != nil:
			var ok bool
			num, den := formula.Sums(func(name string) float64 { return countOf(d, r.Fields, name, i) })
			v, ok = formula.Value(num, den, step)
			if !ok {
				continue // e.g. a ratio of no traffic: unknown, not zero
			}
		default:
			v = fieldValue(d, r.Fields, m.Name, i)
			if math.IsNaN(v) {
				continue
			}
		}
		if r.PerSecond && m.IsCount() {
			v /= step // a count, Fastly's or a sum the plugin adds (all_requests)
		}
		values[i] = v
		out[i] = &values[i]
	}
	return out
}

// countOf is a field's value in bucket i, 0 when the bucket lacks it (a formula's input).
func countOf(d *dense, fields []fastly.FieldSpec, name string, i int) float64 {
	if v := fieldValue(d, fields, name, i); !math.IsNaN(v) {
		return v
	}
	return 0
}

func fieldValue(d *dense, fields []fastly.FieldSpec, name string, i int) float64 {
	col := fieldIndex(fields, name)
	if col < 0 {
		return math.NaN()
	}
	if d.floats[col] != nil {
		return d.floats[col][i]
	}
	return float64(d.ints[col][i])
}

func fieldIndex(fields []fastly.FieldSpec, name string) int {
	for i, f := range fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// seriesLabels carries the dimensions: which service (by id and name) and which metric.
func seriesLabels(d *dense, m catalog.Metric, r StatsRequest) data.Labels {
	labels := data.Labels{"metric": m.Name}
	if d.serviceID != "" {
		labels["service"] = d.serviceID
		labels["service_name"] = serviceName(r.ServiceNames, d.serviceID)
	}
	return labels
}

func serviceName(names map[string]string, id string) string {
	if n := names[id]; n != "" {
		return n
	}
	return id
}
