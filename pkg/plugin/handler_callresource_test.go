package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func callResource(t *testing.T, ds *Datasource, method, path string) (int, []byte) {
	t.Helper()
	var got *backend.CallResourceResponse
	resource, _, _ := strings.Cut(path, "?") // Grafana sends the path alone and the query in URL
	err := ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: method, Path: resource, URL: path},
		backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
	require.NoError(t, err)
	require.NotNil(t, got)
	return got.Status, got.Body
}

func TestServicesRouteListsEveryPageAndFilters(t *testing.T) {
	env := newEnv(t, simToken)
	status, body := callResource(t, env.ds, http.MethodGet, "services")
	require.Equal(t, http.StatusOK, status, string(body))
	var services []struct{ ID, Name, Type string }
	require.NoError(t, json.Unmarshal(body, &services))
	assert.Len(t, services, len(env.sim.Services()), "all pages")

	status, body = callResource(t, env.ds, http.MethodGet, "services?query=SHOP")
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, json.Unmarshal(body, &services))
	require.Len(t, services, 1)
	assert.Equal(t, fastlysim.ShopServiceID, services[0].ID)
	assert.Equal(t, "vcl", services[0].Type)

	status, body = callResource(t, env.ds, http.MethodGet, "services?query="+fastlysim.ComputeServiceID[:8])
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, json.Unmarshal(body, &services))
	require.Len(t, services, 1, "matches ids too")
	assert.Equal(t, "wasm", services[0].Type)
}

func TestMetricsRoute(t *testing.T) {
	env := newEnv(t, simToken)
	status, body := callResource(t, env.ds, http.MethodGet, "metrics?queryType=stats")
	require.Equal(t, http.StatusOK, status)
	var metrics []struct{ Name, Label, Unit, Category, Description string }
	require.NoError(t, json.Unmarshal(body, &metrics))
	byName := map[string]string{}
	for _, m := range metrics {
		byName[m.Name] = m.Unit
		assert.NotEmpty(t, m.Description, m.Name)
	}
	assert.Equal(t, "short", byName["requests"])
	assert.Equal(t, "percentunit", byName["hit_ratio"])
	assert.NotContains(t, byName, "miss_latency_p95", "real-time only")

	// the same field, described as the traffic it counts in the product asked for
	for queryType, want := range map[string]string{
		"stats":   "Responses Fastly's VCL delivery sent to clients with a 5xx (server error) status. VCL only: 0 on a Compute service.",
		"origins": "Responses your origins sent to Fastly with a 5xx (server error) status.",
		"domains": "Responses Fastly delivered for the domain with a 5xx (server error) status.",
	} {
		status, body = callResource(t, env.ds, http.MethodGet, "metrics?queryType="+queryType)
		require.Equal(t, http.StatusOK, status)
		require.NoError(t, json.Unmarshal(body, &metrics))
		described := map[string]string{}
		for _, m := range metrics {
			described[m.Name] = m.Description
		}
		assert.Equal(t, want, described["status_5xx"], queryType)
	}

	status, body = callResource(t, env.ds, http.MethodGet, "metrics?queryType=nope")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, `{"error":"unknown queryType \"nope\": use stats, realtime, origins, domains or usage"}`, string(body),
		"the types named are the registry's that take metrics")
	status, body = callResource(t, env.ds, http.MethodGet, "metrics?queryType=events")
	assert.Equal(t, http.StatusBadRequest, status, "events take no metrics")
	assert.Contains(t, string(body), `unknown queryType \"events\"`)
}

func TestPOPsAndRegionsRoutes(t *testing.T) {
	env := newEnv(t, simToken)
	status, body := callResource(t, env.ds, http.MethodGet, "pops")
	require.Equal(t, http.StatusOK, status)
	var pops []struct {
		Code, Name, Group   string
		Latitude, Longitude float64
	}
	require.NoError(t, json.Unmarshal(body, &pops))
	require.Greater(t, len(pops), 50)
	for _, p := range pops {
		if p.Code == "AMS" {
			assert.Equal(t, "Amsterdam", p.Name)
			assert.InDelta(t, 52.3, p.Latitude, 0.1)
		}
	}
	status, body = callResource(t, env.ds, http.MethodGet, "regions")
	require.Equal(t, http.StatusOK, status)
	var regions []string
	require.NoError(t, json.Unmarshal(body, &regions))
	assert.Contains(t, regions, "europe")
}

func TestResourceRoutesRefuseWhatTheyCannotServe(t *testing.T) {
	env := newEnv(t, simToken)
	status, body := callResource(t, env.ds, http.MethodPost, "services")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	assert.JSONEq(t, `{"error":"POST is not supported: resources are read with GET"}`, string(body))

	status, body = callResource(t, env.ds, http.MethodGet, "nope")
	assert.Equal(t, http.StatusNotFound, status)
	assert.JSONEq(t, `{"error":"no resource \"/nope\": use /services, /metrics, /pops, /regions, /origins, /domains or /logs-catalog"}`, string(body))
	listed := newEnv(t, simToken) // its answers are cached: the faults below go to env's
	for _, r := range listed.ds.resourceRoutes() {
		status, body := callResource(t, listed.ds, http.MethodGet, r.path[1:])
		assert.NotEqual(t, http.StatusNotFound, status, "the 404 names %s, which exists: %s", r.path, body)
	}

	wrong := newTestDatasource(t, env.url, "bad-token-QQQ")
	status, body = callResource(t, wrong, http.MethodGet, "services")
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.NotContains(t, string(body), "bad-token-QQQ")

	env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/datacenters", Status: http.StatusServiceUnavailable})
	status, _ = callResource(t, env.ds, http.MethodGet, "pops")
	assert.Equal(t, http.StatusBadGateway, status)
}

// TestServicesRouteNeverCachesAFailureNorAnswersNull: a bad /service answer is a 502 and the
// next call asks Fastly again; an account without services is [], not null.
func TestServicesRouteNeverCachesAFailureNorAnswersNull(t *testing.T) {
	env := newEnv(t, simToken)
	env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/service", Body: "<html>oops</html>", Times: 1})
	status, body := callResource(t, env.ds, http.MethodGet, "services")
	assert.Equal(t, http.StatusBadGateway, status, string(body))
	assert.Contains(t, string(body), "Fastly's answer for /service could not be read")

	status, body = callResource(t, env.ds, http.MethodGet, "services")
	require.Equal(t, http.StatusOK, status, string(body))
	var services []map[string]string
	require.NoError(t, json.Unmarshal(body, &services))
	assert.Len(t, services, len(env.sim.Services()), "the failure was not cached")

	empty := newEnv(t, simToken)
	empty.sim.InjectFault(fastlysim.Fault{PathPrefix: "/service", Body: "[]"})
	status, body = callResource(t, empty.ds, http.MethodGet, "services")
	require.Equal(t, http.StatusOK, status, string(body))
	assert.JSONEq(t, "[]", string(body))
}
