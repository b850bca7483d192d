package fastly

import "strings"

// endpoints are the path templates of every Fastly endpoint the plugin calls, as metrics and
// spans name them: a service id, field, product or cursor in a path becomes a placeholder, so
// a label never carries an id and the number of label values stays fixed.
var endpoints = splitTemplates(
	"/stats", "/stats/service/{id}", "/stats/field/{field}", "/stats/service/{id}/field/{field}",
	"/stats/usage", "/stats/usage_by_service", "/stats/regions",
	"/metrics/origins/services/{id}", "/metrics/domains/services/{id}",
	"/enabled-products/v1/{product}/services/{id}",
	"/events", "/user/{id}",
	"/observability/log-insights", "/observability/log-explorer", "/observability/timeseries",
	"/service", "/service/{id}/stats/summary", "/tokens/self", "/datacenters",
	"/v1/channel/{id}/ts/{cursor}", "/v1/origins/{id}/ts/{cursor}", "/v1/domains/{id}/ts/{cursor}",
)

// otherEndpoint names a path outside the table (a call added without its template).
const otherEndpoint = "other"

type template struct {
	name     string
	segments []string
}

func splitTemplates(names ...string) []template {
	out := make([]template, len(names))
	for i, n := range names {
		out[i] = template{name: n, segments: strings.Split(n, "/")}
	}
	return out
}

// endpointOf is the template path matches, or otherEndpoint. Literal segments must be equal;
// a placeholder takes any non-empty segment.
func endpointOf(path string) string {
	segments := strings.Split(path, "/")
	for _, t := range endpoints {
		if matches(t.segments, segments) {
			return t.name
		}
	}
	return otherEndpoint
}

func matches(pattern, segments []string) bool {
	if len(pattern) != len(segments) {
		return false
	}
	for i, p := range pattern {
		if strings.HasPrefix(p, "{") {
			if segments[i] == "" {
				return false
			}
		} else if p != segments[i] {
			return false
		}
	}
	return true
}
