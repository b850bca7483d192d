package fastlysim

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// logGroup accumulates the records of one dimension value.
type logGroup struct {
	key                 string
	n, hits, miss, err5 int64
	bytes               int64
	timeSum             float64
	times               []float64
	sub                 map[string]*logGroup // regions of a country
	subOrder            []string
	urls                map[string]int64 // records per URL, for the status and 503 breakdowns
}

func (g *logGroup) add(r logRec) {
	g.n++
	switch r.outcome {
	case oHit:
		g.hits++
	case oMiss:
		g.miss++
	}
	if r.status >= 500 {
		g.err5++
	}
	g.bytes += r.body + r.header
	g.timeSum += r.respTime
	g.times = append(g.times, r.respTime)
	if g.urls == nil {
		g.urls = map[string]int64{}
	}
	g.urls[r.path]++
}

// hitRatio is hits/(hits+misses); ok is false without either.
func (g *logGroup) hitRatio() (float64, bool) {
	if g.hits+g.miss == 0 {
		return 0, false
	}
	return float64(g.hits) / float64(g.hits+g.miss), true
}

// ranking is one Log Insights visualization: which records count, the dimension, the order.
type ranking struct {
	dim     string                    // dimension key in the answer
	keep    func(logRec) bool         // nil = every record
	key     func(logRec) string       // the dimension value
	less    func(a, b *logGroup) bool // true when a ranks before b
	values  func(g *logGroup, c *rankCtx) map[string]any
	errors  bool // a 4xx/5xx ranking: values only with LogBehaviour.ErrorRankingValues
	noLimit bool // ignores limit unless LogBehaviour.HonourLimit
	// breakdown names the per-URL value of a ranking whose values are a breakdown by URL (a
	// status code's, a 503 reason's), its own share of the requests being an attribute
	breakdown string
}

// rankCtx carries a request's totals and settings into the value functions.
type rankCtx struct {
	total, totalBytes int64
	totalTime         float64
	percent           bool
}

func (c *rankCtx) ratio(x float64) float64 {
	if c.percent {
		x *= 100
	}
	return round(x, 6)
}

func (c *rankCtx) share(x, total float64) float64 {
	if total == 0 {
		return 0
	}
	return round(100*x/total, 4)
}

// pct is n's share of the window's sampled requests, in percent: what Fastly's reference says
// rate and request_percentage are (docs/fastly-api.md, "Log Insights").
func (c *rankCtx) pct(n int64) float64 { return c.share(float64(n), float64(c.total)) }

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}

func byCount(a, b *logGroup) bool { return a.n > b.n }
func urlOf(r logRec) string       { return r.path }

func requestValues(g *logGroup, c *rankCtx) map[string]any {
	return map[string]any{"request_percentage": c.pct(g.n), "rate": c.pct(g.n)}
}

func statusBetween(lo, hi int) func(logRec) bool {
	return func(r logRec) bool { return r.status >= lo && r.status <= hi }
}

func hitRatioOrder(desc bool) func(a, b *logGroup) bool {
	return func(a, b *logGroup) bool {
		x, _ := a.hitRatio()
		y, _ := b.hitRatio()
		if x == y {
			return a.n > b.n
		}
		return (x > y) == desc
	}
}

func hitRatioValues(g *logGroup, c *rankCtx) map[string]any {
	chr, _ := g.hitRatio()
	return map[string]any{"cache_hit_ratio": c.ratio(chr), "request_percentage": c.share(float64(g.n), float64(c.total))}
}

// urlBreakdown is a status code's or a 503 reason's values: per URL (the most frequent first,
// at most five), the URL's share of the group's responses (rate_per_status for a status code;
// rate_per_url for a 503 reason, with the share of the URL's responses that are 503).
func urlBreakdown(g *logGroup, key string, urls map[string]int64) []map[string]any {
	type u struct {
		url string
		n   int64
	}
	var list []u
	for url, n := range g.urls {
		list = append(list, u{url, n})
	}
	slices.SortFunc(list, func(a, b u) int {
		if a.n != b.n {
			return int(b.n - a.n)
		}
		return strings.Compare(a.url, b.url)
	})
	out := []map[string]any{}
	for i, x := range list {
		if i == 5 {
			break
		}
		v := map[string]any{"url": x.url, key: round(100*float64(x.n)/float64(g.n), 4)}
		if key == "rate_per_url" {
			v["_503_rate_per_url"] = round(100*float64(x.n)/float64(max(urls[x.url], 1)), 4)
		}
		out = append(out, v)
	}
	return out
}

