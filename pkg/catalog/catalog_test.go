package catalog

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sentNatively reports whether Fastly itself sends a field named m.Name for kind k, whether
// or not the plugin prefers to compute it (hit_ratio in historical data is both).
func sentNatively(m Metric, k Kind) bool { return m.native&kindBit(k) != 0 }

func mustLookup(t *testing.T, name string) Metric {
	t.Helper()
	m, ok := Lookup(name)
	require.True(t, ok, name)
	return m
}

func TestHitRatioIsComputedEverywhere(t *testing.T) {
	m := mustLookup(t, "hit_ratio")
	assert.Equal(t, []Kind{KindHistorical, KindRealtime}, m.Kinds)
	assert.True(t, sentNatively(m, KindHistorical), "Fastly sends hit_ratio in historical data")
	assert.False(t, sentNatively(m, KindRealtime))
	assert.True(t, m.Ratio && m.Float)
	assert.Equal(t, UnitPercentUnit, m.Unit)
	assert.Equal(t, "Hit ratio", m.Label)
	for _, k := range []Kind{KindHistorical, KindRealtime} {
		f := m.FormulaFor(k)
		require.NotNil(t, f, "computed for %s even where native", k)
		assert.Equal(t, []string{"all_hit_requests"}, f.Numerator, "every source's hits")
		assert.Equal(t, []string{"all_hit_requests", "all_miss_requests"}, f.Denominator)
	}
	assert.Nil(t, m.FormulaFor(KindOrigins))
}

func TestPlainLabelsCountEverySource(t *testing.T) {
	for name, label := range map[string]string{
		"all_requests": "Requests", "requests": "Requests (VCL)", "compute_requests": "Compute requests",
		"all_hit_requests": "Hits", "hits": "Hits (VCL)", "all_pass_requests": "Passes", "pass": "Passes (VCL)",
		"all_status_5xx": "Status 5xx", "status_5xx": "Status 5xx (VCL)", "compute_resp_status_5xx": "Compute response status 5xx",
		"all_status_503": "Status 503", "status_503": "Status 503 (VCL)",
		"all_responses": "Responses", "responses": "Responses (VCL)",
	} {
		assert.Equal(t, label, mustLookup(t, name).Label, name)
	}
	assert.Contains(t, mustLookup(t, "requests").Description, "VCL only")
	assert.Contains(t, mustLookup(t, "compute_requests").Description, "Compute only")
	assert.Contains(t, mustLookup(t, "compute_resp_status_5xx").Description, "Compute only")
	assert.Contains(t, mustLookup(t, "all_status_5xx").Description, "every source")
}

func TestFormulas(t *testing.T) {
	cases := []struct {
		name string
		kind Kind
		want *Formula
	}{
		{"all_requests", KindHistorical, &Formula{Numerator: []string{"requests", "compute_requests"}, Total: true}},
		{"all_requests", KindRealtime, &Formula{Numerator: []string{"requests", "compute_requests"}, Total: true}},
		{"all_status_503", KindRealtime, &Formula{Numerator: []string{"status_503", "compute_resp_status_503"}, Total: true}},
		{"all_status_503", KindOrigins, nil},
		{"all_status_5xx", KindHistorical, &Formula{Numerator: []string{"all_status_5xx"}, Total: true}},
		{"miss_ratio", KindRealtime, &Formula{Numerator: []string{"all_miss_requests"}, Denominator: []string{"all_hit_requests", "all_miss_requests"}}},
		{"pass_ratio", KindHistorical, &Formula{Numerator: []string{"all_pass_requests"}, Denominator: []string{"requests", "compute_requests"}}},
		{"error_ratio", KindRealtime, &Formula{Numerator: []string{"all_status_5xx"}, Denominator: []string{"requests", "compute_requests"}}},
		{"error_ratio", KindOrigins, &Formula{Numerator: []string{"all_status_5xx"}, Denominator: []string{"all_responses"}}},
		{"error_ratio_4xx_5xx", KindHistorical, &Formula{Numerator: []string{"all_status_4xx", "all_status_5xx"}, Denominator: []string{"requests", "compute_requests"}}},
		{"bandwidth", KindHistorical, nil},
		{"bandwidth", KindDomains, nil},
		{"bandwidth", KindRealtime, &Formula{Numerator: bandwidthFields, Total: true}},
		{"bandwidth_bps", KindHistorical, &Formula{Numerator: []string{"bandwidth"}, Scale: 8}},
		{"bandwidth_bps", KindRealtime, &Formula{Numerator: bandwidthFields, Scale: 8}},
		{"edge_bps", KindRealtime, &Formula{Numerator: []string{"resp_header_bytes", "resp_body_bytes", "compute_resp_header_bytes", "compute_resp_body_bytes"}, Scale: 8}},
		{"miss_latency_p95", KindRealtime, &Formula{Numerator: []string{"miss_histogram"}, Quantile: 0.95}},
		{"origin_latency_p50", KindOrigins, &Formula{Numerator: LatencyBucketFields("all_"), Quantile: 0.5}},
		{"requests", KindRealtime, nil},
		{"edge_hit_ratio", KindDomains, nil},
		{"origin_offload", KindHistorical, nil},
	}
	for _, c := range cases {
		got := mustLookup(t, c.name).FormulaFor(c.kind)
		if c.want == nil {
			assert.Nil(t, got, "%s/%s is sent by Fastly", c.name, c.kind)
			continue
		}
		require.NotNil(t, got, "%s/%s", c.name, c.kind)
		assert.Equal(t, c.want.Numerator, got.Numerator, "%s/%s numerator", c.name, c.kind)
		assert.ElementsMatch(t, c.want.Denominator, got.Denominator, "%s/%s denominator", c.name, c.kind)
		assert.Equal(t, c.want.Scale, got.Scale, "%s/%s scale", c.name, c.kind)
		assert.Equal(t, c.want.Quantile, got.Quantile, "%s/%s quantile", c.name, c.kind)
		assert.Equal(t, c.want.Total, got.Total, "%s/%s total", c.name, c.kind)
	}
	assert.Len(t, bandwidthFields, 16, "Fastly's bandwidth adds 16 byte counters")
}

