package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInsightRankingsAreTheReferencesVisualizations: every ranking the plugin sends is a
// visualization of Fastly's reference (testdata/insights_visualizations.txt), and every one of
// them is offered.
func TestInsightRankingsAreTheReferencesVisualizations(t *testing.T) {
	var reference []string
	for _, r := range readRows(t, "insights_visualizations.txt") {
		if !strings.HasPrefix(r[0], "#") {
			reference = append(reference, r[0])
		}
	}
	var names []string
	for _, r := range InsightRankings() {
		names = append(names, r.Name)
		assert.NotEmpty(t, r.Label, r.Name)
		assert.NotEmpty(t, r.Description, r.Name)
		assert.NotEmpty(t, r.DimensionLabel, r.Name)
		require.NotEmpty(t, r.Columns, r.Name)
		for _, c := range r.Columns {
			assert.NotEmpty(t, c.Label, "%s.%s", r.Name, c.Key)
			assert.Contains(t, []string{UnitPercent, UnitRatio, UnitSeconds, UnitBytes}, c.Unit, "%s.%s", r.Name, c.Key)
		}
		_, err := FindInsight(r.Instead)
		assert.NoError(t, err, "%s suggests a ranking that exists", r.Name)
		assert.NotEqual(t, r.Name, r.Instead)
	}
	assert.ElementsMatch(t, reference, names)
	r, err := FindInsight("top-url-by-duration")
	require.NoError(t, err, "a saved query's former name")
	assert.Equal(t, "top-url-by-duration-sum", r.Name, "is sent as the reference's")
	_, err = FindInsight("top-pages")
	assert.ErrorContains(t, err, "use one of top-url-by-requests,")
}

// TestInsightUnitsAreTheReferences: what Fastly's reference defines as percentages is shown
// as percent, never as requests per second; a status code's or a 503 reason's URL breakdown
// is never read as its own numbers.
func TestInsightUnitsAreTheReferences(t *testing.T) {
	for _, r := range InsightRankings() {
		for _, c := range r.Columns {
			switch c.Key {
			case "rate", "request_percentage", "bandwidth_percentage", "response_time_percentage", "country_request_rate":
				assert.Equal(t, UnitPercent, c.Unit, "%s.%s", r.Name, c.Key)
			case "rate_per_status", "rate_per_url", "_503_rate_per_url":
				t.Errorf("%s shows %s, a per-URL breakdown value, as a column", r.Name, c.Key)
			}
		}
	}
	for name, want := range map[string]string{"response-status-codes": "url", "top-503-responses": "url", "country-statistics": "region"} {
		r, err := FindInsight(name)
		require.NoError(t, err)
		assert.Equal(t, want, r.Breakdown, name)
	}
}

func TestLogSeriesLabelsAndUnits(t *testing.T) {
	label, unit, err := LogSeries(DefaultLogSeries)
	require.NoError(t, err)
	assert.Equal(t, []string{"Average response time", UnitSeconds}, []string{label, unit})
	label, unit, err = LogSeries("p99[response_bytes_body]")
	require.NoError(t, err)
	assert.Equal(t, []string{"99th percentile response body bytes", UnitBytes}, []string{label, unit})
	for _, bad := range []string{"count", "p95[response_time]", "min[response_time]", "avg", "avg[response_status]", "median[response_time]", "avg[response_time", ""} {
		_, _, err := LogSeries(bad)
		assert.ErrorContains(t, err, "Fastly documents avg and p99 of a field", bad)
	}
}
