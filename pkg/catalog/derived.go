package catalog

// Metrics the plugin computes from Fastly fields. Where Fastly also sends a field of the same
// name (hit_ratio in historical data, bandwidth), the table row supplies the native kinds and
// these definitions add the computed ones.

// bandwidthFields is Fastly's own definition of `bandwidth`: bytes delivered to clients plus
// bytes sent to backends, for VCL, Compute, WebSocket and Fanout traffic. Real-time sends
// every one of them but not their sum.
var bandwidthFields = []string{
	"resp_header_bytes", "resp_body_bytes", "bereq_header_bytes", "bereq_body_bytes",
	"compute_resp_header_bytes", "compute_resp_body_bytes", "compute_bereq_header_bytes", "compute_bereq_body_bytes",
	"websocket_resp_header_bytes", "websocket_resp_body_bytes", "websocket_bereq_header_bytes", "websocket_bereq_body_bytes",
	"fanout_resp_header_bytes", "fanout_resp_body_bytes", "fanout_bereq_header_bytes", "fanout_bereq_body_bytes",
}

// edgeBytesFields are the bytes Fastly delivered to clients.
var edgeBytesFields = []string{"resp_header_bytes", "resp_body_bytes"}

// MissHistogramField is the real-time field holding origin fetch times on cache misses, as a
// map from a millisecond bucket to a count. The real-time decoder keeps it for the
// miss_latency_* percentiles.
const MissHistogramField = "miss_histogram"

// ratio is a Formula dividing the sum of num by the sum of den.
func ratio(num []string, den ...string) *Formula {
	return &Formula{Numerator: num, Denominator: den}
}

// both gives historical and real-time the same formula.
func both(f *Formula) map[Kind]*Formula {
	return map[Kind]*Formula{KindHistorical: f, KindRealtime: f}
}

// percentiles builds the p50/p95/p99 metrics of one histogram.
func percentiles(prefix, label, category, what string, k Kind, inputs []string) []Metric {
	var out []Metric
	for _, p := range []struct {
		suffix string
		q      float64
		words  string
	}{{"p50", 0.5, "median"}, {"p95", 0.95, "95th percentile"}, {"p99", 0.99, "99th percentile"}} {
		out = append(out, Metric{
			Name:        prefix + "_" + p.suffix,
			Label:       label + " " + p.suffix,
			Unit:        UnitMillis,
			Category:    category,
			Description: "The " + p.words + " of " + what + ", estimated by the plugin from Fastly's latency histogram (null when nothing was fetched).",
			Float:       true,
			Percentile:  p.q,
			formulas:    map[Kind]*Formula{k: {Numerator: inputs, Quantile: p.q}},
		})
	}
	return out
}

// derived lists every computed metric. Label and Description set here win over the generated
// ones, except where a kind has its own line (wording.go).
var derived = func() []Metric {
	ms := []Metric{
		{
			Name: "hit_ratio", Label: "Hit ratio", Unit: UnitPercentUnit, Category: catRequests, Float: true, Ratio: true,
			Description: "Share of cacheable lookups served from cache: hits / (hits + misses). Computed by the plugin everywhere so it is consistent and null without traffic.",
			formulas:    both(ratio([]string{"hits"}, "hits", "miss")),
		},
		{
			Name: "miss_ratio", Label: "Miss ratio", Unit: UnitPercentUnit, Category: catRequests, Float: true, Ratio: true,
			Description: "Share of cacheable lookups that had to go to the origin: misses / (hits + misses).",
			formulas:    both(ratio([]string{"miss"}, "hits", "miss")),
		},
		{
			Name: "pass_ratio", Label: "Pass ratio", Unit: UnitPercentUnit, Category: catRequests, Float: true, Ratio: true,
			Description: "Share of all requests that bypassed the cache (pass) and went straight to the origin.",
			formulas:    both(ratio([]string{"pass"}, "requests")),
		},
		{
			Name: "error_ratio", Label: "5xx ratio", Unit: UnitPercentUnit, Category: catStatusCodes, Float: true, Ratio: true,
			Description: "Share of requests that got a 5xx response: status_5xx / requests; null without traffic. The usual alerting signal.",
			formulas: map[Kind]*Formula{
				KindHistorical: ratio([]string{"status_5xx"}, "requests"),
				KindRealtime:   ratio([]string{"status_5xx"}, "requests"),
				KindOrigins:    ratio([]string{"status_5xx"}, "responses"),
			},
		},
		{
			Name: "error_ratio_4xx_5xx", Label: "4xx+5xx ratio", Unit: UnitPercentUnit, Category: catStatusCodes, Float: true, Ratio: true,
			Description: "Share of requests that got a client or server error response (4xx or 5xx): (status_4xx + status_5xx) / requests.",
			formulas: map[Kind]*Formula{
				KindHistorical: ratio([]string{"status_4xx", "status_5xx"}, "requests"),
				KindRealtime:   ratio([]string{"status_4xx", "status_5xx"}, "requests"),
				KindOrigins:    ratio([]string{"status_4xx", "status_5xx"}, "responses"),
			},
		},
		{
			Name: "bandwidth", Label: "Bandwidth", Unit: UnitBytes, Category: catBandwidth,
			Description: "All bytes Fastly moved for the service: responses to clients plus requests to backends, for VCL, Compute, WebSocket and Fanout traffic. Summed by the plugin in real-time.",
			formulas:    map[Kind]*Formula{KindRealtime: {Numerator: bandwidthFields, Total: true}},
		},
		{
			Name: "bandwidth_bps", Label: "Bandwidth (bits/s)", Unit: UnitBitsPerSec, Category: catBandwidth, Float: true,
			Description: "Bandwidth as a bit rate: the bucket's total bytes times 8, divided by the bucket length.",
			formulas: map[Kind]*Formula{
				KindHistorical: {Numerator: []string{"bandwidth"}, Scale: 8},
				KindRealtime:   {Numerator: bandwidthFields, Scale: 8},
				KindDomains:    {Numerator: []string{"bandwidth"}, Scale: 8},
			},
		},
		{
			Name: "edge_bps", Label: "Delivered (bits/s)", Unit: UnitBitsPerSec, Category: catBandwidth, Float: true,
			Description: "Bit rate of response headers and bodies delivered to clients, the traffic a CDN bill usually follows.",
			formulas:    both(&Formula{Numerator: edgeBytesFields, Scale: 8}),
		},
	}
	ms = append(ms, percentiles("miss_latency", "Miss latency", catOriginLatency,
		"the time to fetch from the origin on a cache miss", KindRealtime, []string{MissHistogramField})...)
	ms = append(ms, percentiles("origin_latency", "Origin latency", catOriginLatency,
		"the origin's response time", KindOrigins, LatencyBucketFields(""))...)
	ms = append(ms, Metric{
		Name: "origin_latency_heatmap", Label: "Origin latency heatmap", Unit: UnitShort, Category: catOriginLatency,
		Description: "How many origin responses took how long: one row per latency bucket, for a heatmap panel.",
		Histogram:   true,
		formulas:    map[Kind]*Formula{KindOrigins: {Numerator: LatencyBucketFields("")}},
	})
	return ms
}()

// merge lays the computed definition m over raw, the table row of the same name (zero when
// Fastly has no such field), keeping where Fastly sends it natively.
func (m Metric) merge(raw Metric) Metric {
	m.native = raw.native
	m.Float = m.Float || raw.Float
	if m.Category == "" {
		m.Category = raw.Category
	}
	return m
}
