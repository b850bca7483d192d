package plugin

import (
	"slices"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// TestRegistryIsConsistent checks what every registration must hold, so a new type cannot be
// half-declared: an answer, groupings starting with none, defaults its own catalog knows.
func TestRegistryIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	annotations := 0
	for _, qt := range queryTypes {
		t.Run(qt.Name, func(t *testing.T) {
			assert.False(t, seen[qt.Name], "registered once")
			seen[qt.Name] = true
			checkRegistration(t, qt)
		})
		if qt.Annotations {
			annotations++
		}
	}
	assert.Equal(t, 1, annotations, "one type answers annotations, which the annotation editor shows")
	assert.Equal(t, []string{"stats", "realtime", "origins", "domains", "usage", "events", "insights", "logs", "logseries"}, typeNames())
}

// checkRegistration checks one registration.
func checkRegistration(t *testing.T, qt queryType) {
	assert.NotNil(t, qt.answer)
	assert.NotEmpty(t, qt.Label, "users see the type by its label")
	assert.NotEmpty(t, qt.Description)
	if qt.Kind != "" {
		assert.NotEmpty(t, qt.MetricFamily, "a type with catalog metrics takes metrics")
	} else if qt.MetricFamily != "" {
		assert.NotNil(t, qt.metrics, "a type whose metrics are no catalog kind's lists them itself")
	}
	require.NotEmpty(t, qt.GroupBy)
	assert.Equal(t, "", qt.GroupBy[0], "no grouping comes first")
	assert.Contains(t, qt.GroupBy, qt.StartGroupBy)
	assert.Equal(t, qt.LiveSwitch, len(qt.LiveGroupBy) > 0, "live groupings exactly for types with a live switch")
	for _, g := range qt.LiveGroupBy {
		assert.Contains(t, qt.GroupBy, g, "live narrows the groupings, never adds one")
	}
	if qt.Kind != "" {
		_, err := catalog.Resolve(qt.DefaultMetrics, qt.Kind)
		assert.NoError(t, err, "default metrics exist in the type's catalog")
		assert.NotEmpty(t, qt.DefaultMetrics)
	}
	if qt.Realtime != "" {
		assert.Equal(t, qt.Kind, channelKind(qt.Realtime), "a live channel frames with its type's catalog")
	}
	assert.Equal(t, qt.Realtime != "", qt.Streams || qt.LiveSwitch, "a type streams from rt.fastly.com exactly when it has a real-time family")
	assert.False(t, qt.Streams && qt.LiveSwitch, "a type that always streams has no Live switch")
	assert.False(t, qt.Buckets && qt.Streams, "what streams comes per second, not in buckets")
	assert.NotContains(t, qt.OwnFields, "limit", "a limit is declared by Limit, with its bounds")
	assert.Subset(t, qt.OwnFields, qt.HistoryOnly, "history-only fields are among its own")
	assert.False(t, qt.OneService && qt.ServicesOptional, "one service is not optional")
}

// TestParseQueryReadsTheTypeFromEitherPlace: the JSON's queryType wins; DataQuery.QueryType
// alone (alert rules, API calls) is enough; neither means stats; live is kept only where it means
// something.
func TestParseQueryReadsTheTypeFromEitherPlace(t *testing.T) {
	for name, tc := range map[string]struct {
		json, field, want string
	}{
		"json only":   {`{"queryType":"usage"}`, "", models.QueryTypeUsage},
		"field only":  {`{"services":["a"]}`, "realtime", models.QueryTypeRealtime},
		"json wins":   {`{"queryType":"events"}`, "realtime", models.QueryTypeEvents},
		"neither":     {`{"services":["a"]}`, "", models.QueryTypeStats},
		"empty model": {``, "events", models.QueryTypeEvents},
	} {
		t.Run(name, func(t *testing.T) {
			qt, q, err := parseQuery(backend.DataQuery{JSON: []byte(tc.json), QueryType: tc.field})
			require.NoError(t, err)
			assert.Equal(t, tc.want, qt.Name)
			assert.Equal(t, tc.want, q.QueryType)
		})
	}
	_, q, err := parseQuery(backend.DataQuery{JSON: []byte(`{"queryType":"stats","live":true,"services":["a"]}`)})
	require.NoError(t, err)
	assert.False(t, q.Live, "a live flag left over from an origins query means nothing to stats")
	_, q, err = parseQuery(backend.DataQuery{JSON: []byte(`{"queryType":"domains","live":true,"services":["a"]}`)})
	require.NoError(t, err)
	assert.True(t, q.Live)
	assert.Equal(t, []string{"edge_requests"}, q.Metrics)
	_, _, err = parseQuery(backend.DataQuery{JSON: []byte(`{"queryType":"traces"}`)})
	assert.EqualError(t, err, `unknown query type "traces": use one of `+
		"stats, realtime, origins, domains, usage, events, insights, logs or logseries")
	assert.True(t, slices.Contains(queryTypes[1].AlsoAccepts, "service"), "saved realtime queries grouped by service still run")
}
