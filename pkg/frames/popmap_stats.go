package frames

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// POPStats is Fastly's stats answer for one POP: the query sent with `datacenter` set to Code.
type POPStats struct {
	Code    string
	Payload *fastly.StatsPayload
}

// StatsPOPMapRequest says how to frame a historical POP map.
type StatsPOPMapRequest struct {
	Metrics  []catalog.Metric
	Fields   []fastly.FieldSpec // the payloads' column order
	From, To time.Time
	Step     int64     // bucket length in seconds
	Now      time.Time // buckets Fastly may still fill are judged against it
	// PerSecond turns each count into its mean rate over the range.
	PerSecond bool
	// Service and ServiceName label every row when the map is of one service; "" when several
	// services are summed.
	Service, ServiceName string
	// Listed keeps a row for every POP asked for, null where Fastly sent no bucket; otherwise
	// (every POP) only POPs with traffic get a row.
	Listed  bool
	Notices []data.Notice
}

// StatsPOPMap sums each POP's answer over the range into one table row per POP, with its name
// and coordinates (the shape Geomap reads, as POPMap makes for the other query types).
//
// A POP Fastly sent no bucket for has no traffic in the range, or does not exist for the
// stats API: every metric of its row is null, never 0. Where it sent buckets, a count is the
// sum of what it reported (0 included) and a ratio or a rate is its catalog formula over those
// sums and the range's length, so a POP's hit ratio weighs every bucket by its traffic. A
// ratio Fastly computes per bucket (no formula in the catalog) cannot be summed and is refused.
func StatsPOPMap(perPOP []POPStats, pops []fastly.POP, r StatsPOPMapRequest) (*data.Frame, error) {
	if err := SummableOverRange(r.Metrics); err != nil {
		return nil, err
	}
	g := newGrid(r.From, r.To, r.Step)
	end := g.start + int64(g.count)*g.step
	seconds := float64(end - g.start)
	units := map[string]string{}
	names := make([]string, len(r.Metrics))
	for i, m := range r.Metrics {
		names[i] = m.Name
		units[m.Name] = m.Unit
		if r.PerSecond && m.IsCount() {
			units[m.Name] = catalog.RateUnit(m)
		}
	}
	var rows []*popRow
	for _, p := range perPOP {
		sums, present := fieldSums(p.Payload, r.Fields, g.start, end)
		if !present && !r.Listed {
			continue
		}
		row := &popRow{pop: p.Code, service: r.Service, serviceName: r.ServiceName, values: map[string]*float64{}}
		if present {
			for _, m := range r.Metrics {
				row.values[m.Name] = popValue(m, sums, r, seconds)
			}
		}
		rows = append(rows, row)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].pop < rows[j].pop })
	frame := popMapFrame(rows, names, units, pops)
	frame.Meta.Notices = withStillFilling(r.Notices, g, settledBefore(r.Now, r.Step))
	return frame, nil
}

// SummableOverRange refuses metrics a historical POP map cannot add up over its range: ratios
// Fastly computes per bucket (no catalog formula) and quantiles. Callers check before asking
// Fastly for anything.
func SummableOverRange(metrics []catalog.Metric) error {
	for _, m := range metrics {
		if f := m.FormulaFor(catalog.KindHistorical); (f == nil && m.Ratio) || (f != nil && f.Quantile > 0) {
			return fmt.Errorf("%s is a ratio Fastly computes per bucket, so a POP map cannot add it up over the range: use a time series, or a metric the plugin computes from counts (hit_ratio, error_ratio)", m.Name)
		}
	}
	return nil
}

// fieldSums adds up each field over every service's buckets starting in [lo, hi); present
// says whether there was any such bucket.
func fieldSums(p *fastly.StatsPayload, fields []fastly.FieldSpec, lo, hi int64) (map[string]float64, bool) {
	sums := make(map[string]float64, len(fields))
	present := false
	for i, f := range fields {
		sum, n := BucketSum(p, i, lo, hi)
		sums[f.Name] = sum
		present = present || n > 0
	}
	return sums, present
}

// BucketSum adds up column col of every service's buckets starting in [lo, hi) (a value a
// bucket lacks counts as nothing) and says how many buckets it found.
func BucketSum(p *fastly.StatsPayload, col int, lo, hi int64) (float64, int) {
	if p == nil {
		return 0, 0
	}
	var sum float64
	n := 0
	for _, s := range p.Services {
		c := s.Columns[col]
		for i, t := range s.StartTimes {
			if t < lo || t >= hi {
				continue
			}
			n++
			switch {
			case c.Ints != nil:
				sum += float64(c.Ints[i])
			case c.Floats != nil && !math.IsNaN(c.Floats[i]):
				sum += c.Floats[i]
			}
		}
	}
	return sum, n
}

// popValue is one metric of one POP from its range sums.
func popValue(m catalog.Metric, sums map[string]float64, r StatsPOPMapRequest, seconds float64) *float64 {
	v := sums[m.Name]
	if f := m.FormulaFor(catalog.KindHistorical); f != nil {
		var ok bool
		num, den := f.Sums(func(name string) float64 { return sums[name] })
		if v, ok = f.Value(num, den, seconds); !ok {
			return nil // a ratio of no traffic: unknown, not zero
		}
	}
	if r.PerSecond && m.IsCount() {
		if seconds <= 0 {
			return nil
		}
		v /= seconds
	}
	return &v
}
