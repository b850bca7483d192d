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

// edgeBytesFields are the bytes Fastly delivered to clients, from VCL and from Compute.
var edgeBytesFields = []string{"resp_header_bytes", "resp_body_bytes", "compute_resp_header_bytes", "compute_resp_body_bytes"}

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

// Fastly counts each source of traffic in its own fields (docs/fastly-api.md, "Compute
// services"): `requests`, `hits`, `status_5xx`... count VCL delivery only and stay 0 on a
// Compute service, whose traffic is in `compute_requests` and `compute_resp_status_*`. Its
// `all_*` fields count every source. What the picker offers as Requests, a status class, a
// ratio or a hit count is built from the every-source fields; the single-source ones keep
// their Fastly names.

// allRequests is every request, VCL and Compute: Fastly has no every-source request field.
var allRequests = []string{"requests", "compute_requests"}

// Every-source cache outcomes and status classes, as Fastly names them.
const (
	allHits = "all_hit_requests"
	allMiss = "all_miss_requests"
	allPass = "all_pass_requests"
	all4xx  = "all_status_4xx"
	all5xx  = "all_status_5xx"
)

// statusClasses are the status classes Fastly counts per source.
var statusClasses = []string{"1xx", "2xx", "3xx", "4xx", "5xx"}

// OriginLatencyPrefix names the Origin Inspector latency buckets the percentiles and the
// heatmap read: every source's (VCL, WAF and Compute fetches together).
const OriginLatencyPrefix = "all_"

// sum is a Formula adding fields per bucket, a count like the fields it adds.
func sum(fields ...string) *Formula { return &Formula{Numerator: fields, Total: true} }

// statusCodesOfEverySource are the status codes Fastly counts per code for VCL (status_NNN) and
// for Compute (compute_resp_status_NNN) but not for every source: the plugin adds the two.
var statusCodesOfEverySource = []string{
	"200", "204", "206", "301", "302", "304", "400", "401", "403", "404", "416", "429",
	"500", "501", "502", "503", "504", "505", "530",
}

// everySourceCodes builds the all_status_NNN metrics of historical and real-time queries.
func everySourceCodes() []Metric {
	var out []Metric
	for _, code := range statusCodesOfEverySource {
		out = append(out, Metric{
			Name: "all_status_" + code, Label: "Status " + code, Unit: UnitShort, Category: catStatusCodes,
			Description: "Responses with status " + code + " (" + statusNames[code] + ") from every source: status_" + code +
				" (VCL) plus compute_resp_status_" + code + " (Compute), added by the plugin.",
			formulas: both(sum("status_"+code, "compute_resp_status_"+code)),
		})
	}
	return out
}

