package plugin

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

var updateGenerated = flag.Bool("update", false, "rewrite the generated files the editor's tests read (src/*.generated.json, src/testing/*.generated.json)")

// generatedSpecs is the registry as the editor builds on it and its drift test
// (src/queryTypes.drift.test.ts) checks it; generatedNames is its list of type names as a
// TypeScript constant, from which the editor's QueryType union is derived (a JSON import has
// no literal types).
const (
	generatedSpecs = "../../src/queryTypes.generated.json"
	generatedNames = "../../src/queryTypeNames.generated.ts"
)

// checkGenerated fails when the checked-in file at path is not v as indented JSON; with -update
// it rewrites the file first. rerun says how to regenerate it and what to run next.
func checkGenerated(t *testing.T, path string, v any, rerun string) {
	t.Helper()
	want, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	checkGeneratedText(t, path, string(want)+"\n", rerun)
}

// checkGeneratedText is checkGenerated for a file written as text.
func checkGeneratedText(t *testing.T, path, want, rerun string) {
	t.Helper()
	if *updateGenerated {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), rerun)
}

// typeNamesModule is the TypeScript module of the registered type names, one a line (as
// prettier leaves a list too long for one line).
func typeNamesModule() string {
	var b strings.Builder
	b.WriteString("// Written by `go test ./pkg/plugin -run QueryTypesFile -update` from the query-type registry\n" +
		"// (pkg/plugin/registry.go): do not edit. types.ts derives the QueryType union from it.\n" +
		"export const QUERY_TYPE_NAMES = [\n")
	for _, name := range typeNames() {
		fmt.Fprintf(&b, "  '%s',\n", name)
	}
	b.WriteString("] as const;\n")
	return b.String()
}

// TestQueryTypesFileIsTheRegistry fails when the checked-in files the editor builds on are not
// what the registry says; `go test ./pkg/plugin -run QueryTypesFile -update` rewrites them.
func TestQueryTypesFileIsTheRegistry(t *testing.T) {
	const rerun = "run go test ./pkg/plugin -run QueryTypesFile -update, then the editor's drift test"
	checkGenerated(t, generatedSpecs, registryForEditor(), rerun)
	checkGeneratedText(t, generatedNames, typeNamesModule(), rerun)
}

// TestQueryTypesResource: the editor can ask the running backend the same thing, without a token.
func TestQueryTypesResource(t *testing.T) {
	ds := newTestDatasource(t, "http://127.0.0.1:1", "")
	status, body := callResource(t, ds, "GET", "query-types")
	require.Equal(t, 200, status, string(body))
	var got struct {
		Types  []map[string]any `json:"types"`
		Limits map[string]any   `json:"limits"`
	}
	require.NoError(t, json.Unmarshal(body, &got))
	require.Len(t, got.Types, len(queryTypes))
	origins := got.Types[2]
	assert.Equal(t, "origins", origins["name"])
	assert.Equal(t, "Origins", origins["label"])
	assert.Equal(t, "origins", origins["kind"])
	assert.Equal(t, "origins", origins["metricFamily"])
	assert.Equal(t, "origin_inspector", origins["product"])
	assert.Equal(t, []any{"", "service", "origin", "pop", "region"}, origins["groupBy"])
	assert.Equal(t, []any{"", "service", "pop"}, origins["liveGroupBy"])
	assert.Equal(t, []any{"all_responses"}, origins["defaultMetrics"])
	assert.Equal(t, true, origins["live"])
	assert.Equal(t, map[string]any{"maxTop": float64(100), "maxLiveServices": float64(10)}, got.Limits)
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
			assert.NotEmpty(t, qt.Label, "users see the type by its label")
			assert.NotEmpty(t, qt.Description)
			if qt.Kind != "" {
				assert.NotEmpty(t, qt.MetricFamily, "a type with catalog metrics takes metrics")
			} else if qt.MetricFamily != "" {
				assert.Equal(t, models.QueryTypeUsage, qt.Name, "metrics outside the catalog's kinds are usage's billing totals only")
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
