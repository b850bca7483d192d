package frames

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// RealtimeRequest says how to frame one service's real-time seconds.
type RealtimeRequest struct {
	Metrics      []catalog.Metric
	ServiceID    string
	ServiceName  string
	POPs         []string // keep only these POPs; empty keeps all
	ByPOP        bool     // one series per POP; otherwise one series (all POPs, or the sum of POPs)
	LegendFormat string
	// Kind whose formulas compute derived metrics: "" means catalog.KindRealtime; live
	// Origin/Domain Inspector channels set KindOrigins or KindDomains.
	Kind catalog.Kind
}

// RealtimeSpan is a run of seconds to frame: every second From..To gets a row (zero where
// Fastly sent nothing, since real-time leaves out idle seconds, POPs and keys), and a lost
// stretch LostFrom..LostTo (Fastly no longer held it) gets null rows at both ends, so graphs
// break there instead of drawing a line across.
type RealtimeSpan struct {
	From, To         int64
	LostFrom, LostTo int64
	Seconds          []fastly.RealtimeSecond
	Fields           *fastly.RealtimeFields
}

// RealtimeBuilder frames a channel's seconds as one data-plane timeseries-wide frame: a time
// field, then one nullable float field per metric and series. Its series set only grows (a
// POP that appears stays, at zero when idle), so a live stream resends its schema only when
// a POP appears. Not safe for concurrent use.
type RealtimeBuilder struct {
	r    RealtimeRequest
	keys []string // series: "" for one series, POP codes when ByPOP
	plan map[*fastly.RealtimeFields][]metricPlan
}

// NewRealtimeBuilder starts a builder; with ByPOP and a POP list, the series are fixed.
func NewRealtimeBuilder(r RealtimeRequest) *RealtimeBuilder {
	b := &RealtimeBuilder{r: r, plan: map[*fastly.RealtimeFields][]metricPlan{}}
	switch {
	case !r.ByPOP:
		b.keys = []string{""}
	case len(r.POPs) > 0:
		b.keys = append([]string(nil), r.POPs...)
	}
	return b
}

// Frame builds the rows of spans (in time order). grew reports that the series set changed
// since the previous call, so a stream must send the schema again.
func (b *RealtimeBuilder) Frame(spans []RealtimeSpan) (frame *data.Frame, grew bool) {
	if b.r.ByPOP && len(b.r.POPs) == 0 {
		grew = b.discover(spans)
	}
	rows := 0
	for _, s := range spans {
		rows += lostRows(s) + int(max(s.To-s.From+1, 0))
	}
	times := make([]time.Time, 0, rows)
	cols := make([][]*float64, len(b.r.Metrics)*len(b.keys))
	for c := range cols {
		cols[c] = make([]*float64, 0, rows)
	}
	var zero, sum fastly.RealtimeStats
	for _, s := range spans {
		if s.LostTo > 0 && s.LostTo >= s.LostFrom {
			for _, t := range []int64{s.LostFrom, s.LostTo}[:lostRows(s)] {
				times = append(times, unix(t))
				for c := range cols {
					cols[c] = append(cols[c], nil)
				}
			}
		}
		plans := b.plansFor(s.Fields)
		zero.Values = growZero(zero.Values, s.Fields.Len())
		k := 0
		for t := s.From; t <= s.To; t++ {
			for k < len(s.Seconds) && s.Seconds[k].Recorded < t {
				k++
			}
			var sec *fastly.RealtimeSecond
			if k < len(s.Seconds) && s.Seconds[k].Recorded == t {
				sec = &s.Seconds[k]
			}
			times = append(times, unix(t))
			for ki, key := range b.keys {
				st := b.stats(sec, key, &zero, &sum, s.Fields.Len())
				for mi, mp := range plans {
					c := mi*len(b.keys) + ki
					cols[c] = append(cols[c], mp.value(st))
				}
			}
		}
	}
	fields := make([]*data.Field, 0, 1+len(cols))
	fields = append(fields, data.NewField("time", nil, times))
	for mi, m := range b.r.Metrics {
		for ki, key := range b.keys {
			fields = append(fields, b.field(m, key, cols[mi*len(b.keys)+ki]))
		}
	}
	frame = data.NewFrame("", fields...)
	frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesWide, TypeVersion: data.FrameTypeVersion{0, 1}})
	return frame, grew
}

func lostRows(s RealtimeSpan) int {
	switch {
	case s.LostTo <= 0 || s.LostTo < s.LostFrom:
		return 0
	case s.LostTo == s.LostFrom:
		return 1
	}
	return 2
}

func unix(t int64) time.Time { return time.Unix(t, 0).UTC() }

// discover adds POPs seen in spans to the series set, in code order.
func (b *RealtimeBuilder) discover(spans []RealtimeSpan) bool {
	grew := false
	for _, s := range spans {
		for _, sec := range s.Seconds {
			for _, p := range sec.POPs {
				if i, found := slices.BinarySearch(b.keys, p.POP); !found {
					b.keys = slices.Insert(b.keys, i, p.POP)
					grew = true
				}
			}
		}
	}
	return grew
}