var cacheable = func(r logRec) bool { return r.outcome == oHit || r.outcome == oMiss }

var rankings = map[string]ranking{
	"top-url-by-requests": {dim: "url", key: urlOf, less: byCount, values: requestValues},
	"top-url-by-bandwidth": {dim: "url", key: urlOf, less: func(a, b *logGroup) bool { return a.bytes > b.bytes },
		values: func(g *logGroup, c *rankCtx) map[string]any {
			return map[string]any{"bandwidth_percentage": c.share(float64(g.bytes), float64(c.totalBytes)), "average_bandwidth_bytes": round(float64(g.bytes)/float64(g.n), 1)}
		}},
	"top-url-by-misses": {dim: "url", key: urlOf, keep: cacheable, less: func(a, b *logGroup) bool { return a.miss > b.miss },
		values: func(g *logGroup, c *rankCtx) map[string]any {
			return map[string]any{"miss_rate": c.ratio(float64(g.miss) / float64(g.n)), "rate": c.pct(g.n)}
		}},
	"top-url-by-cache-hit-ratio":    {dim: "url", key: urlOf, keep: cacheable, less: hitRatioOrder(true), values: hitRatioValues},
	"bottom-url-by-cache-hit-ratio": {dim: "url", key: urlOf, keep: cacheable, less: hitRatioOrder(false), values: hitRatioValues},
	"top-url-by-duration-sum": {dim: "url", key: urlOf, less: func(a, b *logGroup) bool { return a.timeSum > b.timeSum },
		values: func(g *logGroup, c *rankCtx) map[string]any {
			return map[string]any{"average_response_time": round(g.timeSum/float64(g.n), 6), "p95_response_time": p95(g.times),
				"response_time_percentage": c.share(g.timeSum, c.totalTime)}
		}},
	"top-4xx-urls": {dim: "url", key: urlOf, keep: statusBetween(400, 499), less: byCount, values: requestValues, errors: true},
	"top-5xx-urls": {dim: "url", key: urlOf, keep: statusBetween(500, 599), less: byCount, values: requestValues, errors: true},
	"top-503-responses": {dim: "response", key: func(r logRec) string { return r.reason }, keep: statusBetween(503, 503),
		less: byCount, breakdown: "rate_per_url", errors: true},
	"response-status-codes": {dim: "status_code", key: func(r logRec) string { return strconv.Itoa(r.status) }, less: byCount, noLimit: true,
		breakdown: "rate_per_status"},
	"country-statistics":           {dim: "country", key: func(r logRec) string { return r.country }, less: byCount, noLimit: true},
	"top-browser-by-requests":      {dim: "browser", key: func(r logRec) string { return r.browser }, less: byCount, values: requestValues},
	"top-device-by-requests":       {dim: "device", key: func(r logRec) string { return r.device }, less: byCount, values: requestValues},
	"top-os-by-requests":           {dim: "os", key: func(r logRec) string { return r.os }, less: byCount, values: requestValues},
	"top-content-type-by-requests": {dim: "content_type", key: func(r logRec) string { return r.ctype }, less: byCount, values: requestValues},
}

// p95 is the nearest-rank 95th percentile.
func p95(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[int(math.Ceil(0.95*float64(len(s))))-1]
}

