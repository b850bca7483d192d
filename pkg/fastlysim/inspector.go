package fastlysim

import (
	"math"
	"strconv"
	"strings"
)

// Origin Inspector and Domain Inspector: a service's traffic split exactly over its domains
// (by edge requests) or its origin hosts (by backend fetches), with the inspectors' metric
// names. Every group's counts are exact splits of the stats base vectors, so the domains of a
// bucket add up to the service's stats record.

type inspectorKind struct {
	name    string // "domains" or "origins"
	dim     string // the dimension key: "domain" or "host"
	product string
	metrics map[string]func(d *drv) (any, bool)
	names   map[string][]string // service id -> domain/host names
	weights map[string][]float64
}

var domainsKind = &inspectorKind{
	name: "domains", dim: "domain", product: "domain_inspector", metrics: domainMetrics(),
	names: map[string][]string{
		ShopServiceID:   {"example-shop.com", "images.example-shop.com", "m.example-shop.com", "www.example-shop.com"},
		APIServiceID:    {"api-v2.example.com", "api.example.com"},
		SparseServiceID: {"status.example.com"},
	},
	weights: map[string][]float64{ShopServiceID: {.08, .25, .05, .62}, APIServiceID: {.3, .7}, SparseServiceID: {1}},
}

var originsKind = &inspectorKind{
	name: "origins", dim: "host", product: "origin_inspector", metrics: originMetrics(),
	names: map[string][]string{
		ShopServiceID:   {"images-bucket.s3.amazonaws.com", "shop-origin-eu.example.net", "shop-origin-us.example.net"},
		APIServiceID:    {"api-backend-1.example.net", "api-backend-2.example.net"},
		SparseServiceID: {"status-origin.example.net"},
	},
	weights: map[string][]float64{ShopServiceID: {.2, .3, .5}, APIServiceID: {.5, .5}, SparseServiceID: {1}},
}

// split divides a bucket's base vector over the service's domains or hosts.
func (k *inspectorKind) split(s *svcInfo, v vec, pop string, bucket int64) []vec {
	ph := make([]int64, nCells)
	for c := range ph {
		ph[c] = int64(hash(s.seed, strSeed(pop), uint64(bucket), strSeed(k.name), uint64(c)) & (wOne - 1))
	}
	return newSplitter(v, cumWeights(k.weights[s.ID]), ph).all()
}

func intM(f func(d *drv) int64) func(d *drv) (any, bool) {
	return func(d *drv) (any, bool) {
		x := f(d)
		return x, x != 0
	}
}

func ratioM(num, den func(d *drv) int64) func(d *drv) (any, bool) {
	return func(d *drv) (any, bool) {
		n, dd := num(d), den(d)
		if dd == 0 {
			return nil, false // no traffic: absent, which readers take as null
		}
		return math.Max(0, float64(n)/float64(dd)), true
	}
}

var statusCodes = []int{200, 204, 206, 301, 302, 304, 400, 401, 403, 404, 416, 429, 500, 501, 502, 503, 504, 505, 530}

// fetchStatus counts backend responses with a status (misses and passes).
func fetchStatus(d *drv, match func(code int) bool) int64 {
	var n int64
	for i, c := range cells {
		if (c.outcome == oMiss || c.outcome == oPass) && match(c.status) {
			n += d.v[i]
		}
	}
	return n
}

func addStatusMetrics(m map[string]func(d *drv) (any, bool), prefix string, fetchOnly bool) {
	count := func(match func(int) bool) func(d *drv) int64 {
		return func(d *drv) int64 {
			if fetchOnly {
				return fetchStatus(d, match)
			}
			var n int64
			for i, c := range cells {
				if match(c.status) {
					n += d.v[i]
				}
			}
			return n
		}
	}
	for _, code := range statusCodes {
		code := code
		m[prefix+"status_"+strconv.Itoa(code)] = intM(count(func(c int) bool { return c == code }))
	}
	for class := 1; class <= 5; class++ {
		class := class
		m[prefix+"status_"+strconv.Itoa(class)+"xx"] = intM(count(func(c int) bool { return c/100 == class }))
	}
}

