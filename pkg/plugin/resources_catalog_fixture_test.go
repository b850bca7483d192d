package plugin

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalogFixture is the metric lists of GET /metrics that the editor's tests and the browser
// check use, so they run against the real 351-metric catalog rather than a hand-made one.
const catalogFixture = "../../src/testing/catalog.json"

// TestEditorCatalogFixtureMatchesTheMetricsRoute fails when the catalog changes and the
// editor's fixture does not; UPDATE_CATALOG_FIXTURE=1 rewrites the fixture.
func TestEditorCatalogFixtureMatchesTheMetricsRoute(t *testing.T) {
	env := newEnv(t, simToken) // a token that no metric text contains: answers are redacted
	lists := map[string]json.RawMessage{}
	for _, queryType := range []string{"stats", "realtime", "origins", "domains", "usage"} {
		status, body := callResource(t, env.ds, http.MethodGet, "metrics?queryType="+queryType)
		require.Equal(t, http.StatusOK, status, string(body))
		lists[queryType] = body
	}
	want, err := json.MarshalIndent(lists, "", "  ")
	require.NoError(t, err)
	want = append(want, '\n')
	if os.Getenv("UPDATE_CATALOG_FIXTURE") != "" {
		require.NoError(t, os.WriteFile(catalogFixture, want, 0o644))
	}
	have, err := os.ReadFile(catalogFixture)
	require.NoError(t, err, "run with UPDATE_CATALOG_FIXTURE=1 to write it")
	assert.True(t, bytes.Equal(want, have), "src/testing/catalog.json is stale: run this test with UPDATE_CATALOG_FIXTURE=1")
}