func TestFormulaInputsExistForTheirKind(t *testing.T) {
	// A formula reading a field Fastly does not send for that kind would silently plot zero.
	for _, m := range All() {
		for _, k := range m.Kinds {
			f := m.FormulaFor(k)
			if f == nil {
				assert.True(t, sentNatively(m, k), "%s in %s has neither a field nor a formula", m.Name, k)
				continue
			}
			for _, in := range append(append([]string{}, f.Numerator...), f.Denominator...) {
				src, ok := Lookup(in)
				if assert.True(t, ok, "%s/%s reads unknown %s", m.Name, k, in) {
					assert.True(t, sentNatively(src, k), "%s/%s reads %s, which %s does not send", m.Name, k, in, k)
				}
			}
		}
	}
}

func TestFormulaForReturnsACopy(t *testing.T) {
	f := mustLookup(t, "hit_ratio").FormulaFor(KindRealtime)
	f.Numerator[0] = "changed"
	f.Denominator = nil
	again := mustLookup(t, "hit_ratio").FormulaFor(KindRealtime)
	assert.Equal(t, []string{"all_hit_requests"}, again.Numerator)
	assert.Equal(t, []string{"all_hit_requests", "all_miss_requests"}, again.Denominator)
}

func TestPercentileMetrics(t *testing.T) {
	for name, want := range map[string]struct {
		q    float64
		kind Kind
	}{
		"miss_latency_p50": {0.5, KindRealtime}, "miss_latency_p95": {0.95, KindRealtime}, "miss_latency_p99": {0.99, KindRealtime},
		"origin_latency_p50": {0.5, KindOrigins}, "origin_latency_p95": {0.95, KindOrigins}, "origin_latency_p99": {0.99, KindOrigins},
	} {
		m := mustLookup(t, name)
		assert.Equal(t, want.q, m.Percentile, name)
		assert.Equal(t, []Kind{want.kind}, m.Kinds, name)
		assert.Equal(t, UnitMillis, m.Unit, name)
		assert.True(t, m.NullWhenIdle(), name)
		assert.False(t, m.IsCount(), name)
	}
}

