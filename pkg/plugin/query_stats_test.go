package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func asInt(t *testing.T, v any) int64 {
	t.Helper()
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case nil:
		return 0
	}
	t.Fatalf("unexpected value %T %v", v, v)
	return 0
}

func TestStatsQueryMatchesWhatFastlyServed(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-3 * time.Hour)
	to := from.Add(time.Hour)
	resp := env.query(t, from, to, map[string]any{
		"queryType": "stats", "services": []string{fastlysim.ShopServiceID},
		"metrics": []string{"requests", "hit_ratio", "status_5xx"}, "resolution": "minute",
	})
	r := resp.Responses["A"]
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 3)
	requests, hitRatio, errors5xx := r.Frames[0], r.Frames[1], r.Frames[2]
	assert.Equal(t, data.FrameTypeTimeSeriesMulti, requests.Meta.Type)
	require.Equal(t, 60, requests.Rows())
	assert.Equal(t, "www.example-shop.com", requests.Fields[1].Labels["service_name"])
	assert.Equal(t, fastlysim.ShopServiceID, requests.Fields[1].Labels["service"])
	assert.Equal(t, "percentunit", hitRatio.Fields[1].Config.Unit)

	var total int64
	for i := 0; i < 60; i++ {
		bucket := from.Add(time.Duration(i) * time.Minute)
		rec, ok := env.sim.Record(fastlysim.ShopServiceID, "minute", bucket, "")
		got, _ := requests.Fields[1].ConcreteAt(i)
		if !ok {
			assert.Equal(t, int64(0), got, "absent bucket at %s", bucket)
			continue
		}
		assert.Equal(t, asInt(t, rec["requests"]), got, "requests at %s", bucket)
		got5xx, _ := errors5xx.Fields[1].ConcreteAt(i)
		assert.Equal(t, asInt(t, rec["status_5xx"]), got5xx)
		hits, miss := asInt(t, rec["hits"]), asInt(t, rec["miss"])
		ratio, present := hitRatio.Fields[1].ConcreteAt(i)
		if hits+miss == 0 {
			assert.False(t, present)
		} else {
			assert.InDelta(t, float64(hits)/float64(hits+miss), ratio, 1e-12)
		}
		total += got.(int64)
	}
	assert.Greater(t, total, int64(1000), "the busy service has traffic")
}

func TestStatsAllServicesGroupedAndSummed(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-26 * time.Hour).Truncate(time.Hour)
	to := from.Add(2 * time.Hour)
	resp := env.query(t, from, to,
		map[string]any{"services": []string{"*"}, "metrics": []string{"requests"}, "resolution": "hour", "groupBy": "service"},
		map[string]any{"services": []string{fastlysim.ShopServiceID, fastlysim.APIServiceID}, "metrics": []string{"requests"}, "resolution": "hour"},
	)
	grouped := resp.Responses["A"]
	require.NoError(t, grouped.Error)
	perService := map[string]int64{}
	for _, f := range grouped.Frames {
		v, _ := f.Fields[1].ConcreteAt(0)
		perService[f.Fields[1].Labels["service"]] = v.(int64)
	}
	shop, _ := env.sim.Record(fastlysim.ShopServiceID, "hour", from, "")
	api, _ := env.sim.Record(fastlysim.APIServiceID, "hour", from, "")
	assert.Equal(t, asInt(t, shop["requests"]), perService[fastlysim.ShopServiceID])
	assert.Equal(t, asInt(t, api["requests"]), perService[fastlysim.APIServiceID])

	summed := resp.Responses["B"]
	require.NoError(t, summed.Error)
	require.Len(t, summed.Frames, 1)
	v, _ := summed.Frames[0].Fields[1].ConcreteAt(0)
	assert.Equal(t, asInt(t, shop["requests"])+asInt(t, api["requests"]), v)
	assert.Equal(t, "Requests (VCL)", summed.Frames[0].Fields[1].Config.DisplayNameFromDS)
}

func TestStatsAutoResolutionUsesHoursForTwoDays(t *testing.T) {
	env := newEnv(t, simToken)
	resp := env.query(t, simNow.Add(-48*time.Hour), simNow, map[string]any{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}})
	r := resp.Responses["A"]
	require.NoError(t, r.Error)
	require.Equal(t, 48, r.Frames[0].Rows())
	t0, _ := r.Frames[0].Fields[0].ConcreteAt(1)
	t1, _ := r.Frames[0].Fields[0].ConcreteAt(2)
	assert.Equal(t, time.Hour, t1.(time.Time).Sub(t0.(time.Time)))
}

