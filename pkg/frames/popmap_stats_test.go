package frames

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

var popMapStart = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// hourly is one service's answer with every source's hits and misses per hour, starting at
// popMapStart.
func hourly(hits, miss []int64) *fastly.StatsPayload {
	s := fastly.ServiceStats{ServiceID: "svc", Columns: []fastly.StatsColumn{{Ints: hits}, {Ints: miss}}}
	for i := range hits {
		s.StartTimes = append(s.StartTimes, popMapStart.Unix()+int64(i)*3600)
	}
	return &fastly.StatsPayload{Services: []fastly.ServiceStats{s}}
}

func popMapRequest(t *testing.T, now time.Time, names ...string) StatsPOPMapRequest {
	t.Helper()
	metrics, err := catalog.Resolve(names, catalog.KindHistorical)
	require.NoError(t, err)
	return StatsPOPMapRequest{
		Metrics: metrics, Fields: []fastly.FieldSpec{{Name: "all_hit_requests"}, {Name: "all_miss_requests"}},
		From: popMapStart, To: popMapStart.Add(4 * time.Hour), Step: 3600, Now: now,
	}
}

// TestStatsPOPMapValues: counts are sums over the range (a reported 0 stays 0), ratios come
// from the sums, and a POP without any bucket is null throughout, or left out unless listed.
func TestStatsPOPMapValues(t *testing.T) {
	r := popMapRequest(t, popMapStart.Add(48*time.Hour), "all_hit_requests", "hit_ratio")
	perPOP := []POPStats{
		{Code: "LHR", Payload: hourly([]int64{30, 10, 0, 20}, []int64{10, 10, 0, 20})},
		{Code: "AMS", Payload: hourly([]int64{0}, []int64{0})}, // Fastly reported the POP, at zero
		{Code: "SYD", Payload: hourly(nil, nil)},
	}
	pops := []fastly.POP{{Code: "LHR", Name: "London", Latitude: 51.5, Longitude: -0.1}}
	fr, err := StatsPOPMap(perPOP, pops, r)
	require.NoError(t, err)
	require.Equal(t, 2, fr.Rows(), "SYD has no bucket and was not listed")
	assert.Equal(t, "AMS", fr.Fields[0].At(0))
	assert.Equal(t, 0.0, *fr.Fields[6].At(0).(*float64), "a count Fastly reported as zero")
	assert.Nil(t, fr.Fields[7].At(0), "a ratio of no traffic")
	assert.Nil(t, fr.Fields[2].At(0), "AMS is not in the POP list: no coordinates")
	assert.Equal(t, 60.0, *fr.Fields[6].At(1).(*float64))
	assert.Equal(t, 0.6, *fr.Fields[7].At(1).(*float64), "60 hits of 100 hits and misses, not the mean of bucket ratios")
	assert.Equal(t, 51.5, *fr.Fields[2].At(1).(*float64))
	assert.Empty(t, fr.Meta.Notices, "every bucket settled")

	r.Listed = true
	fr, err = StatsPOPMap(perPOP, pops, r)
	require.NoError(t, err)
	require.Equal(t, 3, fr.Rows())
	assert.Equal(t, "SYD", fr.Fields[0].At(2))
	assert.Nil(t, fr.Fields[6].At(2), "no traffic is unknown, not 0")

	r.Metrics, _ = catalog.Resolve([]string{"origin_offload"}, catalog.KindHistorical)
	_, err = StatsPOPMap(perPOP, pops, r)
	assert.ErrorContains(t, err, "origin_offload is a ratio Fastly computes per bucket")
}
