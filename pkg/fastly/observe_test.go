package fastly

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"

	"github.com/opsdeck/fastly-datasource/pkg/internal/spantest"
)

// observedClient is a client counting into its own metrics, against handlers served under a
// path prefix (as behind a proxy), so the templates must leave the prefix out.
func observedClient(t *testing.T, handlers map[string]http.HandlerFunc) (*Client, *Metrics) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, ok := handlers[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"msg":"Record not found"}`))
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	m := NewMetrics()
	c := NewClient(Config{
		APIURL: srv.URL + "/proxy", RealtimeURL: srv.URL + "/rt", Token: testToken,
		HTTPClient: srv.Client(), Metrics: m.ForDatasource("ds-1"),
	})
	return c, m
}

func requests(m *Metrics, endpoint, status string) float64 {
	return testutil.ToFloat64(m.requests.WithLabelValues("ds-1", endpoint, status))
}

func lookups(m *Metrics, cache, result string) float64 {
	return testutil.ToFloat64(m.lookups.WithLabelValues("ds-1", cache, result))
}

func TestMetricsCountRequestsBytesAndCacheLookups(t *testing.T) {
	regions, err := os.ReadFile("testdata/historical_stats_regions.json")
	require.NoError(t, err)
	productCalls := 0
	c, m := observedClient(t, map[string]http.HandlerFunc{
		"/proxy/stats/regions": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(regions) },
		"/proxy/enabled-products/v1/origin_inspector/services/SVC1": func(w http.ResponseWriter, _ *http.Request) {
			productCalls++
			if productCalls == 1 { // rate limited once, then answered: two requests
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			_, _ = w.Write([]byte(`{"product":{"id":"origin_inspector"},"service":{"id":"SVC1"}}`))
		},
	})
	ctx := context.Background()

	for range 2 {
		_, err := c.Regions(ctx)
		require.NoError(t, err)
	}
	for range 2 {
		require.NoError(t, c.CheckProduct(ctx, ProductOriginInspector, "SVC1"))
	}
	assert.Empty(t, c.UserLogin(ctx, "NOPE"))

	assert.Equal(t, 1.0, requests(m, "/stats/regions", "200"))
	assert.Equal(t, float64(len(regions)), testutil.ToFloat64(m.bytes.WithLabelValues("ds-1", "/stats/regions")))
	assert.Equal(t, 1.0, requests(m, "/enabled-products/v1/{product}/services/{id}", "429"))
	assert.Equal(t, 1.0, requests(m, "/enabled-products/v1/{product}/services/{id}", "200"))
	assert.Equal(t, 1.0, requests(m, "/user/{id}", "404"))
	assert.Equal(t, 1.0, lookups(m, cacheRegions, "miss"))
	assert.Equal(t, 1.0, lookups(m, cacheRegions, "hit"))
	assert.Equal(t, 1.0, lookups(m, cacheProducts, "miss"))
	assert.Equal(t, 1.0, lookups(m, cacheProducts, "hit"))
	assert.Equal(t, 4, testutil.CollectAndCount(m.requests), "one series per endpoint and status seen")
}

func TestMetricsCountLongPollsAndNetworkFailures(t *testing.T) {
	body, err := os.ReadFile("testdata/realtime_channel_one_second.json")
	require.NoError(t, err)
	c, m := observedClient(t, map[string]http.HandlerFunc{
		"/rt/v1/channel/SVC1/ts/0": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) },
		"/rt/v1/channel/SVC2/ts/0": func(w http.ResponseWriter, _ *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack() // the connection drops before any answer
			require.NoError(t, err)
			_ = conn.Close()
		},
	})
	_, err = c.Realtime(context.Background(), RealtimeChannel, "SVC1", 0, NewRealtimeFields([]string{"requests"}))
	require.NoError(t, err)
	_, err = c.Realtime(context.Background(), RealtimeChannel, "SVC2", 0, NewRealtimeFields([]string{"requests"}))
	require.Error(t, err)

	assert.Equal(t, 1.0, requests(m, "/v1/channel/{id}/ts/{cursor}", "200"))
	assert.Equal(t, 1.0, requests(m, "/v1/channel/{id}/ts/{cursor}", "unreachable"))
	assert.Equal(t, float64(len(body)), testutil.ToFloat64(m.bytes.WithLabelValues("ds-1", "/v1/channel/{id}/ts/{cursor}")))
}

func TestUpstreamSpans(t *testing.T) {
	regions, err := os.ReadFile("testdata/historical_stats_regions.json")
	require.NoError(t, err)
	c, _ := observedClient(t, map[string]http.HandlerFunc{
		"/proxy/stats/regions": func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(regions) },
	})
	ctx, tr := spantest.Start(t)
	_, err = c.Regions(ctx)
	require.NoError(t, err)
	assert.Empty(t, c.UserLogin(ctx, "NOPE"))

	spans := tr.Named(UpstreamSpan)
	require.Len(t, spans, 2)
	for _, s := range spans {
		assert.Equal(t, tr.Root.SpanID(), s.Parent().SpanID(), "a child of the caller's span")
	}
	assert.Equal(t, map[string]string{
		"fastly.endpoint": "/stats/regions", "fastly.status": "200", "http.request.method": "GET",
		"http.response.status_code": "200", "fastly.response_bytes": itoa(int64(len(regions))),
	}, spantest.Attrs(spans[0]))
	assert.Equal(t, codes.Unset, spans[0].Status().Code)
	assert.Equal(t, "/user/{id}", spantest.Attrs(spans[1])["fastly.endpoint"])
	assert.Equal(t, "404", spantest.Attrs(spans[1])["fastly.status"])
	assert.Equal(t, codes.Error, spans[1].Status().Code)
}

func TestEndpointTemplatesHoldNoIDs(t *testing.T) {
	for path, want := range map[string]string{
		"/stats":                             "/stats",
		"/stats/service/SVC1/field/requests": "/stats/service/{id}/field/{field}",
		"/stats/usage_by_service":            "/stats/usage_by_service",
		"/enabled-products/v1/log_explorer_insights/services/SVC1": "/enabled-products/v1/{product}/services/{id}",
		"/v1/origins/SVC1/ts/h":   "/v1/origins/{id}/ts/{cursor}",
		"/user/abc":               "/user/{id}",
		"/service":                "/service",
		"/stats/service//field/x": otherEndpoint,
		"/somewhere/new":          otherEndpoint,
	} {
		assert.Equal(t, want, endpointOf(path), path)
	}
}

func TestStatsBucketLookupIsAHitOnlyWhenEveryFieldCameFromTheCache(t *testing.T) {
	names := []string{"requests", "hits", "miss", "pass", "errors", "synth", "bandwidth", "edge_requests"}
	whole := func(w http.ResponseWriter, r *http.Request) { // whole records: every field, 7 a minute
		from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
		to, _ := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
		var recs []string
		for ts := alignDown(from+59, 60); ts < to; ts += 60 {
			rec := fmt.Sprintf(`"service_id":"svc1","start_time":%d`, ts)
			for _, n := range names {
				rec += fmt.Sprintf(`,%q:7`, n)
			}
			recs = append(recs, "{"+rec+"}")
		}
		fmt.Fprintf(w, `{"status":"success","meta":{},"msg":null,"data":[%s]}`, strings.Join(recs, ","))
	}
	c, m := observedClient(t, map[string]http.HandlerFunc{"/proxy/stats/service/svc1": whole})
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	q := StatsQuery{ServiceID: "svc1", Fields: specsNamed(names[:maxFieldCalls+1]...), From: t0.Add(-2 * time.Hour), To: t0, By: "minute", Now: t0}
	for range 2 {
		_, err := c.Stats(context.Background(), q)
		require.NoError(t, err)
	}
	assert.Equal(t, 1.0, lookups(m, cacheStatsBucket, "miss"), "the first query found nothing")
	assert.Equal(t, 1.0, lookups(m, cacheStatsBucket, "hit"), "the second found every field")

	// seven fields cached, the eighth not: the whole-record query goes to Fastly again
	q.Fields = specsNamed(names...)
	_, err := c.Stats(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, 2.0, lookups(m, cacheStatsBucket, "miss"))
	assert.Equal(t, 1.0, lookups(m, cacheStatsBucket, "hit"), "fields found beside a missing one save no call")
	assert.Equal(t, 3.0, requests(m, "/stats/service/{id}", "200"), "the second query asked only for its unsettled tail")
}
