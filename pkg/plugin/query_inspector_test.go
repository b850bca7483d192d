package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeAPI is a hand-wired Fastly for query types the simulator does not serve yet: handlers
// per path, and a log of every request's path and query.
type fakeAPI struct {
	mu       sync.Mutex
	asked    []url.URL
	handlers map[string]http.HandlerFunc
	ds       *Datasource
}

func newFakeAPI(t *testing.T) *fakeAPI {
	t.Helper()
	f := &fakeAPI{handlers: map[string]http.HandlerFunc{
		"/service": func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `[{"id":"kKJb5bOFI47uHeBVluGfX1","name":"www.example.com","type":"vcl"},{"id":"offService","name":"quiet.example","type":"vcl"}]`)
		},
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.asked = append(f.asked, *r.URL)
		h := f.handlers[r.URL.Path]
		f.mu.Unlock()
		if r.Header.Get("Fastly-Key") != simToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if h == nil {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"msg":"Record not found"}`)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	f.ds = newTestDatasource(t, srv.URL, simToken)
	return f
}

func (f *fakeAPI) file(t *testing.T, path, name string, status int) {
	t.Helper()
	body, err := os.ReadFile("../fastly/testdata/" + name)
	require.NoError(t, err)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[path] = func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

// queriesTo returns the query strings of every request to path, in order.
func (f *fakeAPI) queriesTo(path string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, u := range f.asked {
		if u.Path == path {
			out = append(out, u.Query())
		}
	}
	return out
}

// run sends one query through QueryData, as Grafana would.
func (f *fakeAPI) run(t *testing.T, from, to time.Time, q map[string]any) backend.DataResponse {
	t.Helper()
	raw, err := json.Marshal(q)
	require.NoError(t, err)
	qt, _ := q["queryType"].(string)
	resp, err := f.ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
		RefID: "A", QueryType: qt, JSON: raw, MaxDataPoints: 1000, Interval: time.Minute,
		TimeRange: backend.TimeRange{From: from, To: to},
	}}})
	require.NoError(t, err)
	return resp.Responses["A"]
}

const fixtureService = "kKJb5bOFI47uHeBVluGfX1"

func TestQueryDomainsFromTheRealFixture(t *testing.T) {
	f := newFakeAPI(t)
	f.file(t, "/enabled-products/v1/domain_inspector/services/"+fixtureService, "enabled_products_origin_inspector_enabled.json", 200)
	f.file(t, "/metrics/domains/services/"+fixtureService, "domain_inspector_historical_by_domain_hourly.json", 200)
	from := time.Unix(1699286400+1200, 0).UTC() // mid-hour: aligned down to the hour
	to := time.Unix(1699315200, 0).UTC()
	f.ds.now = func() time.Time { return to.Add(24 * time.Hour) }
	resp := f.run(t, from, to, map[string]any{
		"queryType": "domains", "services": []string{fixtureService}, "metrics": []string{"resp_body_bytes", "status_2xx"},
		"resolution": "hour", "groupBy": "domain", "pops": []string{"SJC", "STP"}, "region": "usa",
		"domains": []string{"domain_1.com", "domain_2.com"},
	})
	require.NoError(t, resp.Error)
	require.Len(t, resp.Frames, 4)
	v := resp.Frames[0].Fields[1]
	assert.Equal(t, data.Labels{"service": fixtureService, "service_name": "www.example.com", "domain": "domain_1.com", "metric": "resp_body_bytes"}, v.Labels)
	got, _ := v.ConcreteAt(7)
	assert.Equal(t, 7816494.0, got)

	asked := f.queriesTo("/metrics/domains/services/" + fixtureService)
	require.Len(t, asked, 1)
	assert.Equal(t, url.Values{
		"start": {"1699286400"}, "end": {"1699315200"}, "downsample": {"hour"}, "metric": {"resp_body_bytes,status_2xx"},
		"group_by": {"domain"}, "limit": {"200"}, "datacenter": {"SJC,STP"}, "region": {"usa"}, "domain": {"domain_1.com,domain_2.com"},
	}, asked[0], "the same request go-fastly recorded for this fixture, minus its empty cursor")
}

func TestQueryOriginsDisabledProductSaysHowToEnable(t *testing.T) {
	f := newFakeAPI(t)
	f.file(t, "/enabled-products/v1/origin_inspector/services/"+fixtureService, "enabled_products_origin_inspector_disabled_400.json", 400)
	resp := f.run(t, simNow.Add(-time.Hour), simNow, map[string]any{"queryType": "origins", "services": []string{fixtureService}})
	require.Error(t, resp.Error)
	assert.Equal(t, backend.StatusBadRequest, resp.Status)
	assert.Equal(t, backend.ErrorSourceDownstream, resp.ErrorSource)
	assert.Contains(t, resp.Error.Error(), "Origin Inspector is not enabled on Fastly service "+fixtureService)
	assert.Contains(t, resp.Error.Error(), "Observability > Origin Inspector")
	assert.Empty(t, f.queriesTo("/metrics/origins/services/"+fixtureService), "no metrics call for a disabled product")
}

func TestQueryOriginsPercentilesHeatmapAndSplitCalls(t *testing.T) {
	f := newFakeAPI(t)
	f.file(t, "/enabled-products/v1/origin_inspector/services/"+fixtureService, "enabled_products_origin_inspector_enabled.json", 200)
	start := simNow.Add(-10 * time.Minute).Unix()
	f.handlers["/metrics/origins/services/"+fixtureService] = func(w http.ResponseWriter, r *http.Request) {
		var vals []string
		for _, m := range strings.Split(r.URL.Query().Get("metric"), ",") {
			switch m {
			case "all_latency_10_to_50ms":
				vals = append(vals, `"all_latency_10_to_50ms":100`)
			case "all_responses":
				vals = append(vals, `"all_responses":100`)
			}
		}
		vals = append(vals, fmt.Sprintf(`"timestamp":%d`, start))
		fmt.Fprintf(w, `{"data":[{"dimensions":{"host":"origin.example"},"values":[{%s}]}],"meta":{"next_cursor":""},"status":"success"}`,
			strings.Join(vals, ","))
	}
	resp := f.run(t, simNow.Add(-10*time.Minute), simNow, map[string]any{
		"queryType": "origins", "services": []string{fixtureService}, "groupBy": "origin",
		"metrics": []string{"all_responses", "origin_latency_p50", "origin_latency_heatmap"}, "origins": []string{"origin.example"},
	})
	require.NoError(t, resp.Error)
	require.Len(t, resp.Frames, 3)
	p50, _ := resp.Frames[1].Fields[1].ConcreteAt(0)
	assert.Equal(t, 30.0, p50, "half of 100 responses in 10-50 ms: the bucket's middle")
	assert.Equal(t, data.FrameType("heatmap-rows"), resp.Frames[2].Meta.Type)

	asked := f.queriesTo("/metrics/origins/services/" + fixtureService)
	require.Len(t, asked, 2, "all_responses plus 12 latency buckets is 13 metrics: two calls")
	total := 0
	for _, q := range asked {
		total += len(strings.Split(q.Get("metric"), ","))
		assert.Equal(t, "host", q.Get("group_by"))
		assert.Equal(t, "origin.example", q.Get("host"))
		assert.Equal(t, "minute", q.Get("downsample"))
	}
	assert.Equal(t, 13, total)
}

func TestQueryInspectorErrors(t *testing.T) {
	f := newFakeAPI(t)
	for name, tc := range map[string]struct {
		q    map[string]any
		want string
	}{
		"unknown metric":    {map[string]any{"queryType": "domains", "services": []string{"abc"}, "metrics": []string{"hits"}}, `"hits" is not available in Domain Inspector queries`},
		"heatmap on domain": {map[string]any{"queryType": "domains", "services": []string{"abc"}, "metrics": []string{"origin_latency_heatmap"}}, `"origin_latency_heatmap" is not available in Domain Inspector queries, only in Origin Inspector`},
		"heatmap on a map":  {map[string]any{"queryType": "origins", "services": []string{"abc"}, "format": "popmap", "metrics": []string{"origin_latency_heatmap"}}, "origin_latency_heatmap is a distribution, not one value per POP"},
		"bad group":         {map[string]any{"queryType": "origins", "services": []string{"abc"}, "groupBy": "domain"}, `cannot be grouped by "domain"`},
		"no service":        {map[string]any{"queryType": "origins"}, "no service selected"},
	} {
		t.Run(name, func(t *testing.T) {
			resp := f.run(t, simNow.Add(-time.Hour), simNow, tc.q)
			require.Error(t, resp.Error)
			assert.Equal(t, backend.StatusBadRequest, resp.Status)
			assert.Contains(t, resp.Error.Error(), tc.want)
		})
	}
}

func TestQueryOriginsAllServicesSkipsDisabledOnes(t *testing.T) {
	f := newFakeAPI(t)
	f.file(t, "/enabled-products/v1/origin_inspector/services/"+fixtureService, "enabled_products_origin_inspector_enabled.json", 200)
	f.file(t, "/enabled-products/v1/origin_inspector/services/offService", "enabled_products_origin_inspector_disabled_400.json", 400)
	f.file(t, "/metrics/origins/services/"+fixtureService, "origin_inspector_historical_empty.json", 200)
	resp := f.run(t, simNow.Add(-time.Hour), simNow, map[string]any{"queryType": "origins", "services": []string{"*"}, "groupBy": "service"})
	require.NoError(t, resp.Error)
	require.Len(t, resp.Frames, 1)
	assert.Equal(t, fixtureService, resp.Frames[0].Fields[1].Labels["service"])
	assert.Contains(t, resp.Frames[0].Meta.Notices[0].Text, "1 of 2 services do not have Origin Inspector enabled")
	assert.Empty(t, f.queriesTo("/metrics/origins/services/offService"))
}
