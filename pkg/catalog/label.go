package catalog

import (
	"regexp"
	"strings"
)

// Labels are built from the field name's parts, so 800 names get readable, consistent
// labels without a hand-written line each. labelOverrides covers names the rule reads badly.

// labelWords spells out Fastly's abbreviations.
var labelWords = map[string]string{
	"aia": "AI Accelerator", "ai": "AI", "api": "API", "avif": "AVIF", "bereq": "backend request",
	"bereqs": "backend requests", "beresp": "backend response", "conn": "connection", "ddos": "DDoS",
	"dns": "DNS", "gif": "GIF", "http": "HTTP", "http2": "HTTP/2", "http3": "HTTP/3",
	"imgopto": "Image Optimizer", "imgvideo": "Image Optimizer video", "ipv6": "IPv6",
	"jpeg": "JPEG", "jpegxl": "JPEG XL", "kv": "KV", "mp4": "MP4", "ms": "(ms)", "ngwaf": "Next-Gen WAF",
	"otfp": "OTFP", "pats": "PATs", "pci": "PCI", "png": "PNG", "ram": "RAM", "req": "request",
	"resp": "response", "rt": "real-time", "sub": "subroutine", "svg": "SVG", "synth": "synthetic",
	"tls": "TLS", "v1": "v1", "v2": "v2", "v10": "1.0", "v11": "1.1", "v12": "1.2", "v13": "1.3",
	"vcpu": "vCPU", "waf": "WAF", "webp": "WebP", "websocket": "WebSocket", "segblock": "segmented",
	"dns_billable": "DNS billable", "otfp_shield": "OTFP shield",
}

var labelOverrides = map[string]string{
	"requests":        "Requests",
	"hits":            "Hits",
	"miss":            "Misses",
	"pass":            "Passes",
	"errors":          "Errors",
	"bandwidth":       "Bandwidth",
	"shield":          "Shield requests",
	"log":             "Log lines",
	"logging":         "Log lines (alias)",
	"uncacheable":     "Uncacheable",
	"video":           "Video responses",
	"origin_offload":  "Origin offload",
	"edge_hit_ratio":  "Edge hit ratio",
	"body_size":       "Body bytes (alias)",
	"header_size":     "Header bytes (alias)",
	"compute_request": "Compute requests (domain)",
	"tls":             "TLS requests",
	"ipv6":            "IPv6 requests",
	"http2":           "HTTP/2 requests",
	"http3":           "HTTP/3 requests",
	"pci":             "PCI responses",
	"upgrade":         "WebSocket upgrades",
	"restarts":        "Restarts",
	"synth":           "Synthetic responses",
	"pipe":            "Pipe requests",
	"hits_time":       "Time on hits",
	"miss_time":       "Time on misses",
	"pass_time":       "Time on passes",
}

var (
	reLatencyBucket = regexp.MustCompile(`^(waf_|compute_|all_)?latency_(\d+)(?:_to_(\d+))?ms$`)
	reObjectSize    = regexp.MustCompile(`^object_size_(\d+[kmg]|other)$`)
	reTLSVersion    = regexp.MustCompile(`^tls_v1(\d)$`)
)

// label makes a short human label from a field name.
func label(name string) string {
	if l, ok := labelOverrides[name]; ok {
		return l
	}
	if m := reLatencyBucket.FindStringSubmatch(name); m != nil {
		pre := strings.TrimSuffix(m[1], "_")
		if pre != "" {
			pre = labelWord(pre) + " "
		}
		if m[3] == "" {
			return capitalize(pre + "latency ≥ " + m[2] + " ms")
		}
		return capitalize(pre + "latency " + m[2] + "–" + m[3] + " ms")
	}
	if m := reObjectSize.FindStringSubmatch(name); m != nil {
		if m[1] == "other" {
			return "Objects > 1 GB"
		}
		return "Objects ≤ " + strings.TrimRight(m[1], "kmg") + " " + strings.ToUpper(m[1][len(m[1])-1:]) + "B"
	}
	if m := reSub.FindStringSubmatch(name); m != nil {
		if m[2] == "count" {
			return "vcl_" + m[1] + " calls"
		}
		return "vcl_" + m[1] + " time"
	}
	if m := reBot.FindStringSubmatch(name); m != nil {
		return "Bot requests: " + strings.ReplaceAll(m[1], "_", " ")
	}
	if m := reTLSVersion.FindStringSubmatch(name); m != nil {
		return "TLS 1." + m[1] + " requests"
	}
	parts := strings.Split(name, "_")
	words := make([]string, 0, len(parts))
	for _, p := range parts {
		if p == "count" && len(parts) > 1 {
			continue // "_count" adds nothing to a label of a counter
		}
		words = append(words, labelWord(p))
	}
	return capitalize(strings.Join(words, " "))
}

// labelWord spells out one name part.
func labelWord(p string) string {
	if w, ok := labelWords[p]; ok {
		return w
	}
	return p
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// reRequestLike matches counters whose per-second rate reads best as requests per second:
// requests, responses, cache outcomes, fetches, failed requests, status codes and latency buckets.
var reRequestLike = regexp.MustCompile(`(^|_)(requests?|responses|fetches|bereqs|hits|miss|pass|errors|synth|pipe|uncacheable|restarts|upgrade|shield|ipv6|http2|http3|tls|tls_v1\d|pci|video|otfp|imgopto|imgvideo)(_|$)|status_|latency_|object_size_|_error$`)

// isRequestLike reports whether name is a request-like counter (see reRequestLike). Calls of
// VCL subroutines, tokens, frames and transforms are other events.
func isRequestLike(name string) bool {
	for _, other := range []string{"_sub_count", "tokens", "frames", "transforms", "publishes"} {
		if strings.Contains(name, other) {
			return false
		}
	}
	return reRequestLike.MatchString(name)
}
