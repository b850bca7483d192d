// Package frames turns decoded Fastly results into Grafana data frames. Its functions are pure:
// no I/O, no clock, so every frame can be golden-tested.
package frames

import (
	"math"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// StatsRequest says how to frame one historical stats answer.
type StatsRequest struct {
	Metrics   []catalog.Metric
	Fields    []fastly.FieldSpec // the fields decoded, in the payload's column order
	From, To  time.Time
	Step      int64     // bucket length in seconds
	Now       time.Time // buckets Fastly may still fill are judged against it
	PerSecond bool
	// ByService keeps one series per service, labelled with it (also right for a single
	// service); otherwise services are added together first, so ratios come from summed counts.
	ByService    bool
	ServiceNames map[string]string // id -> name, for labels and display names
	LegendFormat string
	Notices      []data.Notice // added to the first frame (e.g. a coarsened resolution)
	// UnknownBefore (Unix seconds, 0 for none) marks buckets Fastly may not keep: one absent
	// before it is unknown (null), not idle (docs/fastly-api.md, "Retention").
	UnknownBefore int64
}

// absentUnknown reports whether bucket i, when Fastly sent none, is unknown rather than idle:
// it may still be filling, or it may be past what Fastly keeps.
func (r StatsRequest) absentUnknown(g grid, i int, settledUntil int64) bool {
	return g.mayStillFill(i, settledUntil) || g.start+int64(i)*g.step < r.UnknownBefore
}

// StatsFrames builds data-plane timeseries-multi frames: one frame per series and metric, on a
// complete grid of buckets from From to To. Buckets Fastly left out are zero for counts and null
// for ratios; recent buckets Fastly may still fill are null when absent, and a notice says so.
func StatsFrames(p *fastly.StatsPayload, r StatsRequest) (data.Frames, error) {
	g := newGrid(r.From, r.To, r.Step)
	settledUntil := settledBefore(r.Now, r.Step)
	groups, err := groupSeries(p, r, g)
	if err != nil {
		return nil, err
	}
	var frames data.Frames
	for _, grp := range groups {
		for _, m := range r.Metrics {
			frames = append(frames, seriesFrame(grp, m, r, g, settledUntil))
		}
	}
	notices := withStillFilling(r.Notices, g, settledUntil)
	if len(frames) == 0 {
		frames = data.Frames{data.NewFrame("")}
		frames[0].SetMeta(timeSeriesMeta())
	}
	frames[0].Meta.Notices = append(frames[0].Meta.Notices, notices...)
	return frames, nil
}

// grid is the complete, aligned list of bucket starts a panel shows.
type grid struct {
	start, step int64
	count       int
}

func newGrid(from, to time.Time, step int64) grid {
	start := from.Unix() - mod(from.Unix(), step)
	end := to.Unix()
	count := 0
	if end > start {
		count = int((end - start + step - 1) / step)
	}
	return grid{start: start, step: step, count: count}
}

func mod(a, b int64) int64 { return ((a % b) + b) % b }

// slot is the grid index of a bucket start, or -1 when it lies outside the grid.
func (g grid) slot(t int64) int {
	if t < g.start || mod(t-g.start, g.step) != 0 {
		return -1
	}
	i := int((t - g.start) / g.step)
	if i >= g.count {
		return -1
	}
	return i
}

// dense holds one series' fields laid out on the grid.
type dense struct {
	serviceID string // "" for the sum over services
	present   []bool
	ints      [][]int64   // per field, nil for float fields
	floats    [][]float64 // per field, nil for int fields
}

func newDense(id string, fields []fastly.FieldSpec, n int) *dense {
	d := &dense{serviceID: id, present: make([]bool, n), ints: make([][]int64, len(fields)), floats: make([][]float64, len(fields))}
	for i, f := range fields {
		if f.Float {
			if f.Ratio {
				d.floats[i] = nanColumn(n) // no traffic until a record says otherwise
			} else {
				d.floats[i] = make([]float64, n)
			}
		} else {
			d.ints[i] = make([]int64, n)
		}
	}
	return d
}

// add places one service's records on the grid, summing into what is there.
func (d *dense) add(s fastly.ServiceStats, g grid) {
	for rec, t := range s.StartTimes {
		i := g.slot(t)
		if i < 0 {
			continue
		}
		d.present[i] = true
		for f, col := range s.Columns {
			if col.Floats != nil {
				addValue(&d.floats[f][i], col.Floats[rec])
			} else if col.Ints != nil {
				d.ints[f][i] += col.Ints[rec]
			}
		}
	}
}

// groupSeries lays the payload on the grid per service, or summed over services.
func groupSeries(p *fastly.StatsPayload, r StatsRequest, g grid) ([]*dense, error) {
	if !r.ByService {
		if len(p.Services) > 1 {
			for _, m := range r.Metrics {
				if m.Ratio && m.FormulaFor(catalog.KindHistorical) == nil {
					return nil, &RatioSumError{Metric: m.Name, Per: "service", Across: "services", Fix: "group by service"}
				}
			}
		}
		total := newDense("", r.Fields, g.count)
		for _, s := range p.Services {
			total.add(s, g)
		}
		return []*dense{total}, nil
	}
	out := make([]*dense, 0, len(p.Services))
	for _, s := range p.Services {
		d := newDense(s.ServiceID, r.Fields, g.count)
		d.add(s, g)
		out = append(out, d)
	}
	return out, nil
}

// nanColumn is a column of n values that no answer has carried yet.
func nanColumn(n int) []float64 {
	col := make([]float64, n)
	for i := range col {
		col[i] = math.NaN()
	}
	return col
}

// addValue sums v into *dst where NaN means "no value": NaN plus v is v, v plus NaN is v.
func addValue(dst *float64, v float64) {
	switch {
	case math.IsNaN(v):
	case math.IsNaN(*dst):
		*dst = v
	default:
		*dst += v
	}
}