// TestLatencyHeatmapIsAHistogram: the heatmap is a catalog metric like the others, marked as a
// distribution over the Origin Inspector latency buckets, which Fields fetches for it.
func TestLatencyHeatmapIsAHistogram(t *testing.T) {
	m := mustLookup(t, "origin_latency_heatmap")
	assert.True(t, m.Histogram)
	assert.Equal(t, []Kind{KindOrigins}, m.Kinds)
	assert.False(t, m.IsCount(), "a distribution is not summed into one value")
	assert.Equal(t, LatencyBucketFields(OriginLatencyPrefix), Fields([]string{m.Name}, KindOrigins), "every source's buckets")
	b, err := json.Marshal(m)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"histogram":true`, "the editor reads the mark")
	for _, other := range All() {
		assert.Equal(t, other.Name == m.Name, other.Histogram, other.Name)
	}
}

func TestSubTimeIsSecondsWithNanosecondRealtime(t *testing.T) {
	m := mustLookup(t, "recv_sub_time")
	assert.Equal(t, UnitSeconds, m.Unit)
	assert.Equal(t, 1e-9, m.RealtimeScale)
	assert.True(t, m.Float)
	for _, name := range []string{"hits_time", "miss_time", "pass_time"} {
		m := mustLookup(t, name)
		assert.Equal(t, UnitSeconds, m.Unit, name)
		assert.Zero(t, m.RealtimeScale, "%s is seconds in both APIs", name)
		assert.True(t, m.Float, name)
	}
	assert.Equal(t, UnitMillis, mustLookup(t, "compute_execution_time_ms").Unit)
}

func TestFields(t *testing.T) {
	got := Fields([]string{"all_requests", "hit_ratio", "hits", "miss_latency_p50", "miss_latency_p99", "error_ratio"}, KindRealtime)
	assert.Equal(t, []string{"requests", "compute_requests", "all_hit_requests", "all_miss_requests", "hits", "miss",
		"miss_histogram", "all_status_5xx", "status_5xx", "compute_resp_status_5xx"}, got, "every-source fields with their sources")

	assert.Equal(t, []string{"bandwidth"}, Fields([]string{"bandwidth", "bandwidth_bps"}, KindHistorical),
		"historical bandwidth is native and bits per second reads it")
	assert.Equal(t, bandwidthFields, Fields([]string{"bandwidth", "bandwidth_bps", "edge_bps"}, KindRealtime),
		"real-time bandwidth is summed; edge_bps inputs are already among them")

	origins := Fields([]string{"origin_latency_p95", "all_responses", "error_ratio"}, KindOrigins)
	assert.Equal(t, append(LatencyBucketFields("all_"), "all_responses", "all_status_5xx"), origins)

	assert.Equal(t, []string{"requests"}, Fields([]string{"nope", "requests", "latency_0_to_1ms"}, KindHistorical),
		"unknown and wrong-kind names are left to Resolve")
	assert.Empty(t, Fields(nil, KindDomains))
}

func TestRateUnit(t *testing.T) {
	for name, want := range map[string]string{
		"requests":                "reqps",
		"all_requests":            "reqps",
		"all_status_503":          "reqps",
		"hits":                    "reqps",
		"status_5xx":              "reqps",
		"edge_requests":           "reqps",
		"responses":               "reqps",
		"latency_0_to_1ms":        "reqps",
		"bot_challenges_issued":   "cps",
		"recv_sub_count":          "cps",
		"imgvideo_frames":         "cps",
		"resp_body_bytes":         "Bps",
		"bandwidth":               "Bps",
		"bandwidth_bps":           "bps",
		"edge_bps":                "bps",
		"hit_ratio":               "percentunit",
		"origin_offload":          "percentunit",
		"miss_latency_p95":        "ms",
		"hits_time":               "s",
		"compute_request_time_ms": "ms",
	} {
		assert.Equal(t, want, RateUnit(mustLookup(t, name)), name)
	}
}

func TestIsCount(t *testing.T) {
	for name, want := range map[string]bool{
		"requests": true, "all_requests": true, "all_status_404": true, "bandwidth": true, "resp_body_bytes": true, "hits_time": true,
		"hit_ratio": false, "edge_hit_ratio": false, "origin_offload": false, "error_ratio": false,
		"edge_bps": false, "bandwidth_bps": false, "origin_latency_p99": false,
	} {
		m := mustLookup(t, name)
		assert.Equal(t, want, m.IsCount(), name)
		if m.Ratio {
			assert.True(t, m.NullWhenIdle(), name)
		}
	}
	assert.False(t, mustLookup(t, "requests").NullWhenIdle())
}

func TestMetricJSONIsWhatTheEditorReads(t *testing.T) {
	b, err := json.Marshal(mustLookup(t, "status_5xx"))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, map[string]any{
		"name": "status_5xx", "label": "Status 5xx (VCL)", "unit": "short", "category": "Status codes",
		"description": got["description"],
		"kinds":       []any{"historical", "realtime", "origins", "domains"},
	}, got)
	assert.Contains(t, got["description"], "5xx")
}

func TestRecordKeysAndHiddenInputs(t *testing.T) {
	assert.Equal(t, []string{"service_id", "start_time"}, RecordKeys)
	assert.False(t, IsRecordKey("requests"))
	h := mustLookup(t, MissHistogramField)
	assert.True(t, h.Hidden)
	assert.Equal(t, []Kind{KindRealtime}, h.Kinds)
	for _, m := range ForKind(KindRealtime) {
		assert.NotEqual(t, MissHistogramField, m.Name)
	}
	_, ok := Lookup("service_id")
	assert.False(t, ok)
}