// derived lists every computed metric. Label and Description set here win over the generated
// ones, except where a kind has its own line (wording.go).
var derived = func() []Metric {
	ms := []Metric{
		{
			Name: "all_requests", Label: "Requests", Unit: UnitShort, Category: catRequests,
			Description: "Every request Fastly received for the service, VCL and Compute: requests + compute_requests, added by the plugin. The base of the error ratios.",
			formulas:    both(sum(allRequests...)),
		},
		{
			Name: "hit_ratio", Label: "Hit ratio", Unit: UnitPercentUnit, Category: catRequests, Float: true, Ratio: true,
			Description: "Share of cacheable lookups served from cache: all_hit_requests / (all_hit_requests + all_miss_requests). Computed by the plugin everywhere so it is consistent and null without lookups (a Compute service has none).",
			formulas:    both(ratio([]string{allHits}, allHits, allMiss)),
		},
		{
			Name: "miss_ratio", Label: "Miss ratio", Unit: UnitPercentUnit, Category: catRequests, Float: true, Ratio: true,
			Description: "Share of cacheable lookups that had to go to the origin: all_miss_requests / (all_hit_requests + all_miss_requests).",
			formulas:    both(ratio([]string{allMiss}, allHits, allMiss)),
		},
		{
			Name: "pass_ratio", Label: "Pass ratio", Unit: UnitPercentUnit, Category: catRequests, Float: true, Ratio: true,
			Description: "Share of all requests, VCL and Compute, that bypassed the cache (pass) and went straight to the origin.",
			formulas:    both(ratio([]string{allPass}, allRequests...)),
		},
		{
			Name: "error_ratio", Label: "5xx ratio", Unit: UnitPercentUnit, Category: catStatusCodes, Float: true, Ratio: true,
			Description: "Share of requests, VCL and Compute, that got a 5xx response: all_status_5xx / (requests + compute_requests); null without traffic. The usual alerting signal.",
			formulas: map[Kind]*Formula{
				KindHistorical: ratio([]string{all5xx}, allRequests...),
				KindRealtime:   ratio([]string{all5xx}, allRequests...),
				KindOrigins:    ratio([]string{all5xx}, "all_responses"),
			},
		},
		{
			Name: "error_ratio_4xx_5xx", Label: "4xx+5xx ratio", Unit: UnitPercentUnit, Category: catStatusCodes, Float: true, Ratio: true,
			Description: "Share of requests, VCL and Compute, that got a client or server error response: (all_status_4xx + all_status_5xx) / (requests + compute_requests).",
			formulas: map[Kind]*Formula{
				KindHistorical: ratio([]string{all4xx, all5xx}, allRequests...),
				KindRealtime:   ratio([]string{all4xx, all5xx}, allRequests...),
				KindOrigins:    ratio([]string{all4xx, all5xx}, "all_responses"),
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
			Description: "Bit rate of response headers and bodies delivered to clients by VCL and Compute, the traffic a CDN bill usually follows.",
			formulas:    both(&Formula{Numerator: edgeBytesFields, Scale: 8}),
		},
	}
	ms = append(ms, everySourceCodes()...)
	for _, name := range append(withPrefix("all_status_", statusClasses), allHits, allMiss, allPass) {
		// Fastly's own every-source count, read at least as the sum of its sources (Floors)
		ms = append(ms, Metric{Name: name, formulas: both(sum(name))})
	}
	ms = append(ms, percentiles("miss_latency", "Miss latency", catOriginLatency,
		"the time to fetch from the origin on a cache miss", KindRealtime, []string{MissHistogramField})...)
	ms = append(ms, percentiles("origin_latency", "Origin latency", catOriginLatency,
		"the origin's response time to every source's fetches", KindOrigins, LatencyBucketFields(OriginLatencyPrefix))...)
	ms = append(ms, Metric{
		Name: "origin_latency_heatmap", Label: "Origin latency heatmap", Unit: UnitShort, Category: catOriginLatency,
		Description: "How many origin responses, to every source's fetches, took how long: one row per latency bucket, for a heatmap panel.",
		Histogram:   true,
		formulas:    map[Kind]*Formula{KindOrigins: {Numerator: LatencyBucketFields(OriginLatencyPrefix)}},
	})
	return ms
}()

// merge lays the computed definition m over raw, the table row of the same name (zero when
// Fastly has no such field), keeping where Fastly sends it natively.
func (m Metric) merge(raw Metric) Metric {
	m.native = raw.native
	m.Float = m.Float || raw.Float
	if m.Unit == "" {
		m.Unit = raw.Unit
	}
	if m.Category == "" {
		m.Category = raw.Category
	}
	return m
}

// floorTables lists, per kind, the single-source fields each every-source field includes
// (docs/fastly-api.md, "Compute services"): VCL delivery and Compute in the stats. Origin
// Inspector has none: its reference defines every all_* field, and a floor there would cost a
// call per ten more metric names.
var floorTables = map[Kind]map[string][]string{
	KindHistorical: statsFloors,
	KindRealtime:   statsFloors,
}

var statsFloors = func() map[string][]string {
	m := map[string][]string{allHits: {"hits"}, allMiss: {"miss"}, allPass: {"pass"}}
	for _, class := range statusClasses {
		m["all_status_"+class] = []string{"status_" + class, "compute_resp_status_" + class}
	}
	return m
}()

// floorsFor picks from kind k's table the floors of the fields formula f reads.
func floorsFor(k Kind, f *Formula) map[string][]string {
	var out map[string][]string
	for _, n := range append(append([]string(nil), f.Numerator...), f.Denominator...) {
		if parts, ok := floorTables[k][n]; ok {
			if out == nil {
				out = map[string][]string{}
			}
			out[n] = parts
		}
	}
	return out
}

// withPrefix puts prefix before each of names.
func withPrefix(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}
