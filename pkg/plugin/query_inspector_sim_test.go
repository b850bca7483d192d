package plugin

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// seriesValues reads a timeseries frame's value column, NaN-free: nil for null.
func seriesValues(f *data.Frame) []*float64 {
	out := make([]*float64, f.Fields[1].Len())
	for i := range out {
		if v, ok := f.Fields[1].ConcreteAt(i); ok {
			x := v.(float64)
			out[i] = &x
		}
	}
	return out
}

func TestQueryOriginsAgainstTheSimulatorAddsUp(t *testing.T) {
	env := newEnv(t, simToken)
	from, to := simNow.Add(-2*time.Hour), simNow.Add(-30*time.Minute)
	run := func(q map[string]any) data.Frames {
		q["queryType"] = "origins"
		q["services"] = []string{fastlysim.ShopServiceID}
		r := env.query(t, from, to, q).Responses["A"]
		require.NoError(t, r.Error)
		return r.Frames
	}
	total := run(map[string]any{"metrics": []string{"responses"}})
	require.Len(t, total, 1)
	byOrigin := run(map[string]any{"metrics": []string{"responses"}, "groupBy": "origin"})
	require.Greater(t, len(byOrigin), 1, "the shop has several origin hosts")
	sum := make([]float64, total[0].Rows())
	for _, f := range byOrigin {
		assert.NotEmpty(t, f.Fields[1].Labels["origin"])
		for i, v := range seriesValues(f) {
			require.NotNil(t, v, "settled buckets are never null for a count")
			sum[i] += *v
		}
	}
	var traffic float64
	for i, v := range seriesValues(total[0]) {
		require.NotNil(t, v)
		assert.InDelta(t, *v, sum[i], 1e-6, "bucket %d: origins add up to the service", i)
		traffic += *v
	}
	assert.Positive(t, traffic)

	derived := run(map[string]any{"metrics": []string{"error_ratio", "origin_latency_p95", "origin_latency_heatmap"}, "groupBy": "pop", "pops": []string{"LHR", "FRA"}})
	pops := map[string]bool{}
	for _, f := range derived {
		pops[f.Fields[1].Labels["pop"]] = true
		if f.Meta.Type == "heatmap-rows" {
			continue
		}
		for _, v := range seriesValues(f) {
			if v == nil {
				continue
			}
			switch f.Fields[1].Labels["metric"] {
			case "error_ratio":
				assert.True(t, *v >= 0 && *v <= 1, "ratio %v", *v)
			case "origin_latency_p95":
				assert.True(t, *v > 0 && *v <= 60000, "p95 %v ms", *v)
			}
		}
	}
	assert.Subset(t, []string{"LHR", "FRA"}, keys(pops), "only the POPs asked for")
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestQueryDomainsAgainstTheSimulator(t *testing.T) {
	env := newEnv(t, simToken)
	r := env.query(t, simNow.Add(-6*time.Hour), simNow.Add(-time.Hour), map[string]any{
		"queryType": "domains", "services": []string{fastlysim.APIServiceID}, "groupBy": "domain",
		"metrics": []string{"edge_requests", "edge_hit_ratio", "bandwidth_bps"}, "resolution": "hour",
	}).Responses["A"]
	require.NoError(t, r.Error)
	require.NotEmpty(t, r.Frames)
	for _, f := range r.Frames {
		l := f.Fields[1].Labels
		assert.Equal(t, fastlysim.APIServiceID, l["service"])
		assert.NotEmpty(t, l["domain"])
		assert.Equal(t, 5, f.Rows(), "five whole hours")
	}

	off := env.query(t, simNow.Add(-time.Hour), simNow, map[string]any{"queryType": "domains", "services": []string{fastlysim.StaticServiceID}}).Responses["A"]
	require.Error(t, off.Error)
	assert.Contains(t, off.Error.Error(), "Domain Inspector is not enabled on Fastly service "+fastlysim.StaticServiceID)

	all := env.query(t, simNow.Add(-time.Hour), simNow.Add(-30*time.Minute), map[string]any{"queryType": "domains", "services": []string{"*"}, "groupBy": "service"}).Responses["A"]
	require.NoError(t, all.Error)
	services := map[string]bool{}
	for _, f := range all.Frames {
		services[f.Fields[1].Labels["service"]] = true
	}
	assert.Equal(t, map[string]bool{fastlysim.ShopServiceID: true, fastlysim.APIServiceID: true, fastlysim.SparseServiceID: true}, services, "All services means those with Domain Inspector")
	assert.Contains(t, all.Frames[0].Meta.Notices[0].Text, "do not have Domain Inspector enabled")
}

// TestInspectorOffIsNotShownAsIdle: Fastly's engineers note that an Inspector's metrics answer
// 200 with no data for a service without the product (docs/fastly-api.md, "Inspector
// enablement"), the same answer as a service with no traffic. The plugin asks about the product
// first, so the user is told it is off rather than shown an idle service.
func TestInspectorOffIsNotShownAsIdle(t *testing.T) {
	for _, empty := range []bool{false, true} {
		env := newEnv(t, simToken)
		env.sim.SetDisabledInspectorAnswer(empty)
		for _, tc := range []struct{ queryType, product string }{
			{"origins", "Origin Inspector"}, {"domains", "Domain Inspector"},
		} {
			r := env.query(t, simNow.Add(-time.Hour), simNow, map[string]any{
				"queryType": tc.queryType, "services": []string{fastlysim.StaticServiceID},
			}).Responses["A"]
			require.Error(t, r.Error, "%s, empty answer %v", tc.queryType, empty)
			assert.Contains(t, r.Error.Error(), tc.product+" is not enabled on Fastly service "+fastlysim.StaticServiceID)
			for _, fr := range r.Frames {
				assert.Zero(t, fr.Rows(), "no zeros beside the error")
			}
		}
	}
}
