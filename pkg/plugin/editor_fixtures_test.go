package plugin

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// Fixtures of the editor's tests and the browser check (src/testing/, read through
// src/testing/fixtures.ts), written from the backend's real answers so they are never a copy
// that drifts: the metric lists of GET /metrics, GET /logs-catalog, and a top list's frame.
const (
	catalogFixture     = "../../src/testing/catalog.json"
	logsCatalogFixture = "../../src/testing/logsCatalog.json"
	topURLsFixture     = "../../src/testing/topUrls.frame.json"
)

// TestEditorCatalogFixtureMatchesTheMetricsRoute fails when a catalog changes and the editor's
// fixture does not; -update rewrites the fixtures.
func TestEditorCatalogFixtureMatchesTheMetricsRoute(t *testing.T) {
	env := newEnv(t, simToken) // a token that no metric text contains: answers are redacted
	lists := map[string]json.RawMessage{}
	for _, queryType := range metricTypeNames() {
		status, body := callResource(t, env.ds, http.MethodGet, "metrics?queryType="+queryType)
		require.Equal(t, http.StatusOK, status, string(body))
		lists[queryType] = body
	}
	const rerun = "the editor's fixtures are stale: run go test ./pkg/plugin -run EditorCatalogFixture -update"
	checkGenerated(t, catalogFixture, lists, rerun)
	status, body := callResource(t, env.ds, http.MethodGet, "logs-catalog")
	require.Equal(t, http.StatusOK, status, string(body))
	checkGenerated(t, logsCatalogFixture, json.RawMessage(body), rerun)
}

// TestTopURLsFixtureIsTheInsightsAnswer writes the frame an insights query answers for the top
// URLs of the simulator's shop over an hour, which the browser check draws as Grafana's table.
func TestTopURLsFixtureIsTheInsightsAnswer(t *testing.T) {
	env := newEnv(t, simToken)
	r := env.query(t, simNow.Add(-time.Hour), simNow, map[string]any{
		"queryType": "insights", "services": []string{fastlysim.ShopServiceID}, "insight": "top-url-by-requests", "limit": 10,
	}).Responses["A"]
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	checkGenerated(t, topURLsFixture, r.Frames[0], "the top-URL frame is stale: run go test ./pkg/plugin -run TopURLsFixture -update")
}
