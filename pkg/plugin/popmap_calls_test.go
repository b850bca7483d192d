package plugin

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestPOPMapCallsPerRefresh counts the calls one cold refresh of the shipped historical POP-map
// panel makes to Fastly, in the cases docs/benchmarks.md reports ("Historical POP map: calls
// per refresh"): the summary serves a listed service in one call, two past a day; a region
// asks only its POPs; All services is a summary per service of the account, or POP by POP past
// the summary's 35 days. Run with -v to print the table.
func TestPOPMapCallsPerRefresh(t *testing.T) {
	var target map[string]any
	for _, p := range loadDashboards(t)["fastly-pop-map.json"].panels() {
		if len(p.Targets) > 0 && p.Targets[0]["queryType"] == "stats" && p.Targets[0]["format"] == "popmap" {
			target = p.Targets[0]
		}
	}
	require.NotNil(t, target, "the POP-map dashboard has a historical POP map")
	pops := len(fastlysim.POPs())
	for _, tc := range []struct {
		name     string
		services []string
		region   string
		span     time.Duration // the range's length ending now, or (negative) an hour this long ago
		most     int           // calls allowed, /datacenters and the service list included
	}{
		{"one service, last hour", []string{fastlysim.ShopServiceID}, "", time.Hour, 3},
		{"one service, last 7 days", []string{fastlysim.ShopServiceID}, "", 7 * 24 * time.Hour, 4},
		{"two services, last hour", []string{fastlysim.ShopServiceID, fastlysim.ComputeServiceID}, "", time.Hour, 4},
		{"one service, europe, last hour", []string{fastlysim.ShopServiceID}, "europe", time.Hour, 4}, // and /stats/regions
		{"All services, last hour", []string{"*"}, "", time.Hour, len(fastlysim.New(fastlysim.Config{}).Services()) + 2},
		{"All services, 40 days ago", []string{"*"}, "", -40 * 24 * time.Hour, 6*pops + 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newEnv(t, simToken)
			q := expandVariable(t, target, "$service", "")
			q["services"], q["region"] = tc.services, tc.region
			env.sim.ResetRequests()
			from, to := simNow.Add(-tc.span), simNow
			if tc.span < 0 {
				from, to = simNow.Add(tc.span), simNow.Add(tc.span+time.Hour)
			}
			r := env.query(t, from, to, q).Responses["A"]
			require.NoError(t, r.Error)
			calls := map[string]int{}
			for _, req := range env.sim.Requests() {
				calls[callKind(req)]++
			}
			total := len(env.sim.Requests())
			t.Logf("%-32s %4d calls %v", tc.name, total, calls)
			assert.LessOrEqual(t, total, tc.most)
			assert.NotContains(t, calls, "stats with region and datacenter")
		})
	}
}

// callKind names a request to Fastly by what it is for.
func callKind(r fastlysim.Request) string {
	switch {
	case strings.HasSuffix(r.Path, "/stats/summary"):
		return "summary"
	case strings.HasPrefix(r.Path, "/stats") && strings.Contains(r.RawQuery, "datacenter=") && strings.Contains(r.RawQuery, "region="):
		return "stats with region and datacenter"
	case strings.HasPrefix(r.Path, "/stats") && strings.Contains(r.RawQuery, "datacenter="):
		return "stats per POP"
	case strings.HasPrefix(r.Path, "/stats"):
		return "stats"
	default:
		return fmt.Sprintf("GET %s", r.Path)
	}
}