func TestStatsQueryErrorsAreOwnedByTheirQuery(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-2 * time.Hour)
	resp := env.query(t, from, from.Add(time.Hour),
		map[string]any{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests", "reqests", "bogus"}},
		map[string]any{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}},
		map[string]any{"services": []string{"NoSuchService1234"}, "metrics": []string{"requests"}},
		map[string]any{"services": []string{fastlysim.ShopServiceID}, "resolution": "minute", "metrics": []string{"requests"}, "region": "mars"},
	)
	bad := resp.Responses["A"]
	require.Error(t, bad.Error)
	assert.Contains(t, bad.Error.Error(), `"reqests"`)
	assert.Contains(t, bad.Error.Error(), `"bogus"`)
	assert.Equal(t, backend.StatusBadRequest, bad.Status)
	assert.Equal(t, backend.ErrorSourceDownstream, bad.ErrorSource)

	require.NoError(t, resp.Responses["B"].Error, "a bad neighbour does not fail a good query")
	assert.Len(t, resp.Responses["B"].Frames, 1)

	unknown := resp.Responses["C"]
	require.Error(t, unknown.Error)
	assert.Contains(t, unknown.Error.Error(), "check the service id")
	assert.Equal(t, backend.StatusNotFound, unknown.Status)

	region := resp.Responses["D"]
	require.Error(t, region.Error)
	assert.Equal(t, backend.ErrorSourceDownstream, region.ErrorSource)
}

func TestStatsQueryFastlyFailuresAndTokenProblems(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-2 * time.Hour)
	q := map[string]any{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests", "hits"}}

	env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Status: http.StatusInternalServerError})
	r := env.query(t, from, from.Add(time.Hour), q).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "Fastly answered 500")
	assert.Equal(t, backend.StatusBadGateway, r.Status)
	assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
	env.sim.ClearFaults()

	// Every field's call is cut off: a call cancelled in the 500 round above may still reach
	// the simulator now, so a fault for one call only could land on it instead.
	env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Malformed: true})
	r = env.query(t, from, from.Add(time.Hour), q).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "Fastly's answer for /stats/service/"+fastlysim.ShopServiceID+"/field/")
	assert.Contains(t, r.Error.Error(), "could not be read")
	assert.Equal(t, backend.StatusBadGateway, r.Status, "a cut-off answer is Fastly's fault, not the query's")
	env.sim.ClearFaults()

	wrong := &testEnv{sim: env.sim, ds: newTestDatasource(t, env.url, "not-the-token-XYZ")}
	r = wrong.query(t, from, from.Add(time.Hour), q).Responses["A"]
	require.Error(t, r.Error)
	assert.Equal(t, backend.StatusUnauthorized, r.Status)
	assert.Contains(t, r.Error.Error(), "the API token was rejected")
	assert.NotContains(t, r.Error.Error(), "not-the-token-XYZ")

	none := &testEnv{sim: env.sim, ds: newTestDatasource(t, env.url, "")}
	r = none.query(t, from, from.Add(time.Hour), q).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "no Fastly API token is configured")
}

func TestStatsExplicitMinuteBeyondRetentionIsAnError(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-40 * 24 * time.Hour)
	r := env.query(t, from, from.Add(time.Hour), map[string]any{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}, "resolution": "minute"}).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "Fastly keeps minute data for 35 days only")

	r = env.query(t, from, from.Add(time.Hour), map[string]any{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}}).Responses["A"]
	require.NoError(t, r.Error)
	require.NotEmpty(t, r.Frames[0].Meta.Notices)
	assert.Equal(t, "Showing hour data: Fastly keeps minute data for 35 days only.", r.Frames[0].Meta.Notices[0].Text)
}

