package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// fieldErrorsFile holds real error responses for the editor's test
// (src/components/QueryErrors.test.tsx), which places each message as Grafana delivers it.
const fieldErrorsFile = "../../src/testing/fieldErrors.generated.json"

// badQuery is a query the plugin refuses, and the query field its error concerns ("" for none).
type badQuery struct {
	name  string
	field string
	query map[string]any
	// setup prepares the environment (a fault, another token, another clock) when the query
	// alone does not fail.
	setup func(t *testing.T, e *testEnv)
	// from, to: the panel's range, the last hour when zero.
	from, to time.Time
}

// badQueries cover every field the editor shows an error beside, and failures that concern no
// field. ("domain", the insights domain filter, has no refusal: any text narrows the ranking.)
func badQueries() []badQuery {
	shop, api, static := fastlysim.ShopServiceID, fastlysim.APIServiceID, fastlysim.StaticServiceID
	many := func(n int, format string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf(format, i)
		}
		return out
	}
	old := simNow.Add(-44 * 24 * time.Hour)
	return []badQuery{
		{name: "unknown query type", field: "queryType", query: map[string]any{"queryType": "traces", "services": []string{shop}}},

		{name: "no service", field: "services", query: map[string]any{"queryType": "stats", "services": []string{}}},
		{name: "unexpanded variable", field: "services", query: map[string]any{"queryType": "stats", "services": []string{"$service"}}},
		{name: "unknown service", field: "services", query: map[string]any{"queryType": "stats", "services": []string{"NoSuchService1234"}, "metrics": []string{"requests"}}},
		{name: "unknown service live", field: "services", query: map[string]any{"queryType": "realtime", "services": []string{"NoSuchService1234"}}},
		{name: "product not enabled", field: "services", query: map[string]any{"queryType": "origins", "services": []string{static}}},
		{name: "too many live services", field: "services", query: map[string]any{"queryType": "realtime", "services": many(11, "svc%02dAAAAAAAAAAAAAAAAAA")}},
		{name: "sampled logs of two services", field: "services", query: map[string]any{"queryType": "logs", "services": []string{shop, api}}},

		{name: "unknown metric", field: "metrics", query: map[string]any{"queryType": "stats", "services": []string{shop}, "metrics": []string{"hitz"}}},
		{name: "unknown usage metric", field: "metrics", query: map[string]any{"queryType": "usage", "metrics": []string{"egress"}}},
		{name: "ratio not combinable live", field: "metrics", query: map[string]any{"queryType": "domains", "live": true, "services": []string{api}, "metrics": []string{"edge_hit_ratio"}}},
		{name: "heatmap live", field: "metrics", query: map[string]any{"queryType": "origins", "live": true, "services": []string{api}, "metrics": []string{"origin_latency_heatmap"}}},

		{name: "unknown resolution", field: "resolution", query: map[string]any{"queryType": "stats", "services": []string{shop}, "resolution": "second"}},
		{name: "minutes past retention", field: "resolution", query: map[string]any{"queryType": "stats", "services": []string{shop}, "resolution": "minute", "metrics": []string{"requests"}},
			from: simNow.Add(-40 * 24 * time.Hour), to: simNow.Add(-40*24*time.Hour + time.Hour)},
		{
			// the plugin's clock runs nine and a half days behind Fastly's: by its own count the
			// range starts within retention (34.5 days ago), so it is Fastly that refuses
			name: "Fastly refuses minutes past retention", field: "resolution",
			query: map[string]any{"queryType": "stats", "services": []string{shop}, "resolution": "minute", "metrics": []string{"requests"}},
			setup: func(t *testing.T, e *testEnv) {
				e.ds.now = func() time.Time { return simNow.Add(-(9*24 + 12) * time.Hour) }
			},
			from: old, to: old.Add(time.Hour),
		},

		{name: "unknown region", field: "region", query: map[string]any{"queryType": "stats", "services": []string{shop}, "region": "mars"}},
		{
			// without Fastly's region list the region is left for Fastly to judge, and its
			// refusal names the region only in prose: the message stays general
			name: "unknown region, list unavailable", query: map[string]any{"queryType": "stats", "services": []string{shop}, "region": "mars", "metrics": []string{"requests"}},
			setup: func(_ *testing.T, e *testEnv) {
				e.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats/regions", Status: http.StatusInternalServerError})
			},
		},
		{name: "region live", field: "region", query: map[string]any{"queryType": "origins", "live": true, "services": []string{api}, "region": "europe"}},

		{name: "not a POP code", field: "pops", query: map[string]any{"queryType": "realtime", "services": []string{shop}, "pops": []string{"L-X"}}},
		{name: "POP map too costly", field: "pops", query: map[string]any{"queryType": "stats", "format": "popmap", "resolution": "hour",
			"services": []string{shop, api, fastlysim.StaticServiceID}, "metrics": []string{"all_requests", "hit_ratio"}},
			from: simNow.Add(-40 * 24 * time.Hour), to: simNow.Add(-38 * 24 * time.Hour)},
		{name: "too many POPs", field: "pops", query: map[string]any{"queryType": "origins", "services": []string{api}, "pops": many(151, "P%03d")}},

		{name: "grouping the type lacks", field: "groupBy", query: map[string]any{"queryType": "stats", "services": []string{shop}, "groupBy": "pop"}},
		{name: "ratio added across services", field: "groupBy", query: map[string]any{"queryType": "domains", "services": []string{shop, api}, "metrics": []string{"edge_hit_ratio"}}},
		{name: "field Fastly does not know", query: map[string]any{"queryType": "stats", "services": []string{shop}, "metrics": []string{"origin_offload"}}},
		{name: "grouping live lacks", field: "groupBy", query: map[string]any{"queryType": "origins", "live": true, "services": []string{api}, "groupBy": "origin"}},

		{name: "origin filter live", field: "origins", query: map[string]any{"queryType": "origins", "live": true, "services": []string{api}, "origins": []string{"a.example"}}},
		{name: "too many origins", field: "origins", query: map[string]any{"queryType": "origins", "services": []string{api}, "origins": many(101, "o%d.example")}},
		{name: "domain filter live", field: "domains", query: map[string]any{"queryType": "domains", "live": true, "services": []string{api}, "domains": []string{"a.example"}}},
		{name: "too many domains", field: "domains", query: map[string]any{"queryType": "domains", "services": []string{api}, "domains": many(101, "d%d.example")}},

		{name: "unknown ranking", field: "insight", query: map[string]any{"queryType": "insights", "services": []string{shop}, "insight": "top-pages"}},
		{name: "too many lines", field: "limit", query: map[string]any{"queryType": "logs", "services": []string{shop}, "limit": 6000}},
		{name: "unknown filter operator", field: "filters", query: map[string]any{"queryType": "logs", "services": []string{shop},
			"filters": []map[string]any{{"field": "response_status", "op": "~", "value": "5"}}}},
		{name: "filter on a ranking", field: "filters", query: map[string]any{"queryType": "insights", "services": []string{shop},
			"filters": []map[string]any{{"field": "response_status", "op": "eq", "value": "500"}}}},
		{name: "unknown log series", field: "series", query: map[string]any{"queryType": "logseries", "services": []string{shop}, "series": "sum[response_time]"}},
		{name: "unknown split", field: "dimension", query: map[string]any{"queryType": "logseries", "services": []string{shop}, "dimension": "client_ip"}},

		// fields the editor has no error place for: their errors stay general there
		{name: "unknown format", field: "format", query: map[string]any{"queryType": "stats", "services": []string{shop}, "format": "geojson"}},
		{name: "top of realtime", field: "top", query: map[string]any{"queryType": "realtime", "services": []string{shop}, "top": 5}},

		// failures of no field
		{name: "token rejected", query: map[string]any{"queryType": "stats", "services": []string{shop}, "metrics": []string{"requests"}},
			setup: func(t *testing.T, e *testEnv) { e.ds = newTestDatasource(t, e.url, "wrong-SECRET-token") }},
		{name: "rate limited", query: map[string]any{"queryType": "stats", "services": []string{shop}, "metrics": []string{"requests"}},
			setup: func(_ *testing.T, e *testEnv) {
				e.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Status: http.StatusTooManyRequests, RetryAfter: "60"})
			}},
		{name: "Fastly failed", query: map[string]any{"queryType": "stats", "services": []string{shop}, "metrics": []string{"requests"}},
			setup: func(_ *testing.T, e *testEnv) {
				e.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Status: http.StatusInternalServerError})
			}},
		{name: "empty time range", query: map[string]any{"queryType": "stats", "services": []string{shop}},
			from: simNow.Add(-time.Hour), to: simNow.Add(-2 * time.Hour)},
	}
}

