package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/internal/spantest"
	"github.com/opsdeck/fastly-datasource/pkg/live"
)

// request builds a QueryData request over the settled hour [simNow-3h, simNow-2h), queries
// named A, B, ...
func request(t *testing.T, queries ...map[string]any) *backend.QueryDataRequest {
	t.Helper()
	req := &backend.QueryDataRequest{}
	for i, q := range queries {
		raw, err := json.Marshal(q)
		require.NoError(t, err)
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: fmt.Sprintf("%c", 'A'+i), JSON: raw, MaxDataPoints: 1000, Interval: time.Minute,
			TimeRange: backend.TimeRange{From: simNow.Add(-3 * time.Hour), To: simNow.Add(-2 * time.Hour)},
		})
	}
	return req
}

// gathered is each series of a metric for one data source, keyed by its other labels
// ("endpoint=/stats,status=200"), as Grafana would collect it from the SDK's registry.
func gathered(t *testing.T, name, uid string) map[string]float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	require.NoError(t, err)
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			var key []string
			mine := false
			for _, l := range m.GetLabel() {
				if l.GetName() == "datasource" {
					mine = l.GetValue() == uid
					continue
				}
				key = append(key, l.GetName()+"="+l.GetValue())
			}
			if mine {
				out[strings.Join(key, ",")] = m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
		}
	}
	return out
}

var metricsRuns atomic.Int32

func TestMetricsCountWhatTheSimulatorServed(t *testing.T) {
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	// the SDK's registry is the process's: a uid of this run's own keeps -count=N exact
	uid := fmt.Sprintf("metrics-test-%d", metricsRuns.Add(1))
	ds := newTestDatasourceUID(t, srv.URL, simToken, uid)

	for range 2 { // the second answers from the plugin's caches
		resp, err := ds.QueryData(context.Background(), request(t, dayMinutePanel))
		require.NoError(t, err)
		require.NoError(t, resp.Responses["A"].Error)
	}

	want := map[string]float64{}
	for _, r := range sim.Requests() {
		endpoint := strings.ReplaceAll(r.Path, fastlysim.ShopServiceID, "{id}")
		if before, _, ok := strings.Cut(endpoint, "/field/"); ok {
			endpoint = before + "/field/{field}"
		}
		want["endpoint="+endpoint+",status=200"]++
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, gathered(t, "fastly_datasource_upstream_requests_total", uid))
	var bytes float64
	for _, v := range gathered(t, "fastly_datasource_upstream_response_bytes_total", uid) {
		bytes += v
	}
	assert.Equal(t, float64(sim.BytesServed()), bytes)

	lookups := gathered(t, "fastly_datasource_cache_lookups_total", uid)
	assert.Equal(t, 1.0, lookups["cache=services,result=miss"], "the labels' service list, fetched once")
	assert.Equal(t, 1.0, lookups["cache=services,result=hit"], "and reused by the second query")
	assert.Positive(t, lookups["cache=stats_buckets,result=hit"], "the settled hour came from the cache")
}

// blockingFetcher long-polls until its poller stops.
type blockingFetcher struct{}

