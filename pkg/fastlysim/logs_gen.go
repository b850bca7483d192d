package fastlysim

import (
	"slices"
	"strconv"
)

// Sampled request logs (Log Explorer & Insights). Each (service, POP, minute) base vector's
// request cells are sampled at one in LogSampleRate: a cell of c requests yields c/N records,
// the fraction rounded up or down by a hash, so a range's sampled records number the service's
// requests divided by N to within one per cell, and each record's status and cache outcome are
// those of the cell it came from. URL, country, device and the rest are hashed from the record.

// LogSampleRate is how many requests one sampled log record stands for.
const LogSampleRate = 1000

// logRec is one sampled request.
type logRec struct {
	ms       int64 // Unix milliseconds
	service  string
	pop      string
	host     string
	path     string
	method   string
	status   int
	outcome  int
	country  string
	region   string
	device   string
	browser  string
	os       string
	ctype    string
	body     int64
	header   int64
	respTime float64 // seconds
	shield   bool
	reason   string
	asn      int
}

// pageInfo is one URL a service serves: its share of requests and what it returns.
type pageInfo struct {
	path   string
	weight float64
	ctype  string
	bytes  int64
}

var (
	shopPages = []pageInfo{
		{"/", 14, "text/html", 42000}, {"/products", 9, "text/html", 61000}, {"/products/espresso-machine", 6, "text/html", 55000},
		{"/products/grinder", 4, "text/html", 52000}, {"/search", 5, "text/html", 38000}, {"/cart", 3, "text/html", 21000},
		{"/checkout", 1.5, "text/html", 18000}, {"/static/app.js", 12, "application/javascript", 310000},
		{"/static/app.css", 11, "text/css", 88000}, {"/images/hero.jpg", 10, "image/jpeg", 240000},
		{"/images/espresso-machine.webp", 7, "image/webp", 120000}, {"/api/cart", 4, "application/json", 1800},
		{"/api/stock", 3, "application/json", 900}, {"/favicon.ico", 2.5, "image/x-icon", 4200},
		{"/sale/black-friday", 8, "text/html", 47000},
	}
	apiPages = []pageInfo{
		{"/v1/products", 18, "application/json", 6400}, {"/v1/orders", 9, "application/json", 2100},
		{"/v1/users/me", 12, "application/json", 800}, {"/v1/search", 10, "application/json", 5200},
		{"/v1/auth/token", 6, "application/json", 600}, {"/v1/cart", 8, "application/json", 1500},
		{"/v1/stock", 7, "application/json", 400}, {"/healthz", 3, "text/plain", 2},
	}
	staticPages = []pageInfo{
		{"/js/vendor.js", 20, "application/javascript", 540000}, {"/css/site.css", 14, "text/css", 92000},
		{"/fonts/inter.woff2", 12, "font/woff2", 110000}, {"/img/logo.svg", 18, "image/svg+xml", 6000},
		{"/img/banner.avif", 9, "image/avif", 180000}, {"/video/intro.mp4", 2, "video/mp4", 8400000},
	}
	computePages = []pageInfo{
		{"/", 20, "text/html", 12000}, {"/api/edge/geo", 14, "application/json", 300},
		{"/api/edge/ab-test", 9, "application/json", 250}, {"/render/product", 11, "text/html", 26000},
	}
	missingPages = []string{"/old-catalogue", "/wp-login.php", "/products/discontinued-kettle", "/.env", "/robots.txt.bak"}
)

// pagesOf is the URL table of a service (a small generic one for the rest).
func pagesOf(id string) []pageInfo {
	switch id {
	case ShopServiceID:
		return shopPages
	case APIServiceID:
		return apiPages
	case StaticServiceID:
		return staticPages
	}
	return computePages
}

// logProductEnabled says which services have Log Explorer & Insights: the three busy VCL
// services; the Compute app and the idle ones do not.
func logProductEnabled(id string) bool {
	return id == ShopServiceID || id == APIServiceID || id == StaticServiceID
}

var (
	regionCountries = map[string][]string{
		"usa": {"US", "US", "US", "CA", "MX"}, "europe": {"GB", "DE", "FR", "NL", "ES", "IT", "SE", "PL"},
		"asia": {"JP", "SG", "HK", "TW", "ID"}, "asia_india": {"IN"}, "asia_southkorea": {"KR"},
		"anzac": {"AU", "NZ"}, "latam": {"CO", "PE"}, "southamerica_std": {"BR", "AR", "CL"},
		"africa_std": {"ZA", "NG", "KE"},
	}
	devices  = []string{"desktop", "desktop", "mobile", "mobile", "mobile", "tablet", "bot"}
	browsers = []string{"Chrome", "Chrome", "Chrome", "Safari", "Safari", "Firefox", "Edge", "Samsung Internet"}
	systems  = []string{"Windows", "Android", "iOS", "macOS", "Linux"}
	reasons  = map[int][]string{
		503: {"Service Unavailable", "backend read error", "first byte timeout", "No healthy backends"},
		500: {"Internal Server Error"}, 502: {"Bad Gateway"}, 504: {"Gateway Timeout"},
	}
	outcomeState = [nOutcomes]string{"HIT", "MISS", "PASS", "ERROR", "HIT-SYNTH"}
)

// sampled is how many of c requests become records: c/N, the remainder rounded by h.
func sampled(c int64, h uint64) int64 {
	n := c / LogSampleRate
	if rem := c % LogSampleRate; rem > 0 && int64(h%LogSampleRate) < rem {
		n++
	}
	return n
}

