package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// throwawayFile is the editor's contract entry of the throwaway type, which the editor's test
// (src/components/query/throwawayType.test.tsx) adds to the registry it builds on.
const throwawayFile = "../../src/testing/throwawayType.generated.json"

// throwawayType is a query type added as docs/architecture.md ("Adding a query type") says:
// one registration and its answer. It reads the historical catalog, so it needs no metrics of
// its own, and it has a field of its own the editor already draws (POPs).
func throwawayType() queryType {
	return queryType{TypeSpec: models.TypeSpec{
		Name: "bots", Label: "Bots", Description: "Bot traffic per service (a type the registry's test adds)",
		Kind: catalog.KindHistorical, MetricFamily: "bots", Buckets: true,
		GroupBy: []string{"", "service"}, DefaultMetrics: []string{"requests"}, OwnFields: []string{"pops"},
	}, answer: func(_ *Datasource, _ context.Context, pq parsedQuery) backend.DataResponse {
		// what it was asked, after the registry's defaults and checks
		frame := data.NewFrame("bots", data.NewField("metrics", nil, []string{strings.Join(pq.Metrics, ",")}),
			data.NewField("resolution", nil, []string{pq.Resolution}))
		return backend.DataResponse{Frames: data.Frames{frame}}
	}}
}

// TestAThrowawayTypeNeedsOnlyItsRegistration registers a type and finds that routing, parsing
// (defaults, groupings, services), the unknown-type message, /metrics and the editor's contract
// all follow from the registration. The editor's half is throwawayType.test.tsx, on the entry
// written here.
func TestAThrowawayTypeNeedsOnlyItsRegistration(t *testing.T) {
	saved := queryTypes
	queryTypes = append(slices.Clone(queryTypes), throwawayType())
	t.Cleanup(func() { queryTypes = saved })
	bots := queryTypes[len(queryTypes)-1]
	checkRegistration(t, bots)

	env := newEnv(t, simToken)
	from, to := simNow.Add(-time.Hour), simNow
	shop := fastlysim.ShopServiceID
	r := env.query(t, from, to, map[string]any{"queryType": "bots", "services": []string{shop}}).Responses["A"]
	require.NoError(t, r.Error)
	assert.Equal(t, "requests", r.Frames[0].Fields[0].At(0), "its default metrics")
	assert.Equal(t, models.ResolutionAuto, r.Frames[0].Fields[1].At(0), "the defaults every type shares")

	r = env.query(t, from, to, map[string]any{"queryType": "bots", "services": []string{shop}, "groupBy": "origin"}).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), `a bots query cannot be grouped by "origin": use one of "service"`)
	r = env.query(t, from, to, map[string]any{"queryType": "bots"}).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "no service selected")

	_, _, err := parseQuery(backend.DataQuery{JSON: []byte(`{"queryType":"traces"}`)})
	assert.ErrorContains(t, err, "insights, logs, logseries or bots")

	status, body := callResource(t, env.ds, http.MethodGet, "metrics?queryType=bots")
	require.Equal(t, http.StatusOK, status, string(body))
	var metrics []catalog.Metric
	require.NoError(t, json.Unmarshal(body, &metrics))
	assert.Len(t, metrics, len(catalog.ForKind(catalog.KindHistorical)), "its catalog kind's metrics")

	contract := editorContract(t)
	entry := contract.Types[len(contract.Types)-1]
	assert.Equal(t, "bots", entry.Name)
	assert.Equal(t, []string{"metrics", "resolution", "perSecond", "groupBy", "pops", "legendFormat"}, entry.Fields)
	checkGenerated(t, throwawayFile, entry, "run go test ./pkg/plugin -run ThrowawayType -update, then the editor's test")
}
