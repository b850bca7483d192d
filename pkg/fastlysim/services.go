package fastlysim

import (
	"fmt"
	"hash/fnv"
)

// Service is one Fastly service as the simulator's /service list shows it.
type Service struct {
	ID      string
	Name    string
	Type    string // "vcl" or "wasm"
	Version int    // the active version
}

// Well-known service ids, stable across runs so tests and provisioned dashboards can name them.
const (
	ShopServiceID    = "SU1Z0isxPaozGVKXdv0eY"  // www.example-shop.com: busy, global, shielded
	APIServiceID     = "7i6HN3TK9wS159v2gPAZ8A" // api.example.com: mostly pass, a daily 13:00 UTC 5xx incident
	StaticServiceID  = "2Ksz9bnQmvJQqHbvGrp9mW" // static-assets: quiet, Europe only, no traffic 00:00-06:00 UTC
	ComputeServiceID = "4M0Xq1dVp9ZyRfQ6JLtc3e" // edge-compute-app: a Compute (wasm) service
	IdleServiceID    = "0bT9yWnJc5qkRzE8hXs2Lp" // old-marketing-site: never any traffic
	SparseServiceID  = "5pRsE3kq8NcTzw1VbYh0Xm" // status-page: a request every few seconds, so most seconds are idle
)

// extraServices is how many generated, idle services follow the named ones (45 in all), so
// that /service needs three pages at the API's default per_page of 20.
const extraServices = 39

// profile is the traffic model of one service.
type profile struct {
	peakRPS   float64    // all POPs together, at the daily peak
	pops      []string   // POP codes it is served from
	outcomes  [5]float64 // share of requests: hit, miss, pass, error, synth
	status    [5]map[int]float64
	weekend   float64  // traffic factor on Saturday and Sunday
	nightUTC  [2]int64 // [from, to) UTC hours with no traffic at all; {0,0} = none
	incident  int64    // UTC hour with elevated 5xx every day; -1 = none
	compute   bool     // a wasm service: no VCL subroutines, compute_* counters instead
	objBytes  float64  // mean cached object body size
	passBytes float64  // mean pass response body size
	reqBody   float64  // mean request body of passed requests (POST/PUT)
	originMs  float64  // mean origin latency of a miss
	passMs    float64  // mean origin latency of a pass
	shield    float64  // share of misses that go through a shield POP
	imgopto   float64  // share of requests answered by Image Optimizer
	video     float64  // share of requests that are video
	pci       float64  // share of passes flagged PCI
	pipe      float64  // share of passes piped (WebSocket)
	log       float64  // log lines per request
	attacks   float64  // share of synthetic responses that are WAF blocks
	sizeShare [6]float64
}

type svcInfo struct {
	Service
	seed  uint64
	prof  *profile
	share map[string]float64 // POP -> share of the service's traffic
	// scenarios are the incidents a test or demo plays on this service (PlayScenario).
	scenarios *scenarios
}

var (
	statusShop = [5]map[int]float64{
		{200: .86, 304: .08, 206: .02, 301: .015, 302: .01, 404: .012, 204: .002, 416: .001},
		{200: .9, 206: .02, 301: .02, 302: .02, 404: .03, 500: .002, 502: .002, 503: .003, 504: .003},
		{200: .8, 204: .05, 302: .08, 400: .01, 401: .01, 403: .01, 404: .02, 429: .005, 500: .005, 502: .003, 503: .004, 504: .003},
		{503: .7, 504: .2, 500: .07, 501: .02, 505: .01},
		{301: .5, 302: .2, 403: .15, 404: .1, 200: .04, 429: .01},
	}
	statusAPI = [5]map[int]float64{
		{200: .93, 304: .05, 404: .02},
		{200: .9, 404: .08, 502: .005, 503: .01, 504: .005},
		{200: .82, 204: .06, 101: .004, 400: .03, 401: .03, 403: .01, 404: .02, 429: .015, 500: .004, 502: .003, 503: .01, 504: .004},
		{503: .8, 504: .15, 500: .05},
		{429: .6, 403: .3, 200: .1},
	}
	statusStatic = [5]map[int]float64{
		{200: .9, 304: .09, 404: .01},
		{200: .95, 404: .05},
		{200: 1},
		{503: 1},
		{301: 1},
	}
)