// pick chooses from weights by a hash.
func pickPage(pages []pageInfo, h uint64) pageInfo {
	var total float64
	for _, p := range pages {
		total += p.weight
	}
	x := unit(h) * total
	for _, p := range pages {
		if x < p.weight {
			return p
		}
		x -= p.weight
	}
	return pages[len(pages)-1]
}

func pickStr(list []string, h uint64) string { return list[h%uint64(len(list))] }

// hourRecords are a service's sampled records at one POP over one UTC hour, counting only
// minutes that start before dataEnd.
func (s *svcInfo) hourRecords(pop string, hour, dataEnd int64) []logRec {
	if hour >= dataEnd {
		return nil
	}
	atom := s.hourAtom(pop, hour)
	if atom.isZero() {
		return nil
	}
	var out []logRec
	ps := strSeed(pop)
	for m, mv := range s.minutes(pop, hour, atom) {
		start := hour + int64(m)*60
		if start >= dataEnd {
			break
		}
		for ci := 0; ci < nCells; ci++ {
			k := sampled(mv[ci], hash(s.seed, ps, uint64(start), 91, uint64(ci)))
			for j := int64(0); j < k; j++ {
				out = append(out, s.makeRecord(pop, start, ci, hash(s.seed, ps, uint64(start), 92, uint64(ci), uint64(j))))
			}
		}
	}
	return out
}

// makeRecord fills one record of cell ci in the minute starting at minute.
func (s *svcInfo) makeRecord(pop string, minute int64, ci int, h uint64) logRec {
	c := cells[ci]
	p := s.prof
	page := pickPage(pagesOf(s.ID), mix(h+1))
	r := logRec{
		ms: minute*1000 + int64(h%60000), service: s.ID, pop: pop, host: s.Name, path: page.path, method: "GET",
		status: c.status, outcome: c.outcome, ctype: page.ctype, body: page.bytes,
		header: 350 + int64(mix(h+2)%250), asn: []int{7922, 3320, 2856, 15169, 16509, 4134}[mix(h+3)%6],
	}
	region := popByCode[pop].Region
	r.country = pickStr(regionCountries[region], mix(h+4))
	r.region = r.country + "-" + strconv.Itoa(int(1+mix(h+5)%9))
	r.device = pickStr(devices, mix(h+6))
	r.browser = pickStr(browsers, mix(h+7))
	r.os = pickStr(systems, mix(h+8))
	if c.status == 404 || c.status == 410 {
		r.path, r.ctype, r.body = pickStr(missingPages, mix(h+9)), "text/html", 1200
	}
	if c.status >= 300 && c.status < 400 || c.status == 204 {
		r.body = 0
	}
	if c.status >= 500 {
		r.ctype, r.body = "text/html", 450
		if rs, ok := reasons[c.status]; ok {
			r.reason = pickStr(rs, mix(h+10))
		}
	}
	if c.outcome == oPass && mix(h+11)%4 == 0 {
		r.method = "POST"
	}
	jitter := 0.5 + unit(mix(h+12))
	switch c.outcome {
	case oHit, oSynth:
		r.respTime = 0.0004 + 0.004*jitter
	case oMiss:
		r.respTime = p.originMs / 1000 * jitter
		r.shield = unit(mix(h+13)) < p.shield/2
	default:
		r.respTime = p.passMs / 1000 * jitter
	}
	r.respTime = float64(int64(r.respTime*1e6)) / 1e6
	return r
}

// logRecords are every sampled record of a service in [from, to) (Unix ms) over pops, newest
// first, as Log Explorer lists them.
func (s *svcInfo) logRecords(pops []string, fromMs, toMs, dataEnd int64) []logRec {
	var out []logRec
	for hour := floorDiv(fromMs/1000, 3600) * 3600; hour*1000 < toMs; hour += 3600 {
		for _, p := range pops {
			for _, r := range s.hourRecords(p, hour, dataEnd) {
				if r.ms >= fromMs && r.ms < toMs {
					out = append(out, r)
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b logRec) int {
		if a.ms != b.ms {
			return int(b.ms - a.ms)
		}
		return cmpStr(a.pop, b.pop)
	})
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// field is a record's value of a log field, as Fastly names it; ok is false for unknown names.
func (r logRec) field(name string) (any, bool) {
	switch name {
	case "service_id":
		return r.service, true
	case "fastly_pop":
		return r.pop, true
	case "domain", "request_host":
		return r.host, true
	case "request_path", "url":
		return r.path, true
	case "request_method":
		return r.method, true
	case "response_status":
		return r.status, true
	case "response_state":
		return outcomeState[r.outcome], true
	case "is_cache_hit":
		return r.outcome == oHit, true
	case "is_edge":
		return !r.shield, true
	case "is_shield":
		return r.shield, true
	case "client_country_code":
		return r.country, true
	case "client_region":
		return r.region, true
	case "client_device_type":
		return r.device, true
	case "client_browser_name":
		return r.browser, true
	case "client_os_name":
		return r.os, true
	case "response_content_type":
		return r.ctype, true
	case "response_time":
		return r.respTime, true
	case "response_bytes_body":
		return r.body, true
	case "response_bytes_header":
		return r.header, true
	case "response_reason":
		return r.reason, true
	}
	return nil, false
}
