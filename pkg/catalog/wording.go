package catalog

// A field of the same name means different traffic in different products: `status_5xx` counts
// responses Fastly sent to visitors in the stats, responses origins sent to Fastly in Origin
// Inspector, and responses delivered for one domain in Domain Inspector. Each kind therefore
// has its own wording: its hand-written lines and the words its composed families use. The
// stats wording (historical and real-time) is in descriptions.go and describe.go.

// wording is how one kind's descriptions name whose traffic a field counts.
type wording struct {
	lines      map[string]string // hand-written descriptions, by metric name
	status     map[string]string // whose responses a status family counts, by name prefix
	statusNote map[string]string // what a status family's source means for the user, by name prefix
	byteDirs   map[string]string // which way a byte counter's traffic flows, by its middle part
	byteScope  map[string]string // whose traffic a byte counter measures, by name prefix
	requests   string            // how a sentence about requests begins
}

// statsWording describes historical and real-time fields: traffic between visitors, Fastly
// and backends, for a whole service.
var statsWording = wording{
	lines: descriptions,
	status: map[string]string{
		"":              "Responses Fastly's VCL delivery sent to clients",
		"all_":          "Responses Fastly sent to clients from every source (VCL and Compute together)",
		"aia_":          "Responses from the AI provider behind AI Accelerator",
		"compute_resp_": "Responses Compute services sent to clients",
	},
	statusNote: map[string]string{
		"":              " VCL only: 0 on a Compute service.",
		"compute_resp_": " Compute only: absent on a VCL service.",
	},
	byteDirs:  byteDirections,
	byteScope: byteScopes,
	requests:  "Requests",
}

// originScopes says which of Fastly's requests an Origin Inspector field answers, by prefix.
var originScopes = map[string]string{
	"":        " to Fastly",
	"waf":     " to requests the WAF made",
	"compute": " to Compute's backend requests",
	"all":     " to requests from every source (VCL, WAF and Compute)",
}

// originWording describes Origin Inspector fields: what your origins answered Fastly, per
// origin. Nothing here is traffic seen by visitors.
var originWording = wording{
	lines: map[string]string{
		"responses":           "Responses your origins sent to Fastly's VCL fetches; Compute's are in compute_responses, the WAF's in waf_responses, every source's in all_responses.",
		"error_ratio":         "Share of your origins' responses, to every source, with a 5xx status: all_status_5xx / all_responses; null when the origins sent nothing. The usual origin health alert.",
		"error_ratio_4xx_5xx": "Share of your origins' responses, to every source, with a 4xx or 5xx status: (all_status_4xx + all_status_5xx) / all_responses; null when the origins sent nothing.",
	},
	status:    prefixed(originScopes, "Responses your origins sent"),
	byteDirs:  map[string]string{"resp": "your origins sent in responses"},
	byteScope: originScopes,
}

// domainWording describes Domain Inspector fields: a service's traffic for one domain (the
// Host visitors asked for), at the edge and towards your origin.
var domainWording = wording{
	lines: map[string]string{
		"requests":                       "Requests Fastly processed for the domain, at edge and shield POPs alike.",
		"edge_requests":                  "Requests the domain's visitors sent to Fastly's edge POPs (shield traffic not included).",
		"edge_hit_requests":              "Visitor requests for the domain that the edge answered from its own cache.",
		"edge_miss_requests":             "Visitor requests for the domain that the edge could not answer from its cache.",
		"edge_hit_ratio":                 "Share of the domain's visitor requests the edge answered from cache (0 to 1); null when there were none.",
		"origin_fetches":                 "Requests Fastly sent to your origin for the domain.",
		"origin_offload":                 "Share of the bytes delivered to the domain's visitors that came from Fastly's cache rather than your origin (0 to 1).",
		"bandwidth":                      "All bytes Fastly moved for the domain: responses to its visitors plus requests to your origin.",
		"bandwidth_bps":                  "The domain's bandwidth as a bit rate: the bucket's bytes times 8, divided by the bucket length.",
		"http2":                          "Requests for the domain that arrived over HTTP/2.",
		"http3":                          "Requests for the domain that arrived over HTTP/3 (QUIC).",
		"compute_request":                "Requests for the domain that Compute services handled.",
		"compute_bereqs":                 "Backend requests Compute services started for the domain.",
		"compute_bereq_errors":           "Backend requests Compute made for the domain that failed, timeouts included.",
		"compute_execution_time_ms":      "Milliseconds of CPU time Compute spent on the domain's requests, summed over the bucket.",
		"compute_request_time_ms":        "Milliseconds Compute took over the domain's requests from start to finish, summed over the bucket.",
		"compute_request_time_billed_ms": "Milliseconds of Compute request time billed for the domain's requests, summed over the bucket.",
	},
	status: map[string]string{
		"":                "Responses Fastly delivered for the domain",
		"compute_resp_":   "Responses Compute delivered for the domain",
		"origin_":         "Responses your origin sent to Fastly for the domain",
		"compute_origin_": "Responses your origin sent to Compute's backend requests for the domain",
	},
	byteDirs: map[string]string{
		"req":        "received from the domain's visitors",
		"resp":       "delivered to the domain's visitors",
		"bereq":      "sent to your origin for the domain",
		"beresp":     "received from your origin for the domain",
		"fetch_resp": "received from your origin for the domain",
	},
	byteScope: map[string]string{
		"":        "",
		"edge":    " by edge POPs (shield responses excluded)",
		"compute": " by Compute",
		"origin":  " in fetch responses",
	},
	requests: "Requests for the domain",
}

// prefixed turns byte scopes into status subjects: each scope's name prefix (with its
// underscore) mapped to begin followed by the scope's words.
func prefixed(scopes map[string]string, begin string) map[string]string {
	out := make(map[string]string, len(scopes))
	for prefix, words := range scopes {
		if prefix != "" {
			prefix += "_"
		}
		out[prefix] = begin + words
	}
	return out
}

// wordingFor returns the wording of kind k; real-time shares the stats' wording.
func wordingFor(k Kind) wording {
	switch k {
	case KindOrigins:
		return originWording
	case KindDomains:
		return domainWording
	}
	return statsWording
}
