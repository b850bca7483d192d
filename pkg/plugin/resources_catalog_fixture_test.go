package plugin

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// catalogFixture is the metric lists of GET /metrics that the editor's tests and the browser
// check use, so they run against the real 351-metric catalog rather than a hand-made one.
const catalogFixture = "../../src/testing/catalog.json"

// TestEditorCatalogFixtureMatchesTheMetricsRoute fails when the catalog changes and the
// editor's fixture does not; -update rewrites the fixture.
func TestEditorCatalogFixtureMatchesTheMetricsRoute(t *testing.T) {
	env := newEnv(t, simToken) // a token that no metric text contains: answers are redacted
	lists := map[string]json.RawMessage{}
	for _, queryType := range metricTypeNames() {
		status, body := callResource(t, env.ds, http.MethodGet, "metrics?queryType="+queryType)
		require.Equal(t, http.StatusOK, status, string(body))
		lists[queryType] = body
	}
	checkGenerated(t, catalogFixture, lists, "src/testing/catalog.json is stale: run go test ./pkg/plugin -run EditorCatalogFixture -update")
}