// stats picks the measurements of one series in one second: the aggregate, one POP, or the
// sum of the chosen POPs. Absent means zero.
func (b *RealtimeBuilder) stats(sec *fastly.RealtimeSecond, key string, zero, sum *fastly.RealtimeStats, n int) *fastly.RealtimeStats {
	if sec == nil {
		return zero
	}
	switch {
	case key != "":
		if i, ok := slices.BinarySearchFunc(sec.POPs, key, func(p fastly.POPStats, k string) int { return strings.Compare(p.POP, k) }); ok {
			return &sec.POPs[i].RealtimeStats
		}
		return zero
	case len(b.r.POPs) == 0:
		if len(sec.Aggregated.Values) < n {
			return zero
		}
		return &sec.Aggregated
	}
	sum.Values = growZero(sum.Values, n)
	sum.MissHistogram = sum.MissHistogram[:0]
	for _, p := range sec.POPs {
		if !slices.Contains(b.r.POPs, p.POP) {
			continue
		}
		for i, v := range p.Values {
			if i < n {
				sum.Values[i] += v
			}
		}
		sum.MissHistogram = append(sum.MissHistogram, p.MissHistogram...)
	}
	return sum
}

func growZero(v []float64, n int) []float64 {
	if cap(v) < n {
		return make([]float64, n)
	}
	v = v[:n]
	clear(v)
	return v
}

// field wraps one series' values with labels, unit and display name. Field names carry the
// POP as well as the metric, because Grafana's streaming buffer matches fields by name when a
// new schema arrives.
func (b *RealtimeBuilder) field(m catalog.Metric, pop string, vals []*float64) *data.Field {
	labels := data.Labels{"metric": m.Name, "service": b.r.ServiceID, "service_name": b.r.ServiceName}
	name := m.Name
	if pop != "" {
		labels["pop"] = pop
		name += " " + pop
	}
	f := data.NewField(name, labels, vals)
	unit := m.Unit
	if m.IsCount() {
		unit = catalog.RateUnit(m) // one-second buckets: a count is already a rate
	}
	f.Config = &data.FieldConfig{Unit: unit, DisplayNameFromDS: realtimeLegend.name(b.r.LegendFormat, labels, m)}
	return f
}

// metricPlan computes one metric from a second's measurements.
type metricPlan struct {
	fields   *fastly.RealtimeFields // where each field sits in a second's values
	num      []int                  // a field Fastly sends: its index (none when not decoded)
	formula  *catalog.Formula       // how to compute a derived metric; nil for a field Fastly sends
	scale    float64                // a field's real-time scale (RealtimeScale)
	latency  bool                   // a quantile of the Origin Inspector latency bucket fields, not of miss_histogram
	nullZero bool                   // a native ratio Fastly left out means no traffic
}

func (b *RealtimeBuilder) plansFor(f *fastly.RealtimeFields) []metricPlan {
	if p, ok := b.plan[f]; ok {
		return p
	}
	kind := b.r.Kind
	if kind == "" {
		kind = catalog.KindRealtime
	}
	plans := make([]metricPlan, len(b.r.Metrics))
	for i, m := range b.r.Metrics {
		p := metricPlan{fields: f, scale: 1}
		if formula := m.FormulaFor(kind); formula != nil {
			p.formula = formula
			p.latency = formula.Quantile > 0 && kind == catalog.KindOrigins
		} else {
			if j, ok := f.Index(m.Name); ok {
				p.num = []int{j}
			}
			p.nullZero = m.Ratio
			if m.RealtimeScale != 0 {
				p.scale = m.RealtimeScale
			}
		}
		plans[i] = p
	}
	b.plan[f] = plans
	return plans
}

// value is one second's value of the plan's metric, nil when unknown (see Formula.Value).
func (p metricPlan) value(st *fastly.RealtimeStats) *float64 {
	get := func(field string) float64 { // a formula's input: 0 when the second lacks it
		if i, ok := p.fields.Index(field); ok && i < len(st.Values) {
			return st.Values[i]
		}
		return 0
	}
	var v float64
	switch {
	case p.formula != nil && p.latency:
		q, ok := p.formula.Percentile(get)
		if !ok {
			return nil
		}
		return &q
	case p.formula != nil && p.formula.Quantile > 0:
		buckets := make([]catalog.Bucket, 0, len(st.MissHistogram))
		for _, bin := range st.MissHistogram {
			if bk, ok := catalog.MissHistogramBucket(formatMs(bin.UpperMs)); ok {
				bk.Count = bin.Count
				buckets = append(buckets, bk)
			}
		}
		q, ok := catalog.Quantile(buckets, p.formula.Quantile)
		if !ok {
			return nil
		}
		return &q
	case p.formula != nil:
		var ok bool
		num, den := p.formula.Sums(get)
		if v, ok = p.formula.Value(num, den, 1); !ok {
			return nil
		}
	default:
		v = sumAt(st.Values, p.num) * p.scale
		if p.nullZero && v == 0 {
			return nil
		}
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func sumAt(vals []float64, idx []int) float64 {
	var s float64
	for _, i := range idx {
		if i < len(vals) {
			s += vals[i]
		}
	}
	return s
}

// formatMs spells a histogram bound the way Fastly keys miss_histogram.
func formatMs(ms float64) string { return strconv.FormatFloat(ms, 'f', -1, 64) }
