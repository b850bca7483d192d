package plugin

import (
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

var updateGenerated = flag.Bool("update", false, "rewrite the generated files the editor's tests read (src/*.generated.json, src/testing/*.generated.json)")

// generatedSpecs is the registry as the editor's drift test (src/queryTypes.drift.test.ts) reads it.
const generatedSpecs = "../../src/queryTypes.generated.json"

// checkGenerated fails when the checked-in file at path is not v as indented JSON; with -update
// it rewrites the file first. rerun says how to regenerate it and what to run next.
func checkGenerated(t *testing.T, path string, v any, rerun string) {
	t.Helper()
	want, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	want = append(want, '\n')
	if *updateGenerated {
		require.NoError(t, os.WriteFile(path, want, 0o644))
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), rerun)
}

// TestQueryTypesFileIsTheRegistry fails when the checked-in JSON the editor's drift test reads
// is not what the registry says; `go test ./pkg/plugin -run QueryTypesFile -update` rewrites it.
func TestQueryTypesFileIsTheRegistry(t *testing.T) {
	checkGenerated(t, generatedSpecs, querySpecs(), "run go test ./pkg/plugin -run QueryTypesFile -update, then the editor's drift test")
}

// TestQueryTypesResource: the editor can ask the running backend the same thing, without a token.
func TestQueryTypesResource(t *testing.T) {
	ds := newTestDatasource(t, "http://127.0.0.1:1", "")
	status, body := callResource(t, ds, "GET", "query-types")
	require.Equal(t, 200, status, string(body))
	var got []map[string]any
	require.NoError(t, json.Unmarshal(body, &got))
	require.Len(t, got, 9)
	origins := got[2]
	assert.Equal(t, "origins", origins["name"])
	assert.Equal(t, "origins", origins["kind"])
	assert.Equal(t, "origin_inspector", origins["product"])
	assert.Equal(t, []any{"", "service", "origin", "pop", "region"}, origins["groupBy"])
	assert.Equal(t, []any{"", "service", "pop"}, origins["liveGroupBy"])
	assert.Equal(t, []any{"responses"}, origins["defaultMetrics"])
	assert.Equal(t, true, origins["live"])
}

// TestRegistryIsConsistent checks what every registration must hold, so a new type cannot be
// half-declared: an answer, groupings starting with none, defaults its own catalog knows.
func TestRegistryIsConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, qt := range queryTypes {
		t.Run(qt.Name, func(t *testing.T) {
			assert.False(t, seen[qt.Name], "registered once")
			seen[qt.Name] = true
			assert.NotNil(t, qt.answer)
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
		})
	}
	assert.Equal(t, []string{"stats", "realtime", "origins", "domains", "usage", "events", "insights", "logs", "logseries"}, typeNames())
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