func namedProfiles() []*svcInfo {
	shop := &profile{
		peakRPS: 2500, outcomes: [5]float64{.9, .055, .035, .002, .008}, status: statusShop,
		pops:    popsOf([]string{"United States", "Europe", "Asia/Pacific", "South America", "Africa"}, 24),
		weekend: 1.15, incident: -1, objBytes: 38000, passBytes: 9000, reqBody: 800, originMs: 120, passMs: 210,
		shield: .7, imgopto: .18, video: .004, pci: .3, pipe: 0, log: 1, attacks: .3,
		sizeShare: [6]float64{.85, .55, .12, .01, .001, .0001},
	}
	api := &profile{
		peakRPS: 600, outcomes: [5]float64{.35, .1, .53, .004, .016}, status: statusAPI,
		pops:    popsOf([]string{"United States", "Europe"}, 14),
		weekend: .6, incident: 13, objBytes: 2400, passBytes: 1800, reqBody: 2100, originMs: 80, passMs: 180,
		pipe: .002, log: 1, attacks: .5, sizeShare: [6]float64{.6, .05, .001, 0, 0, 0},
	}
	static := &profile{
		peakRPS: 15, outcomes: [5]float64{.975, .02, .002, .0005, .0025}, status: statusStatic,
		pops:    popsOf([]string{"Europe"}, 8),
		weekend: 1, nightUTC: [2]int64{0, 6}, incident: -1, objBytes: 150000, passBytes: 500, originMs: 60,
		passMs: 90, shield: .5, sizeShare: [6]float64{.97, .9, .4, .05, .002, 0},
	}
	compute := &profile{
		peakRPS: 120, outcomes: [5]float64{.45, .15, .39, .003, .007}, status: statusAPI,
		pops:    popsOf([]string{"United States", "Europe", "Asia/Pacific"}, 10),
		weekend: .9, incident: -1, compute: true, objBytes: 8000, passBytes: 4000, reqBody: 500, originMs: 70,
		passMs: 110, log: 2, sizeShare: [6]float64{.8, .3, .02, 0, 0, 0},
	}
	// sparse is what real captures of small services show: seconds with traffic are the
	// exception, so real-time answers leave most seconds out.
	sparse := &profile{
		peakRPS: 0.4, outcomes: [5]float64{.8, .15, .05, 0, 0}, status: statusStatic,
		pops:    popsOf([]string{"Europe"}, 3),
		weekend: 1, incident: -1, objBytes: 3000, passBytes: 400, originMs: 40, passMs: 60,
		sizeShare: [6]float64{.5, .01, 0, 0, 0, 0},
	}
	return []*svcInfo{
		{Service: Service{ID: ShopServiceID, Name: "www.example-shop.com", Type: "vcl", Version: 42}, prof: shop},
		{Service: Service{ID: APIServiceID, Name: "api.example.com", Type: "vcl", Version: 17}, prof: api},
		{Service: Service{ID: StaticServiceID, Name: "static-assets", Type: "vcl", Version: 5}, prof: static},
		{Service: Service{ID: ComputeServiceID, Name: "edge-compute-app", Type: "wasm", Version: 8}, prof: compute},
		{Service: Service{ID: IdleServiceID, Name: "old-marketing-site", Type: "vcl", Version: 3}, prof: &profile{}},
		{Service: Service{ID: SparseServiceID, Name: "status-page", Type: "vcl", Version: 2}, prof: sparse},
	}
}

var extraNames = []string{"staging-www", "preview", "dev-sandbox", "test-service", "docs-mirror", "legacy-redirects", "qa-edge", "perf-lab"}

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// genID makes a 22-character id like Fastly's from a name, so generated ids are stable.
func genID(name string) string {
	h := fnv.New64a()
	h.Write([]byte(name))
	x := h.Sum64()
	b := make([]byte, 22)
	for i := range b {
		x = mix(x + uint64(i))
		b[i] = idAlphabet[x%uint64(len(idAlphabet))]
	}
	return string(b)
}

func buildServices(busy int) []*svcInfo {
	all := namedProfiles()
	static := all[2].prof
	for i := 1; i <= busy; i++ {
		// Quiet, Europe-only traffic like static-assets, each with its own seed: a large
		// account whose services all carry some traffic, for the 1,000-service benchmarks.
		name := fmt.Sprintf("busy-%04d", i)
		all = append(all, &svcInfo{Service: Service{ID: genID(name), Name: name, Type: "vcl", Version: 1}, prof: static})
	}
	for i := 1; i <= extraServices; i++ {
		name := fmt.Sprintf("%s-%02d", extraNames[i%len(extraNames)], i)
		typ := "vcl"
		if i%5 == 0 {
			typ = "wasm"
		}
		all = append(all, &svcInfo{Service: Service{ID: genID(name), Name: name, Type: typ, Version: 1 + i%7}, prof: &profile{}})
	}
	for _, s := range all {
		h := fnv.New64a()
		h.Write([]byte(s.ID))
		s.seed = h.Sum64()
		s.share = popShares(s)
		s.scenarios = &scenarios{}
	}
	return all
}

// popShares gives each of a service's POPs a fixed, uneven share of its traffic.
func popShares(s *svcInfo) map[string]float64 {
	m := make(map[string]float64, len(s.prof.pops))
	var total float64
	for _, p := range s.prof.pops {
		w := 0.2 + unit(hash(s.seed, strSeed(p), 7))*1.8
		m[p] = w
		total += w
	}
	for p := range m {
		m[p] /= total
	}
	return m
}

func strSeed(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
