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
	_, ok := f.Percentile(func(int) float64 { return 0 })
	assert.False(t, ok, "no traffic, no latency")
	v, ok := f.Percentile(func(i int) float64 {
		if i == 0 {
			return 10
		}
		return 0
	})
	assert.True(t, ok)
	assert.Greater(t, v, 0.0)
	assert.LessOrEqual(t, v, LatencyBuckets("")[0].UpperMs)
}