// handleLogInsights serves one ranking over the window's sampled records.
func (s *Server) handleLogInsights(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	b := s.logBehaviourNow()
	vis := q.Get("visualization")
	if vis == "top-url-by-duration-sum" && b.DurationSumFails {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"title": "Internal Server Error", "status": 500})
		return
	}
	rk, ok := rankings[vis]
	if !ok {
		obsError(w, "unsupported visualization '"+vis+"'")
		return
	}
	lw := s.logWindow(w, q, "start", "end")
	if lw == nil {
		return
	}
	limit := atoiDefault(q.Get("limit"), 10)
	if limit < 1 || limit > 100 {
		obsError(w, "limit must be between 1 and 100")
		return
	}
	pops := lw.sv.prof.pops
	if p := q.Get("pops"); p != "" {
		pops = nil
		for _, code := range strings.Split(p, ",") {
			if _, ok := popByCode[code]; !ok {
				obsError(w, "unknown pop '"+code+"'")
				return
			}
			if slices.Contains(lw.sv.prof.pops, code) {
				pops = append(pops, code)
			}
		}
	}
	meta := map[string]any{"service_id": lw.sv.ID, "start": q.Get("start"), "end": q.Get("end"), "visualization": vis, "limit": limit}
	if lw.null {
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "meta": meta})
		return
	}
	domain, exact := q.Get("domain"), q.Get("domain_exact_match") == "true"
	c := &rankCtx{percent: b.RatiosAsPercent}
	urls := map[string]int64{} // every record per URL, for the 503 share of each URL
	groups := map[string]*logGroup{}
	var order []*logGroup
	for _, rec := range lw.sv.logRecords(pops, lw.from.UnixMilli(), lw.to.UnixMilli(), lw.dataEnd) {
		if domain != "" && (exact && rec.host != domain || !exact && !strings.Contains(rec.host, domain)) {
			continue
		}
		c.total++
		urls[rec.path]++
		c.totalBytes += rec.body + rec.header
		c.totalTime += rec.respTime
		if rk.keep != nil && !rk.keep(rec) {
			continue
		}
		k := rk.key(rec)
		g := groups[k]
		if g == nil {
			g = &logGroup{key: k, sub: map[string]*logGroup{}}
			groups[k] = g
			order = append(order, g)
		}
		g.add(rec)
		sg := g.sub[rec.region]
		if sg == nil {
			sg = &logGroup{key: rec.region}
			g.sub[rec.region] = sg
			g.subOrder = append(g.subOrder, rec.region)
		}
		sg.add(rec)
	}
	slices.SortStableFunc(order, func(a, b *logGroup) int {
		switch {
		case rk.less(a, b):
			return -1
		case rk.less(b, a):
			return 1
		}
		return strings.Compare(a.key, b.key)
	})
	if len(order) > limit && (!rk.noLimit || b.HonourLimit) {
		order = order[:limit]
	}
	dim := rk.dim
	if dim == "status_code" && b.StatusDashed {
		dim = "status-code"
	}
	data := make([]map[string]any, 0, len(order))
	for _, g := range order {
		row := map[string]any{"dimensions": map[string]any{dim: g.key}}
		switch {
		case vis == "country-statistics":
			row["dimension_attributes"], row["values"] = countryStats(g, c)
		case rk.breakdown != "":
			row["dimension_attributes"] = map[string]any{"rate": c.pct(g.n)}
			if !rk.errors || b.ErrorRankingValues {
				row["values"] = urlBreakdown(g, rk.breakdown, urls)
			}
		case rk.errors && !b.ErrorRankingValues:
		default:
			row["values"] = []map[string]any{rk.values(g, c)}
		}
		data = append(data, row)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta})
}

// countryStats are a country's attributes and its regions' values.
func countryStats(g *logGroup, c *rankCtx) (map[string]any, []map[string]any) {
	chr, _ := g.hitRatio()
	attrs := map[string]any{
		"rate": c.pct(g.n), "country_chr": c.ratio(chr),
		"country_error_rate": c.ratio(float64(g.err5) / float64(g.n)), "country_request_rate": c.share(float64(g.n), float64(c.total)),
	}
	values := make([]map[string]any, 0, len(g.subOrder))
	for _, name := range g.subOrder {
		sg := g.sub[name]
		rchr, _ := sg.hitRatio()
		values = append(values, map[string]any{"region": name, "region_chr": c.ratio(rchr),
			"region_error_rate": c.ratio(float64(sg.err5) / float64(sg.n)), "rate": c.pct(sg.n)})
	}
	return attrs, values
}