func domainMetrics() map[string]func(d *drv) (any, bool) {
	reqs := func(d *drv) int64 { return d.g[gAll] }
	edgeBytes := func(d *drv) int64 { return d.respHdr() + d.respBody() }
	ofr := func(d *drv) int64 {
		return d.x(vOfrHdrMiss) + d.x(vOfrBodyMiss) + d.x(vOfrHdrPass) + d.x(vOfrBodyPass)
	}
	m := map[string]func(d *drv) (any, bool){
		"edge_requests":                  intM(reqs),
		"requests":                       intM(reqs),
		"edge_resp_header_bytes":         intM((*drv).respHdr),
		"edge_resp_body_bytes":           intM((*drv).respBody),
		"resp_header_bytes":              intM((*drv).respHdr),
		"resp_body_bytes":                intM((*drv).respBody),
		"bereq_header_bytes":             intM(func(d *drv) int64 { return d.x(vBereqHdr) }),
		"bereq_body_bytes":               intM(func(d *drv) int64 { return d.x(vReqBody) }),
		"edge_hit_requests":              intM(func(d *drv) int64 { return d.g[gHit] }),
		"edge_miss_requests":             intM(func(d *drv) int64 { return d.g[gMiss] }),
		"origin_fetches":                 intM(func(d *drv) int64 { return d.g[gFetch] }),
		"origin_fetch_resp_header_bytes": intM(func(d *drv) int64 { return d.x(vOfrHdrMiss) + d.x(vOfrHdrPass) }),
		"origin_fetch_resp_body_bytes":   intM(func(d *drv) int64 { return d.x(vOfrBodyMiss) + d.x(vOfrBodyPass) }),
		"bandwidth":                      intM(func(d *drv) int64 { return edgeBytes(d) + d.x(vBereqHdr) + d.x(vReqBody) }),
		"edge_hit_ratio":                 ratioM(func(d *drv) int64 { return d.g[gHit] }, func(d *drv) int64 { return d.g[gHit] + d.g[gMiss] }),
		"origin_offload":                 ratioM(func(d *drv) int64 { return edgeBytes(d) - ofr(d) }, edgeBytes),
		"http2":                          intM(func(d *drv) int64 { return d.x(vHTTP2) }),
		"tls_v10":                        intM(func(d *drv) int64 { return d.x(vTLS10) }),
		"tls_v11":                        intM(func(d *drv) int64 { return d.x(vTLSLe11) - d.x(vTLS10) }),
		"tls_v12":                        intM(func(d *drv) int64 { return d.x(vTLSNot13) - d.x(vTLSLe11) }),
		"tls_v13":                        intM(func(d *drv) int64 { return d.x(vTLS) - d.x(vTLSNot13) }),
	}
	addStatusMetrics(m, "", false)
	addStatusMetrics(m, "origin_", true)
	return m
}

// latencyBuckets are Origin Inspector's response-time buckets (upper bounds in ms).
var latencyBuckets = []struct {
	name string
	ub   float64
}{
	{"0_to_1ms", 1}, {"1_to_5ms", 5}, {"5_to_10ms", 10}, {"10_to_50ms", 50}, {"50_to_100ms", 100},
	{"100_to_250ms", 250}, {"250_to_500ms", 500}, {"500_to_1000ms", 1000}, {"1000_to_5000ms", 5000},
	{"5000_to_10000ms", 10000}, {"10000_to_60000ms", 60000}, {"60000ms", math.Inf(1)},
}

// latencyCounts spreads responses over the buckets along a log-normal curve whose mean is the
// bucket's mean backend time; the counts sum to responses.
func latencyCounts(d *drv) []int64 {
	n := d.g[gFetch]
	out := make([]int64, len(latencyBuckets))
	if n == 0 {
		return out
	}
	meanMs := float64(d.x(vMissTime)+d.x(vPassTime)) / ticksPerSec * 1000 / float64(n)
	const sigma = 0.7
	mu := math.Log(math.Max(meanMs, 0.1)) - sigma*sigma/2
	var prev int64
	for i, b := range latencyBuckets {
		cum := n
		if !math.IsInf(b.ub, 1) {
			cum = int64(math.Round(float64(n) * 0.5 * (1 + math.Erf((math.Log(b.ub)-mu)/(sigma*math.Sqrt2)))))
		}
		out[i] = max(cum-prev, 0)
		prev = max(prev, cum)
	}
	return out
}

func originMetrics() map[string]func(d *drv) (any, bool) {
	m := map[string]func(d *drv) (any, bool){
		"responses":         intM(func(d *drv) int64 { return d.g[gFetch] }),
		"resp_header_bytes": intM(func(d *drv) int64 { return d.x(vOfrHdrMiss) + d.x(vOfrHdrPass) }),
		"resp_body_bytes":   intM(func(d *drv) int64 { return d.x(vOfrBodyMiss) + d.x(vOfrBodyPass) }),
	}
	addStatusMetrics(m, "", true)
	for i, b := range latencyBuckets {
		i := i
		m["latency_"+b.name] = intM(func(d *drv) int64 { return latencyCounts(d)[i] })
	}
	// The all_* family covers VCL, WAF and Compute responses; the simulated origins see VCL only.
	for k, f := range m {
		if !strings.HasPrefix(k, "all_") {
			m["all_"+k] = f
		}
	}
	return m
}

// measure renders the metrics of one group vector, leaving out zeros and undefined ratios.
// The simulated inspectors are on VCL services only.
func (k *inspectorKind) measure(v vec, only []string) map[string]any {
	d := newDrv(v, false)
	out := map[string]any{}
	if only == nil {
		for name, f := range k.metrics {
			if x, ok := f(d); ok {
				out[name] = x
			}
		}
		return out
	}
	for _, name := range only {
		if x, ok := k.metrics[name](d); ok {
			out[name] = x
		}
	}
	return out
}
