package catalog

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFormulaValue(t *testing.T) {
	for name, tc := range map[string]struct {
		f              Formula
		num, den, step float64
		want           float64
		ok             bool
	}{
		"ratio":              {Formula{Numerator: []string{"hits"}, Denominator: []string{"requests"}}, 30, 120, 60, 0.25, true},
		"ratio of nothing":   {Formula{Numerator: []string{"hits"}, Denominator: []string{"requests"}}, 0, 0, 60, 0, false},
		"rate":               {Formula{Numerator: []string{"bandwidth"}, Scale: 8}, 600, 0, 60, 80, true},
		"total is not rated": {Formula{Numerator: []string{"bandwidth"}, Total: true}, 600, 0, 60, 600, true},
		"infinite is absent": {Formula{Numerator: []string{"a"}}, math.Inf(1), 0, 1, 0, false},
		"nan is absent":      {Formula{Numerator: []string{"a"}, Denominator: []string{"b"}}, math.NaN(), 1, 1, 0, false},
	} {
		t.Run(name, func(t *testing.T) {
			v, ok := tc.f.Value(tc.num, tc.den, tc.step)
			assert.Equal(t, tc.ok, ok)
			assert.InDelta(t, tc.want, v, 1e-12)
		})
	}
}

func TestFormulaPercentile(t *testing.T) {
	m := mustLookup(t, "origin_latency_p50")
	f := m.FormulaFor(KindOrigins)
	_, ok := f.Percentile(func(string) float64 { return 0 })
	assert.False(t, ok, "no traffic, no latency")
	v, ok := f.Percentile(func(field string) float64 {
		if field == "all_latency_0_to_1ms" {
			return 10
		}
		return 0
	})
	assert.True(t, ok)
	assert.Greater(t, v, 0.0)
	assert.LessOrEqual(t, v, LatencyBuckets("")[0].UpperMs)

}

// TestFloorsReadEverySourceAtLeastAsItsSources: Fastly's all_* field when a record carries
// it, else what its single-source fields add up to (a record from before all_* existed, or
// one where the class saw no traffic and every field is 0).
func TestFloorsReadEverySourceAtLeastAsItsSources(t *testing.T) {
	f := mustLookup(t, "error_ratio").FormulaFor(KindHistorical)
	assert.Equal(t, map[string][]string{"all_status_5xx": {"status_5xx", "compute_resp_status_5xx"}}, f.Floors)
	assert.Equal(t, []string{"all_status_5xx", "requests", "compute_requests", "status_5xx", "compute_resp_status_5xx"}, f.Inputs())
	for name, c := range map[string]struct {
		rec      map[string]float64
		num, den float64
	}{
		"Compute, as Fastly sends it today": {map[string]float64{"requests": 0, "compute_requests": 50, "status_5xx": 0, "all_status_5xx": 5, "compute_resp_status_5xx": 5}, 5, 50},
		"Compute, no 5xx: all_ left out":    {map[string]float64{"requests": 0, "compute_requests": 50, "status_5xx": 0, "compute_resp_status_5xx": 0}, 0, 50},
		"VCL before all_ fields existed":    {map[string]float64{"requests": 40, "compute_requests": 0, "status_5xx": 4}, 4, 40},
		"VCL today":                         {map[string]float64{"requests": 40, "compute_requests": 0, "status_5xx": 4, "all_status_5xx": 4}, 4, 40},
	} {
		num, den := f.Sums(func(field string) float64 { return c.rec[field] })
		assert.Equal(t, c.num, num, name)
		assert.Equal(t, c.den, den, name)
	}
}