// fieldErrorCase is one bad query in the golden file: the query the editor holds, the field the
// backend names, and the backend's answer as Grafana's /api/ds/query returns it.
type fieldErrorCase struct {
	Name     string          `json:"name"`
	Query    map[string]any  `json:"query"`
	Field    string          `json:"field"`
	Response json.RawMessage `json:"response"`
}

// TestBadQueriesNameTheirField: every bad query, run through QueryData, fails with its field
// in the error response's frame metadata (meta.custom.errorField), and a failure that concerns
// no field carries none. The answers are what the editor's test reads; without -update, a
// change in any message or field fails here until the file is rewritten, and then the
// editor's test checks them again.
func TestBadQueriesNameTheirField(t *testing.T) {
	var cases []fieldErrorCase
	for _, bq := range badQueries() {
		e := newEnv(t, simToken)
		if bq.setup != nil {
			bq.setup(t, e)
		}
		from, to := bq.from, bq.to
		if from.IsZero() {
			from, to = simNow.Add(-time.Hour), simNow
		}
		r := e.query(t, from, to, bq.query).Responses["A"]
		require.Error(t, r.Error, bq.name)
		assert.NotContains(t, r.Error.Error(), "SECRET", bq.name)
		if bq.field == "" {
			assert.Empty(t, r.Frames, "%s: %v", bq.name, r.Error)
		} else if assert.Len(t, r.Frames, 1, "%s: %v", bq.name, r.Error) {
			assert.Equal(t, map[string]string{"errorField": bq.field}, r.Frames[0].Meta.Custom, "%s: %v", bq.name, r.Error)
		}
		raw, err := json.Marshal(backend.QueryDataResponse{Responses: backend.Responses{"A": r}})
		require.NoError(t, err)
		cases = append(cases, fieldErrorCase{Name: bq.name, Query: bq.query, Field: bq.field, Response: raw})
	}
	checkGenerated(t, fieldErrorsFile, cases, "the error responses changed: run go test ./pkg/plugin -run BadQueriesNameTheirField -update, then the editor's test (npx jest src/components/QueryErrors.test.tsx)")
}

// TestInvalidJSONNamesNoField: a query that is not JSON is no one field's fault.
func TestInvalidJSONNamesNoField(t *testing.T) {
	_, err := parseJSON([]byte(`{"services":`))
	require.Error(t, err)
	var fe *models.FieldError
	assert.False(t, errors.As(err, &fe), "%v", err)
}
