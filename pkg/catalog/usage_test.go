package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsageMetrics(t *testing.T) {
	all := UsageMetrics()
	require.Len(t, all, 4)
	assert.Equal(t, "bandwidth", all[0].Name)
	assert.Equal(t, UnitBytes, all[0].Unit)
	assert.Equal(t, []Kind{KindUsage}, all[2].Kinds)
	assert.Equal(t, "reqps", RateUnit(all[1]))
	assert.Equal(t, []string{"Requests", "Requests (VCL)", "Compute requests"}, []string{all[1].Label, all[2].Label, all[3].Label},
		"Requests counts every source; Fastly's requests leave Compute out")

	got, err := ResolveUsage(nil)
	require.NoError(t, err)
	assert.Len(t, got, 4, "no names means every usage metric")
	got, err = ResolveUsage([]string{"requests", " requests"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "requests", got[0].Name)

	_, err = ResolveUsage([]string{"hits", "bandwidth", "edge_requests"})
	assert.EqualError(t, err, `usage metrics: unknown "hits", "edge_requests": usage has bandwidth, all_requests, requests and compute_requests`)

	for _, m := range ForKind(KindHistorical) {
		assert.NotContains(t, m.Kinds, KindUsage, "usage stays out of the time-series catalog")
	}
}