func TestQueryTypeIsTakenFromWhereverGrafanaPutIt(t *testing.T) {
	env := newEnv(t, simToken)
	run := func(topLevel string, model map[string]any) backend.DataResponse {
		raw, err := json.Marshal(model)
		require.NoError(t, err)
		resp, err := env.ds.QueryData(context.Background(), &backend.QueryDataRequest{
			PluginContext: backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "fastly-test"}},
			Queries: []backend.DataQuery{{RefID: "A", QueryType: topLevel, JSON: raw, MaxDataPoints: 100,
				TimeRange: backend.TimeRange{From: simNow.Add(-2 * time.Hour), To: simNow.Add(-time.Hour)}}},
		})
		require.NoError(t, err)
		return resp.Responses["A"]
	}
	// An alert rule whose top level lost the type: the model's realtime must not answer as stats.
	r := run("", map[string]any{"queryType": "realtime", "services": []string{fastlysim.StaticServiceID}, "metrics": []string{"requests"}})
	require.NoError(t, r.Error)
	require.NotEmpty(t, r.Frames)
	require.NotNil(t, r.Frames[0].Meta)
	assert.NotEmpty(t, r.Frames[0].Meta.Channel, "answered as a real-time query")

	// The type only at the top level, as an API call may send it.
	r = run("realtime", map[string]any{"services": []string{fastlysim.StaticServiceID}, "metrics": []string{"requests"}, "groupBy": "pop"})
	require.NoError(t, r.Error)
	assert.NotEmpty(t, r.Frames[0].Meta.Channel)

	// Neither: historical stats, as saved queries from before query types were.
	r = run("", map[string]any{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}})
	require.NoError(t, r.Error)
	assert.Empty(t, r.Frames[0].Meta.Channel)
	assert.Equal(t, 60, r.Frames[0].Rows())
}

func TestStatsAllServicesWithSeveralMetrics(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-26 * time.Hour).Truncate(time.Hour)
	r := env.query(t, from, from.Add(time.Hour), map[string]any{
		"services": []string{"*"}, "metrics": []string{"requests", "all_hit_requests"}, "resolution": "hour", "groupBy": "service",
	}).Responses["A"]
	require.NoError(t, r.Error)
	checked := 0
	for _, f := range r.Frames {
		if f.Fields[1].Labels["service"] != fastlysim.ShopServiceID {
			continue
		}
		rec, ok := env.sim.Record(fastlysim.ShopServiceID, "hour", from, "")
		require.True(t, ok)
		v, _ := f.Fields[1].ConcreteAt(0)
		switch f.Fields[1].Name {
		case "requests":
			assert.Equal(t, asInt(t, rec["requests"]), v)
		case "all_hit_requests":
			assert.Equal(t, float64(asInt(t, rec["all_hit_requests"])), v)
		}
		checked++
	}
	assert.Equal(t, 2, checked, "both metrics of the busy service")
	var statsCalls []string
	for _, req := range env.sim.Requests() {
		if strings.HasPrefix(req.Path, "/stats") {
			statsCalls = append(statsCalls, req.Path)
		}
	}
	assert.ElementsMatch(t, []string{"/stats/field/requests", "/stats/field/all_hit_requests", "/stats/field/hits"}, statsCalls,
		"three fields (every source's hits, at least the VCL ones): one call per field for every service, never every field of every service")
}

func TestFutureRangesAnswerWithNoDataRatherThanAnError(t *testing.T) {
	env := newEnv(t, simToken)
	tomorrow := simNow.Add(24 * time.Hour)
	for _, q := range []map[string]any{
		{"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}},
		{"queryType": "usage"},
		{"queryType": "events"},
		{"queryType": "origins", "services": []string{fastlysim.ShopServiceID}},
	} {
		r := env.query(t, tomorrow, tomorrow.Add(time.Hour), q).Responses["A"]
		require.NoError(t, r.Error, "%v", q)
		require.Len(t, r.Frames, 1)
		assert.Equal(t, 0, r.Frames[0].Rows())
		assert.Equal(t, "the time range lies in the future: Fastly has no data for it yet", r.Frames[0].Meta.Notices[0].Text)
	}
	r := env.query(t, tomorrow, tomorrow.Add(-time.Hour), map[string]any{"services": []string{fastlysim.ShopServiceID}}).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "the time range is empty")
}

func TestRangeAtTheRetentionEdgeIsNotAlignedPastIt(t *testing.T) {
	env := newEnv(t, simToken)
	now := simNow.Add(40 * time.Second)
	env.ds.now = func() time.Time { return now }
	// 10 s inside minute retention, but the minute it falls in started 35 days and 40 s ago,
	// which Fastly no longer serves by the minute.
	from := now.Add(-35*24*time.Hour + 10*time.Second)
	r := env.query(t, from, from.Add(10*time.Minute), map[string]any{
		"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}, "resolution": "minute",
	}).Responses["A"]
	require.NoError(t, r.Error)
	first, _ := r.Frames[0].Fields[0].ConcreteAt(0)
	assert.False(t, first.(time.Time).Before(from), "the first bucket starts inside the range")
}
