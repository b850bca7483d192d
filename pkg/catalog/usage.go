package catalog

import (
	"fmt"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// KindUsage is the billing usage query (/stats/usage*). It is kept apart from the other kinds:
// usage is three totals per region or service over the whole range, not a time series, so
// Resolve, ForKind and All do not list it; UsageMetrics and ResolveUsage do.
const KindUsage Kind = "usage"

// usageMetrics are the totals Fastly bills by, in the order the usage table shows them.
var usageMetrics = []Metric{
	{Name: "bandwidth", Label: "Bandwidth", Unit: UnitBytes, Category: "Usage",
		Description: "Billable bytes over the whole time range: responses to clients plus requests to backends, as Fastly counts them for the bill."},
	{Name: "all_requests", Label: "Requests", Unit: UnitShort, Category: "Usage",
		Description: "Every billable request over the whole time range, VCL and Compute: requests + compute_requests, added by the plugin.", requestLike: true},
	{Name: "requests", Label: "Requests (VCL)", Unit: UnitShort, Category: "Usage",
		Description: "Billable requests of VCL services over the whole time range; Fastly leaves Compute requests out of it.", requestLike: true},
	{Name: "compute_requests", Label: "Compute requests", Unit: UnitShort, Category: "Usage",
		Description: "Billable Compute requests over the whole time range.", requestLike: true},
}

// UsageMetrics lists the usage query's metrics, for the editor's /metrics?queryType=usage.
func UsageMetrics() []Metric {
	out := make([]Metric, len(usageMetrics))
	for i, m := range usageMetrics {
		m.Kinds = []Kind{KindUsage}
		out[i] = m
	}
	return out
}

// ResolveUsage looks up usage metric names; none means all of them. The error names every
// unknown name and lists the valid ones.
func ResolveUsage(names []string) ([]Metric, error) {
	all := UsageMetrics()
	if len(names) == 0 {
		return all, nil
	}
	var out []Metric
	var bad []string
	seen := map[string]bool{}
	for _, raw := range names {
		name := strings.TrimSpace(raw)
		if seen[name] {
			continue
		}
		seen[name] = true
		found := false
		for _, m := range all {
			if m.Name == name {
				out = append(out, m)
				found = true
			}
		}
		if !found {
			bad = append(bad, fmt.Sprintf("%q", safetext.Clip(name, maxQuotedName)))
		}
	}
	if len(bad) > maxProblems {
		bad = append(bad[:maxProblems], fmt.Sprintf("and %d more", len(bad)-maxProblems))
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("usage metrics: unknown %s: usage has bandwidth, all_requests, requests and compute_requests", strings.Join(bad, ", "))
	}
	return out, nil
}
