package frames

import (
	"math"
	"sort"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// TopServices keeps the n services whose rank columns add up to the most over the whole
// payload, and sums every other service into one series under otherID, bucket by bucket, so a
// panel of 1,000 services shows the few that matter and the size of the rest. Ratio columns
// cannot be summed: "other" has none (NaN), which the frames show as empty, never 0.
func TopServices(p *fastly.StatsPayload, specs []fastly.FieldSpec, rank []int, n int, otherID string) *fastly.StatsPayload {
	if len(p.Services) <= n {
		return p
	}
	totals := make([]float64, len(p.Services))
	for i, s := range p.Services {
		for _, c := range rank {
			totals[i] += columnSum(s.Columns[c])
		}
	}
	order := make([]int, len(p.Services))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return totals[order[a]] > totals[order[b]] })
	out := &fastly.StatsPayload{Meta: p.Meta}
	for _, i := range order[:n] {
		out.Services = append(out.Services, p.Services[i])
	}
	rest := make([]fastly.ServiceStats, 0, len(order)-n)
	for _, i := range order[n:] {
		rest = append(rest, p.Services[i])
	}
	out.Services = append(out.Services, sumServices(rest, specs, otherID))
	return out
}

func columnSum(c fastly.StatsColumn) float64 {
	total := 0.0
	for _, v := range c.Ints {
		total += float64(v)
	}
	for _, v := range c.Floats {
		if !math.IsNaN(v) {
			total += v
		}
	}
	return total
}

// sumServices adds services together per bucket start.
func sumServices(services []fastly.ServiceStats, specs []fastly.FieldSpec, id string) fastly.ServiceStats {
	slot := map[int64]int{}
	var times []int64
	for _, s := range services {
		for _, t := range s.StartTimes {
			if _, ok := slot[t]; !ok {
				slot[t] = 0
				times = append(times, t)
			}
		}
	}
	sort.Slice(times, func(a, b int) bool { return times[a] < times[b] })
	for i, t := range times {
		slot[t] = i
	}
	sum := fastly.ServiceStats{ServiceID: id, StartTimes: times, Columns: make([]fastly.StatsColumn, len(specs))}
	for c, spec := range specs {
		switch {
		case !spec.Float:
			sum.Columns[c].Ints = make([]int64, len(times))
		case spec.Ratio:
			sum.Columns[c].Floats = nanColumn(len(times))
		default:
			sum.Columns[c].Floats = make([]float64, len(times))
		}
	}
	for _, s := range services {
		for r, t := range s.StartTimes {
			i := slot[t]
			for c, spec := range specs {
				switch {
				case !spec.Float:
					sum.Columns[c].Ints[i] += s.Columns[c].Ints[r]
				case !spec.Ratio:
					sum.Columns[c].Floats[i] += s.Columns[c].Floats[r]
				}
			}
		}
	}
	return sum
}
