package frames

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// inspectorFixture reads a real inspector answer the way the plugin does: through the client,
// from a server that gives that answer to the one call an hourly, single-metric query makes.
func inspectorFixture(t *testing.T, serviceID, name string) *fastly.InspectorResult {
	t.Helper()
	body, err := os.ReadFile("../fastly/testdata/" + name)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	product := fastly.ProductOriginInspector
	if strings.HasPrefix(name, "domain") {
		product = fastly.ProductDomainInspector
	}
	end := time.Unix(1699315200, 0)
	res, err := fastly.NewClient(fastly.Config{APIURL: srv.URL, Token: "fixture"}).Inspector(context.Background(), fastly.InspectorQuery{
		Product: product, ServiceID: serviceID, Metrics: []string{"responses"},
		Start: end.Add(-8 * time.Hour), End: end, Downsample: "hour",
	})
	require.NoError(t, err)
	return res
}

func kindMetrics(t *testing.T, k catalog.Kind, names ...string) []catalog.Metric {
	t.Helper()
	ms, err := catalog.Resolve(names, k)
	require.NoError(t, err)
	return ms
}

func TestDomainInspectorHourlyFixture(t *testing.T) {
	res := inspectorFixture(t, "kKJb5bOFI47uHeBVluGfX1", "domain_inspector_historical_by_domain_hourly.json")
	from := time.Unix(1699286400, 0).UTC()
	to := time.Unix(1699315200, 0).UTC()
	frames, err := InspectorFrames([]*fastly.InspectorResult{res}, InspectorRequest{
		Kind: catalog.KindDomains, Metrics: kindMetrics(t, catalog.KindDomains, "resp_body_bytes", "status_2xx"),
		From: from, To: to, Step: 3600, Now: to.Add(24 * time.Hour), ByService: true,
		Dimensions:   []string{"domain"},
		ServiceNames: map[string]string{"kKJb5bOFI47uHeBVluGfX1": "www.example.com"},
	})
	require.NoError(t, err)
	require.Len(t, frames, 4, "two domains times two metrics")
	first := frames[0]
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, first.Meta.Type)
	v := first.Fields[1]
	assert.Equal(t, data.Labels{"service": "kKJb5bOFI47uHeBVluGfX1", "service_name": "www.example.com", "domain": "domain_1.com", "metric": "resp_body_bytes"}, v.Labels)
	assert.Equal(t, "www.example.com domain_1.com Response body bytes (VCL)", v.Config.DisplayNameFromDS)
	assert.Equal(t, "decbytes", v.Config.Unit)
	require.Equal(t, 8, v.Len())
	got, _ := v.ConcreteAt(0)
	assert.Equal(t, 3441795.0, got)
	for i, f := range frames {
		experimental.CheckGoldenJSONFrame(t, "testdata", fmt.Sprintf("inspector_domains_hourly_%d", i), f, *update)
	}
}

func TestOriginInspectorEmptyFixture(t *testing.T) {
	res := inspectorFixture(t, "kKJb5bOFI47uHeBVluGfX1", "origin_inspector_historical_empty.json")
	from := time.Unix(1732406400, 0).UTC()
	to := time.Unix(1732579200, 0).UTC()
	r := InspectorRequest{
		Kind: catalog.KindOrigins, Metrics: kindMetrics(t, catalog.KindOrigins, "responses", "status_2xx"),
		From: from, To: to, Step: 86400, Now: to.Add(48 * time.Hour), ByService: true, Dimensions: []string{"host"},
	}
	frames, err := InspectorFrames([]*fastly.InspectorResult{res}, r)
	require.NoError(t, err)
	require.Len(t, frames, 1, "grouped by origin with no origins: one empty frame, with a notice")
	assert.Equal(t, "Fastly reported no traffic for these filters in this time range.", frames[0].Meta.Notices[0].Text)
	experimental.CheckGoldenJSONFrame(t, "testdata", "inspector_origins_empty_by_host", frames[0], *update)

	r.Dimensions = nil
	frames, err = InspectorFrames([]*fastly.InspectorResult{res}, r)
	require.NoError(t, err)
	require.Len(t, frames, 2, "not split by origin: the service's series exist and read zero")
	for _, f := range frames {
		for i := 0; i < 2; i++ {
			got, ok := f.Fields[1].ConcreteAt(i)
			require.True(t, ok)
			assert.Equal(t, 0.0, got)
		}
	}
	experimental.CheckGoldenJSONFrame(t, "testdata", "inspector_origins_empty_total", frames[0], *update)
}

