package catalog

import (
	"regexp"
	"strings"
)

// Descriptions are one line each in the project's words. Families of fields (status codes,
// latency buckets, byte counters, VCL subroutines, bot classes, Compute errors) are composed
// from the name's parts; the rest are written out in descriptions.go.

// statusNames gives the reason phrase of every status code Fastly reports separately.
var statusNames = map[string]string{
	"103": "Early Hints", "200": "OK", "204": "No Content", "206": "Partial Content",
	"301": "Moved Permanently", "302": "Found", "304": "Not Modified", "400": "Bad Request",
	"401": "Unauthorized", "403": "Forbidden", "404": "Not Found", "406": "Not Acceptable",
	"416": "Range Not Satisfiable", "429": "Too Many Requests", "500": "Internal Server Error",
	"501": "Not Implemented", "502": "Bad Gateway", "503": "Service Unavailable",
	"504": "Gateway Timeout", "505": "HTTP Version Not Supported",
	"530": "non-standard, used when the origin cannot be reached",
	"1xx": "informational", "2xx": "success", "3xx": "redirect", "4xx": "client error", "5xx": "server error",
}

var reStatus = regexp.MustCompile(`^(all_|aia_|compute_resp_|compute_origin_|compute_|waf_|origin_)?status_(\d{3}|\dxx)$`)

// describeStatus composes the description of a status-code counter in wording w.
func describeStatus(w wording, prefix, code string) (string, bool) {
	subject, ok := w.status[prefix]
	if !ok {
		return "", false
	}
	what := "status " + code + " (" + statusNames[code] + ")"
	if strings.HasSuffix(code, "xx") {
		what = "a " + code + " (" + statusNames[code] + ") status"
	}
	return subject + " with " + what + "." + w.statusNote[prefix], true
}

// describeLatencyBucket composes the description of an Origin Inspector latency bucket.
func describeLatencyBucket(prefix, lo, hi string) string {
	who := map[string]string{
		"":         "Origin responses",
		"waf_":     "Origin responses to WAF requests",
		"compute_": "Origin responses to Compute requests",
		"all_":     "Origin responses from every source",
	}[prefix]
	if hi == "" {
		return who + " that took " + lo + " ms or longer (the open-ended bucket of the latency histogram)."
	}
	return who + " that took between " + lo + " and " + hi + " ms (one bucket of the latency histogram)."
}

// byteScopes says whose traffic a byte counter measures, by name prefix.
var byteScopes = map[string]string{
	"":                   "",
	"edge":               " by the edge POP (responses from a shield excluded)",
	"edge_hit":           " for requests served from the edge cache",
	"edge_miss":          " for requests the edge had to fetch",
	"shield":             " by shield POPs",
	"shield_hit":         " for requests served from the shield cache",
	"shield_miss":        " for requests the shield had to fetch",
	"hit":                " for cache hits",
	"miss":               " for cache misses",
	"pass":               " for requests passed to the origin",
	"compute":            " by Compute services",
	"websocket":          " over pass-through WebSocket connections",
	"fanout":             " through Fanout",
	"imgopto":            " by Image Optimizer",
	"imgopto_shield":     " by Image Optimizer through a shield",
	"imgvideo":           " as Image Optimizer video",
	"imgvideo_shield":    " as Image Optimizer video through a shield",
	"otfp":               " by On-the-Fly Packaging",
	"otfp_shield":        " by On-the-Fly Packaging through a shield",
	"attack":             " in requests that matched a legacy WAF rule",
	"attack_blocked":     " in requests a legacy WAF rule blocked",
	"attack_logged":      " in requests a legacy WAF rule logged",
	"attack_passed":      " in requests a legacy WAF rule let through",
	"origin_fetch":       " for fetches from the origin",
	"origin_cache_fetch": " for origin fetches that returned cacheable content",
	"shield_fetch":       " for fetches from a shield",
}

// byteDirections says which way a byte counter's traffic flows, by its middle part.
var byteDirections = map[string]string{
	"req":        "received from clients",
	"resp":       "sent to clients",
	"bereq":      "sent to backends",
	"beresp":     "received from backends",
	"fetch":      "sent in requests",
	"fetch_resp": "received in responses",
}

var reBytes = regexp.MustCompile(`^(?:(.*?)_)?(req|resp|bereq|beresp|fetch_resp|fetch)_(header|body)_bytes$`)

// describeBytes composes the description of a header or body byte counter in wording w.
func describeBytes(w wording, scope, dir, part string) (string, bool) {
	sc, okScope := w.byteScope[scope]
	d, okDir := w.byteDirs[dir]
	if !okScope || !okDir {
		return "", false
	}
	return capitalize(part) + " bytes " + d + sc + ".", true
}

// describeTLS composes the description of a TLS version counter in wording w.
func describeTLS(w wording, minor string) string {
	s := w.requests + " that negotiated TLS 1." + minor
	if minor == "0" || minor == "1" {
		s += ", an outdated protocol worth tracking down"
	}
	return s + "."
}

