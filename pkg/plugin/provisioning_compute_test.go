package plugin

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestServiceDashboardShowsAComputeServicesTraffic runs the shipped service dashboard's
// request, status and ratio panels on the simulator's Compute service, whose traffic Fastly
// keeps out of requests and status_* (docs/fastly-api.md, "Compute services"). Every minute
// of the last hour but the newest (Fastly's still filling) must show its requests and a known 5xx
// ratio: the panels once showed 0 requests/s and a null 5xx ratio in 60 of 60 minutes.
func TestServiceDashboardShowsAComputeServicesTraffic(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-time.Hour)
	dash := loadDashboards(t)["fastly-service.json"]
	checked := map[string]int{}
	for _, p := range dash.panels() {
		for _, target := range p.Targets {
			metrics := stringsOf(target["metrics"])
			if target["queryType"] != "stats" {
				continue
			}
			for _, metric := range metrics {
				want, ok := computeExpectation[metric]
				if !ok {
					continue
				}
				t.Run(fmt.Sprintf("%s/%s", p.Title, metric), func(t *testing.T) {
					q := expandVariable(t, target, "$service", fastlysim.ComputeServiceID)
					q["metrics"] = []string{metric}
					r := env.query(t, from, simNow, q).Responses["A"]
					require.NoError(t, r.Error)
					s := seriesOf(r.Frames)
					require.Len(t, s, 1, "one series for the one service")
					for _, vals := range s {
						settled := withoutUnsettledTail(vals)
						require.GreaterOrEqual(t, len(settled), 45, "the hour's settled minutes, one point each")
						for i, v := range settled {
							assert.False(t, math.IsNaN(v), "%s unknown at minute %d", metric, i)
							if want == positive {
								assert.Positive(t, v, "%s at minute %d", metric, i)
							}
						}
					}
					checked[metric]++
				})
			}
		}
	}
	for metric := range computeExpectation {
		assert.Positive(t, checked[metric], "the service dashboard has a panel of %s", metric)
	}

	// What the panels showed before: Fastly's VCL-only field reads 0 all along.
	r := env.query(t, from, simNow, map[string]any{"queryType": "stats",
		"services": []string{fastlysim.ComputeServiceID}, "metrics": []string{"requests"}}).Responses["A"]
	require.NoError(t, r.Error)
	for _, vals := range seriesOf(r.Frames) {
		settled := withoutUnsettledTail(vals)
		require.NotEmpty(t, settled)
		for i, v := range settled {
			assert.Zero(t, v, "requests (VCL) at minute %d", i)
		}
	}
}

// withoutUnsettledTail drops the newest minutes Fastly has not settled yet, which the plugin
// shows as unknown.
func withoutUnsettledTail(vals []float64) []float64 {
	end := len(vals)
	for end > 0 && math.IsNaN(vals[end-1]) {
		end--
	}
	return vals[:end]
}

type expectation int

const (
	known    expectation = iota // a number every minute, possibly 0
	positive                    // above 0 every minute
)

// computeExpectation is what the service dashboard's request and 5xx panels must show for a
// busy Compute service: its requests and its 2xx every minute, a known 5xx count and ratio.
var computeExpectation = map[string]expectation{
	"all_requests":   positive,
	"all_status_2xx": positive,
	"all_status_5xx": known,
	"error_ratio":    known,
}

// stringsOf reads a JSON list of strings from a decoded target.
func stringsOf(v any) []string {
	var out []string
	if list, ok := v.([]any); ok {
		for _, x := range list {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return slices.Clip(out)
}
