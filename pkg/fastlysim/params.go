package fastlysim

import (
	"net/http"
	"sort"
	"strings"
)

// referenceParams lists, per endpoint, the query parameters Fastly's API reference lists
// (pkg/fastly/testdata/reference_params.txt is the same table with its sources; a test keeps
// the two equal). A path segment "{}" matches any one segment; "filter[...]" any
// filter[<field>] or filter[<field>][<operator>].
var referenceParams = map[string][]string{
	"/stats":                              {"from", "to", "by", "region", "datacenter", "services"},
	"/stats/aggregate":                    {"from", "to", "by", "region"},
	"/stats/field/{}":                     {"from", "to", "by", "region", "datacenter"},
	"/stats/service/{}":                   {"from", "to", "by", "region", "datacenter"},
	"/stats/service/{}/field/{}":          {"from", "to", "by", "region", "datacenter"},
	"/stats/regions":                      {},
	"/stats/usage":                        {"from", "to"},
	"/stats/usage_by_service":             {"from", "to"},
	"/service/{}/stats/summary":           {"month", "year", "start_time", "end_time"},
	"/datacenters":                        {},
	"/service":                            {"page", "per_page", "sort", "direction"},
	"/service/search":                     {"name"},
	"/service/{}/details":                 {"version", "filter[versions.active]"},
	"/tokens/self":                        {},
	"/user/{}":                            {},
	"/enabled-products/v1/{}/services/{}": {},
	"/metrics/origins/services/{}":        {"start", "end", "downsample", "metric", "group_by", "limit", "cursor", "region", "datacenter", "host"},
	"/metrics/domains/services/{}":        {"start", "end", "downsample", "metric", "group_by", "limit", "cursor", "region", "datacenter", "domain"},
	"/observability/log-insights":         {"visualization", "service_id", "start", "end", "pops", "domain", "domain_exact_match", "limit"},
	"/observability/log-explorer":         {"service_id", "start", "end", "limit", "next_cursor", "filter[...]"},
	"/observability/timeseries":           {"source", "from", "to", "granularity", "series", "dimensions", "filter[...]"},
	"/v1/channel/{}/ts/{}":                {},
	"/v1/channel/{}/ts/{}/limit/{}":       {},
	"/v1/origins/{}/ts/{}":                {},
	"/v1/origins/{}/ts/{}/limit/{}":       {},
	"/v1/domains/{}/ts/{}":                {},
	"/v1/domains/{}/ts/{}/limit/{}":       {},
	"/events": {"filter[customer_id]", "filter[event_type]", "filter[service_id]", "filter[user_id]", "filter[token_id]",
		"filter[created_at]", "filter[created_at][lte]", "filter[created_at][lt]", "filter[created_at][gte]",
		"filter[created_at][gt]", "page[number]", "page[size]", "sort"},
}

// SetStrictParams says whether a parameter the reference does not list for the endpoint is
// refused with HTTP 400 (true, the default, as Fastly's strict endpoints do) or ignored (as
// Fastly's engineers saw /stats/usage ignore region).
func (s *Server) SetStrictParams(strict bool) {
	s.mu.Lock()
	s.lenient = !strict
	s.mu.Unlock()
}

// endpointOf finds the reference's template for path ("" when it lists none): a literal
// segment wins over "{}".
func endpointOf(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best, bestWild := "", len(segs)+1
	for tmpl := range referenceParams {
		ts := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(ts) != len(segs) {
			continue
		}
		wild := 0
		for i, t := range ts {
			if t == "{}" {
				wild++
			} else if t != segs[i] {
				wild = -1
				break
			}
		}
		if wild >= 0 && wild < bestWild {
			best, bestWild = tmpl, wild
		}
	}
	return best
}

// unlistedParams are the request's query parameters the reference does not list for its
// endpoint, sorted.
func unlistedParams(r *http.Request) []string {
	tmpl := endpointOf(r.URL.Path)
	if tmpl == "" {
		return nil // not an endpoint the plugin calls: the route answers for itself
	}
	allowed := referenceParams[tmpl]
	var out []string
	for k := range r.URL.Query() {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k || (a == "filter[...]" && strings.HasPrefix(k, "filter["))
		}
		if !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// refuseUnlisted answers 400 for parameters the reference does not list, in the error shape of
// the endpoint's family, and reports whether it did.
func (s *Server) refuseUnlisted(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	lenient := s.lenient
	s.mu.Unlock()
	bad := unlistedParams(r)
	if lenient || len(bad) == 0 {
		return false
	}
	msg := "Unknown parameter: " + strings.Join(bad, ", ")
	switch {
	case strings.HasPrefix(r.URL.Path, "/metrics/"), strings.HasPrefix(r.URL.Path, "/observability/"):
		errs := make([]map[string]any, len(bad))
		for i, b := range bad {
			errs[i] = map[string]any{"property": b, "reason": "unknown parameter"}
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"type": "https://fastly.help/validation-error",
			"title": "Request parameters were invalid.", "status": http.StatusBadRequest, "detail": msg, "errors": errs})
	case strings.HasPrefix(r.URL.Path, "/stats"), strings.Contains(r.URL.Path, "/stats/summary"):
		writeJSON(w, http.StatusBadRequest, map[string]any{"status": "error", "msg": msg})
	default:
		writeJSON(w, http.StatusBadRequest, map[string]any{"msg": "Bad request", "detail": msg})
	}
	return true
}