// sparseOrigins is a hand-made answer: LHR has traffic in buckets 0 and 2 only, and a slow
// tail; bucket 1 is absent altogether.
func sparseOrigins() *fastly.InspectorResult {
	return &fastly.InspectorResult{ServiceID: "svc1", Series: []fastly.InspectorSeries{{
		Dimensions: map[string]string{"host": "origin.example", "datacenter": "LHR"},
		Buckets: map[int64]map[string]float64{
			1700000040: {"all_responses": 100, "all_status_5xx": 4, "all_latency_0_to_1ms": 10, "all_latency_1_to_5ms": 40, "all_latency_5_to_10ms": 30, "all_latency_10_to_50ms": 10, "all_latency_50_to_100ms": 5, "all_latency_100_to_250ms": 4, "all_latency_60000ms": 1},
			1700000160: {"all_responses": 20, "all_latency_50_to_100ms": 20},
		},
	}}}
}

func TestInspectorSparseValuesAndPercentiles(t *testing.T) {
	from := time.Unix(1700000040, 0).UTC()
	to := from.Add(3 * time.Minute)
	frames, err := InspectorFrames([]*fastly.InspectorResult{sparseOrigins()}, InspectorRequest{
		Kind:    catalog.KindOrigins,
		Metrics: kindMetrics(t, catalog.KindOrigins, "all_responses", "all_status_5xx", "error_ratio", "origin_latency_p50", "origin_latency_p99", "origin_latency_heatmap"),
		From:    from, To: to, Step: 60, Now: to.Add(time.Hour), ByService: true,
		Dimensions: []string{"host", "datacenter"},
	})
	require.NoError(t, err)
	require.Len(t, frames, 6)
	values := func(f *data.Frame) []*float64 {
		out := make([]*float64, f.Fields[1].Len())
		for i := range out {
			if v, ok := f.Fields[1].ConcreteAt(i); ok {
				x := v.(float64)
				out[i] = &x
			}
		}
		return out
	}
	p := func(v float64) *float64 { return &v }
	assert.Equal(t, []*float64{p(100), p(0), p(20)}, values(frames[0]), "an absent count is 0")
	assert.Equal(t, []*float64{p(4), p(0), p(0)}, values(frames[1]), "absent in a present bucket is 0 too")
	assert.Equal(t, []*float64{p(0.04), nil, p(0)}, values(frames[2]), "a ratio of no traffic is null")
	// p50: rank 50 of 100 lies in the 1-5 ms bucket after 10 below it: 1 + 4*40/40 = 5.
	assert.Equal(t, []*float64{p(5), nil, p(75)}, values(frames[3]), "percentiles interpolate inside the bucket; null without responses")
	// p99: rank 99 is the 99th response, in 100-250 ms (95 below it, 4 in it): 100 + 150*4/4.
	assert.Equal(t, []*float64{p(250), nil, p(99.5)}, values(frames[4]))
	assert.Equal(t, data.Labels{"service": "svc1", "service_name": "svc1", "origin": "origin.example", "pop": "LHR", "metric": "error_ratio"}, frames[2].Fields[1].Labels)

	heat := frames[5]
	assert.Equal(t, data.FrameType("heatmap-rows"), heat.Meta.Type)
	require.Len(t, heat.Fields, 13)
	assert.Equal(t, "1", heat.Fields[1].Name)
	assert.Equal(t, "60000", heat.Fields[11].Name)
	assert.Equal(t, "+Inf", heat.Fields[12].Name)
	got, _ := heat.Fields[2].ConcreteAt(0)
	assert.Equal(t, 40.0, got)
	got, _ = heat.Fields[12].ConcreteAt(0)
	assert.Equal(t, 1.0, got)
	experimental.CheckGoldenJSONFrame(t, "testdata", "inspector_origins_latency_heatmap", heat, *update)
}