func (blockingFetcher) Realtime(ctx context.Context, _ fastly.RealtimeProduct, _ string, _ int64, _ *fastly.RealtimeFields) (*fastly.RealtimeResponse, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestLiveGaugesCountPollersAndSubscribers(t *testing.T) {
	hub := live.NewHub(blockingFetcher{}, live.Options{})
	t.Cleanup(hub.Close)
	c := newLiveCollector()
	reg := prometheus.NewPedanticRegistry()
	require.NoError(t, reg.Register(c))
	c.add(hub, "live-test")

	shop := live.Key{Product: fastly.RealtimeChannel, Service: "SHOP"}
	blog := live.Key{Product: fastly.RealtimeChannel, Service: "BLOG"}
	first, err := hub.Subscribe(shop, []string{"requests"}, 0)
	require.NoError(t, err)
	_, err = hub.Subscribe(shop, []string{"requests"}, 0)
	require.NoError(t, err)
	_, err = hub.Subscribe(blog, []string{"requests"}, 0)
	require.NoError(t, err)

	read := func() map[string]float64 {
		families, err := reg.Gather()
		require.NoError(t, err)
		out := map[string]float64{}
		for _, f := range families {
			for _, m := range f.GetMetric() {
				require.Equal(t, "live-test", m.GetLabel()[0].GetValue())
				out[f.GetName()] = m.GetGauge().GetValue()
			}
		}
		return out
	}
	assert.Equal(t, map[string]float64{"fastly_datasource_live_pollers": 2, "fastly_datasource_live_subscribers": 3}, read())
	first.Close()
	assert.Equal(t, 2.0, read()["fastly_datasource_live_subscribers"])
	c.remove(hub)
	assert.Empty(t, read(), "a disposed instance reports nothing")
}

func TestQuerySpansParentTheirCallsToFastly(t *testing.T) {
	env := newEnv(t, simToken)
	ctx, tr := spantest.Start(t)
	bad := map[string]any{"queryType": "stats", "services": []string{fastlysim.ShopServiceID}, "metrics": []string{"no_such_metric"}}
	_, err := env.ds.QueryData(ctx, request(t, dayMinutePanel, bad))
	require.NoError(t, err)

	queries := tr.Named(querySpan)
	require.Len(t, queries, 2)
	byRef := map[string]int{}
	for i, s := range queries {
		assert.Equal(t, tr.Root.SpanID(), s.Parent().SpanID(), "a child of Grafana's request span")
		byRef[spantest.Attrs(s)["query.ref_id"]] = i
	}
	a, b := queries[byRef["A"]], queries[byRef["B"]]
	assert.Equal(t, map[string]string{"query.ref_id": "A", "query.type": "stats", "query.status": "200"}, spantest.Attrs(a))
	assert.Equal(t, codes.Unset, a.Status().Code)
	assert.Equal(t, map[string]string{
		"query.ref_id": "B", "query.type": "stats", "query.status": "400", "query.error_source": "downstream",
	}, spantest.Attrs(b))
	assert.Equal(t, codes.Error, b.Status().Code)

	calls := tr.Named(fastly.UpstreamSpan)
	require.NotEmpty(t, calls)
	for _, s := range calls {
		assert.Equal(t, a.SpanContext().SpanID(), s.Parent().SpanID(), "%s is a call of query A", spantest.Attrs(s)["fastly.endpoint"])
		assert.Equal(t, "200", spantest.Attrs(s)["fastly.status"])
	}
}

// logLine is one captured log call.
type logLine struct {
	level, msg string
	args       []any
}

// captureLogger records what the plugin logs, in place of the SDK's logger.
type captureLogger struct {
	mu    *sync.Mutex
	lines *[]logLine
	with  []any
}

func newCaptureLogger() captureLogger {
	return captureLogger{mu: &sync.Mutex{}, lines: &[]logLine{}}
}

func (l captureLogger) add(level, msg string, args []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*l.lines = append(*l.lines, logLine{level: level, msg: msg, args: append(append([]any(nil), l.with...), args...)})
}

func (l captureLogger) Debug(msg string, args ...any) { l.add("debug", msg, args) }
func (l captureLogger) Info(msg string, args ...any)  { l.add("info", msg, args) }
func (l captureLogger) Warn(msg string, args ...any)  { l.add("warn", msg, args) }
func (l captureLogger) Error(msg string, args ...any) { l.add("error", msg, args) }
func (l captureLogger) Level() log.Level              { return log.Debug }
func (l captureLogger) With(args ...any) log.Logger {
	l.with = append(append([]any(nil), l.with...), args...)
	return l
}
func (l captureLogger) FromContext(context.Context) log.Logger { return l }

func (l captureLogger) captured() []logLine {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]logLine(nil), *l.lines...)
}

func TestFailedQueriesAreLoggedOnceBySource(t *testing.T) {
	env := newEnv(t, simToken)
	logs := newCaptureLogger()
	env.ds.logger = logs
	env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Status: 500, Body: `{"msg":"key ` + simToken + ` is broken"}`})

	_, err := env.ds.QueryData(context.Background(), request(t, dayMinutePanel))
	require.NoError(t, err)

	lines := logs.captured()
	require.Len(t, lines, 1, "one line for the one failed query")
	assert.Equal(t, "debug", lines[0].level, "Fastly's failure is downstream: the panel shows it")
	assert.Equal(t, "Query failed", lines[0].msg)
	args := lines[0].args
	require.Len(t, args, 10)
	assert.Equal(t, []any{"refId", "A", "queryType", "stats", "status", 502, "errorSource", "downstream", "error"}, args[:9])
	assert.Contains(t, args[9], "500 Internal Server Error")
	for _, a := range args {
		assert.NotContains(t, fmt.Sprint(a), simToken)
	}
}

func TestPluginFailuresAreLoggedAsErrors(t *testing.T) {
	env := newEnv(t, simToken)
	logs := newCaptureLogger()
	env.ds.logger = logs
	// Without its client the query panics: a stand-in for a bug of the plugin's own.
	env.ds.client = nil

	resp, err := env.ds.QueryData(context.Background(), request(t, map[string]any{"queryType": "events"}))
	require.NoError(t, err)
	require.Equal(t, backend.ErrorSourcePlugin, resp.Responses["A"].ErrorSource)

	lines := logs.captured()
	require.Len(t, lines, 2, "the panic, then the failed query")
	assert.Equal(t, "query panicked", lines[0].msg)
	assert.Equal(t, "error", lines[1].level)
	assert.Equal(t, []any{"refId", "A", "queryType", "", "status", 500, "errorSource", "plugin"}, lines[1].args[:8],
		"the type is unknown: the query stopped inside its answer")
}
