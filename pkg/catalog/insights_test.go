package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInsightRankingsAreCompleteAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range InsightRankings() {
		assert.False(t, seen[r.Name], "%s listed twice", r.Name)
		seen[r.Name] = true
		assert.NotEmpty(t, r.Label, r.Name)
		assert.NotEmpty(t, r.Description, r.Name)
		assert.NotEmpty(t, r.DimensionLabel, r.Name)
		require.NotEmpty(t, r.Columns, r.Name)
		for _, c := range r.Columns {
			assert.NotEmpty(t, c.Label, "%s.%s", r.Name, c.Key)
			assert.Contains(t, []string{UnitPercent, UnitReqPerS, UnitRatio, UnitSeconds, UnitBytes, UnitShort}, c.Unit, "%s.%s", r.Name, c.Key)
		}
	}
	assert.Len(t, seen, 15, "the rankings API.md lists, less the duration-sum one seen to fail")
	assert.False(t, seen["top-url-by-duration-sum"])
	_, err := FindInsight("top-url-by-duration-sum")
	assert.ErrorContains(t, err, "use one of top-url-by-requests,")
}

func TestLogSeriesLabelsAndUnits(t *testing.T) {
	label, unit, err := LogSeries("count")
	require.NoError(t, err)
	assert.Equal(t, []string{"Sampled requests", UnitShort}, []string{label, unit})
	label, unit, err = LogSeries("p95[response_time]")
	require.NoError(t, err)
	assert.Equal(t, []string{"95th percentile response time", UnitSeconds}, []string{label, unit})
	for _, bad := range []string{"avg", "avg[response_status]", "median[response_time]", "avg[response_time", ""} {
		_, _, err := LogSeries(bad)
		assert.ErrorContains(t, err, "like avg[response_time]", bad)
	}
}
