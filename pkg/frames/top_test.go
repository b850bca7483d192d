package frames

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

func TestTopServicesKeepsTheLargestAndSumsTheRest(t *testing.T) {
	specs := []fastly.FieldSpec{{Name: "requests"}, {Name: "bandwidth", Float: true}, {Name: "hit_ratio", Float: true, Ratio: true}}
	svc := func(id string, times []int64, reqs []int64) fastly.ServiceStats {
		bw := make([]float64, len(reqs))
		ratio := make([]float64, len(reqs))
		for i, r := range reqs {
			bw[i], ratio[i] = float64(r)*10, 0.5
		}
		return fastly.ServiceStats{ServiceID: id, StartTimes: times, Columns: []fastly.StatsColumn{{Ints: reqs}, {Floats: bw}, {Floats: ratio}}}
	}
	p := &fastly.StatsPayload{Services: []fastly.ServiceStats{
		svc("a", []int64{0, 60}, []int64{1, 2}),   // 3
		svc("b", []int64{0, 60}, []int64{50, 50}), // 100
		svc("c", []int64{60}, []int64{7}),         // 7
		svc("d", []int64{0, 120}, []int64{4, 5}),  // 9
	}}
	top := TopServices(p, specs, []int{0}, 2, "other")
	require.Len(t, top.Services, 3)
	assert.Equal(t, "b", top.Services[0].ServiceID)
	assert.Equal(t, "d", top.Services[1].ServiceID)
	other := top.Services[2]
	assert.Equal(t, "other", other.ServiceID)
	assert.Equal(t, []int64{0, 60}, other.StartTimes, "a and c, bucket by bucket")
	assert.Equal(t, []int64{1, 9}, other.Columns[0].Ints)
	assert.Equal(t, []float64{10, 90}, other.Columns[1].Floats)
	assert.True(t, math.IsNaN(other.Columns[2].Floats[0]), "ratios cannot be summed: unknown, not 0")

	assert.Same(t, p, TopServices(p, specs, []int{0}, 4, "other"), "no more services than the top: nothing to fold")
}