// botClasses names what bot detection recognised, for bot_edge_requests_*_count.
var botClasses = map[string]string{
	"accessibility": "an accessibility tool", "ai_crawler": "an AI crawler", "ai_fetcher": "an AI fetcher",
	"content_fetcher": "a content fetcher", "monitoring": "a monitoring or site tool",
	"online_marketing": "an online marketing bot", "page_preview": "a link preview bot",
	"platform_integrations": "a platform integration", "research": "a research bot",
	"search_engine_crawler": "a search engine crawler", "search_engine_optimization": "an SEO tool",
	"security_tools": "a security scanner", "verified": "a verified bot", "detected": "any bot",
}

// computeErrors phrases the failure behind compute_service_*_error counters.
var computeErrors = map[string]string{
	"bereq_5xx": "a backend that answered 5xx", "bereq_conn": "a backend connection failure",
	"bereq_conn_other": "a backend connection failure of another kind", "bereq_conn_refused": "a backend refusing the connection",
	"bereq_conn_timeout": "a backend connection timeout", "bereq_dns": "a DNS failure resolving the backend",
	"bereq": "any backend request failure", "bereq_http": "an HTTP-level backend failure",
	"bereq_http_incomplete": "an incomplete backend response", "bereq_http_other": "an HTTP backend failure of another kind",
	"bereq_http_proto_v1": "an HTTP/1 protocol error from the backend", "bereq_http_proto_v2": "an HTTP/2 protocol error from the backend",
	"bereq_http_timeout": "a backend response timeout", "bereq_other": "a backend failure of another kind",
	"bereq_tls": "a TLS failure with the backend", "bereq_tls_other": "a backend TLS failure of another kind",
	"bereq_tls_server_cert": "an invalid backend TLS certificate", "chain": "a request chain that was too long",
	"limits": "a platform limit", "memory_exceeded": "the memory limit", "resource_limits": "a resource limit",
	"runtime": "a runtime error in the guest code", "timeout": "the execution time limit",
	"vcpu_exceeded": "the vCPU time limit",
}

var (
	reSub        = regexp.MustCompile(`^(\w+?)_sub_(count|time)$`)
	reBot        = regexp.MustCompile(`^bot_edge_requests_(\w+)_count$`)
	reComputeErr = regexp.MustCompile(`^compute_service_(\w+)_error$`)
	reImgFormat  = regexp.MustCompile(`^imgopto_(\w+)_count$`)
	reResponses  = regexp.MustCompile(`^(\w+_)?responses$`) // Origin Inspector's response counts
)

// describe returns m's description for kind k: the kind's hand-written line, else the one
// derived.go gave m, else one composed from the name in the kind's words.
func describe(m Metric, k Kind) string {
	w := wordingFor(k)
	if d, ok := w.lines[m.Name]; ok {
		return d
	}
	if m.Description != "" && (m.formulas[k] != nil || wordingFor(m.Kinds[0]).status[""] == w.status[""]) {
		return m.Description // a computed metric, or a field described in the stats' words
	}
	n := m.Name
	if g := reStatus.FindStringSubmatch(n); g != nil {
		if s, ok := describeStatus(w, g[1], g[2]); ok {
			return s
		}
	}
	if g := reBytes.FindStringSubmatch(n); g != nil {
		if s, ok := describeBytes(w, g[1], g[2], g[3]); ok {
			return s
		}
	}
	if g := reTLSVersion.FindStringSubmatch(n); g != nil {
		return describeTLS(w, g[1])
	}
	if g := reResponses.FindStringSubmatch(n); g != nil {
		if s, ok := w.status[g[1]]; ok {
			return s + "."
		}
	}
	if g := reLatencyBucket.FindStringSubmatch(n); g != nil {
		return describeLatencyBucket(g[1], g[2], g[3])
	}
	return describeService(m)
}

// describeService composes the description of a field only the stats send.
func describeService(m Metric) string {
	n := m.Name
	if g := reSub.FindStringSubmatch(n); g != nil {
		if g[2] == "count" {
			return "Times the vcl_" + g[1] + " subroutine ran."
		}
		return "Total time spent inside vcl_" + g[1] + ", in seconds (real-time values are converted from nanoseconds)."
	}
	if g := reBot.FindStringSubmatch(n); g != nil {
		if c, ok := botClasses[g[1]]; ok {
			return "Edge requests where bot detection recognised " + c + "."
		}
	}
	if g := reComputeErr.FindStringSubmatch(n); g != nil {
		if c, ok := computeErrors[g[1]]; ok {
			return "Compute requests that failed because of " + c + "."
		}
	}
	if g := reImgFormat.FindStringSubmatch(n); g != nil {
		return "Images Image Optimizer delivered in " + labelWord(g[1]) + " format."
	}
	if g := reObjectSize.FindStringSubmatch(n); g != nil {
		if g[1] == "other" {
			return "Responses whose object is larger than 1 GB."
		}
		return "Responses whose object is at most " + label(n)[len("Objects ≤ "):] + " (and above the next smaller size class)."
	}
	return label(n) + " (" + unitWords(m) + ")."
}

// unitWords names the unit of m for the last-resort description.
func unitWords(m Metric) string {
	switch m.Unit {
	case UnitBytes:
		return "bytes"
	case UnitSeconds:
		return "seconds"
	case UnitMillis:
		return "milliseconds"
	case UnitPercentUnit:
		return "ratio from 0 to 1"
	}
	return "count per bucket"
}