func TestInspectorSumsServicesAndRefusesSummedNativeRatios(t *testing.T) {
	a := &fastly.InspectorResult{ServiceID: "a", Series: []fastly.InspectorSeries{{Dimensions: map[string]string{}, Buckets: map[int64]map[string]float64{60: {"edge_requests": 3, "edge_hit_ratio": 0.5}}}}}
	b := &fastly.InspectorResult{ServiceID: "b", Series: []fastly.InspectorSeries{{Dimensions: map[string]string{}, Buckets: map[int64]map[string]float64{60: {"edge_requests": 4, "edge_hit_ratio": 1}}}}}
	r := InspectorRequest{Kind: catalog.KindDomains, Metrics: kindMetrics(t, catalog.KindDomains, "edge_requests"),
		From: time.Unix(60, 0), To: time.Unix(120, 0), Step: 60, Now: time.Unix(100000, 0), PerSecond: true}
	frames, err := InspectorFrames([]*fastly.InspectorResult{a, b}, r)
	require.NoError(t, err)
	require.Len(t, frames, 1)
	got, _ := frames[0].Fields[1].ConcreteAt(0)
	assert.InDelta(t, 7.0/60, got, 1e-12, "services added together, then per second")
	assert.Equal(t, "reqps", frames[0].Fields[1].Config.Unit)
	assert.Equal(t, data.Labels{"metric": "edge_requests"}, frames[0].Fields[1].Labels)

	r.Metrics = kindMetrics(t, catalog.KindDomains, "edge_hit_ratio")
	_, err = InspectorFrames([]*fastly.InspectorResult{a, b}, r)
	assert.ErrorContains(t, err, "edge_hit_ratio is a ratio Fastly computes per series")
	r.ByService = true
	frames, err = InspectorFrames([]*fastly.InspectorResult{a, b}, r)
	require.NoError(t, err)
	got, _ = frames[1].Fields[1].ConcreteAt(0)
	assert.Equal(t, 1.0, got, "per service, Fastly's own ratio is shown as sent")
}

func TestInspectorUnsettledBucketsAreNullWithANotice(t *testing.T) {
	from := time.Unix(1700000040, 0).UTC()
	to := from.Add(3 * time.Minute)
	frames, err := InspectorFrames([]*fastly.InspectorResult{sparseOrigins()}, InspectorRequest{
		Kind: catalog.KindOrigins, Metrics: kindMetrics(t, catalog.KindOrigins, "all_responses"),
		From: from, To: to, Step: 60, Now: to, LegendFormat: "{{origin}} @ {{pop}}: {{label}}",
		Dimensions: []string{"host", "datacenter"},
	})
	require.NoError(t, err)
	f := frames[0].Fields[1]
	_, ok := f.ConcreteAt(1)
	assert.False(t, ok, "a recent absent bucket is unknown, not zero")
	got, _ := f.ConcreteAt(2)
	assert.Equal(t, 20.0, got)
	assert.Equal(t, "origin.example @ LHR: Responses", f.Config.DisplayNameFromDS, "every source's responses, under the plain label")
	require.Len(t, frames[0].Meta.Notices, 1)
	assert.Contains(t, frames[0].Meta.Notices[0].Text, "Fastly may still be adding to buckets")
}
