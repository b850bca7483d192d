package plugin

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// popMapDay is the range of the historical POP map tests: a settled day, which the plugin
// reads by the hour.
var popMapFrom, popMapTo = simNow.Add(-24 * time.Hour), simNow

// simPOPSum asks the simulator itself for one field of a service at one POP over the test's
// range ("" = no POP filter), summed over its hours: what the plugin's map must show.
func simPOPSum(t *testing.T, e *testEnv, service, field, pop string) (float64, bool) {
	t.Helper()
	if pop != "" {
		return simSum(t, e, service, field, "&datacenter="+pop)
	}
	return simSum(t, e, service, field, "")
}

// simSum is simPOPSum with the filters as query parameters.
func simSum(t *testing.T, e *testEnv, service, field, params string) (float64, bool) {
	t.Helper()
	url := fmt.Sprintf("%s/stats/service/%s/field/%s?by=hour&from=%d&to=%d%s", e.url, service, field, popMapFrom.Unix(), popMapTo.Unix(), params)
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Header.Set("Fastly-Key", simToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var body struct{ Data []map[string]any }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	var sum float64
	for _, rec := range body.Data {
		v, _ := rec[field].(float64)
		sum += v
	}
	return sum, len(body.Data) > 0
}

// popRows maps each row's POP code to its row index.
func popRows(t *testing.T, fr *data.Frame) map[string]int {
	t.Helper()
	rows := map[string]int{}
	for i := range fr.Rows() {
		rows[fieldByName(fr, "pop").At(i).(string)] = i
	}
	return rows
}

func floatAt(fr *data.Frame, name string, i int) *float64 {
	return fieldByName(fr, name).At(i).(*float64)
}

// TestStatsPOPMapHonoured: with Fastly honouring the datacenter filter, a historical POP map
// has one row per POP the service used, placed where /datacenters says, whose requests are
// that POP's sum over the range and whose hit ratio comes from its summed hits and misses;
// the rows add up to the service's total. Every call named one POP and one field.
func TestStatsPOPMapHonoured(t *testing.T) {
	e := newEnv(t, simToken)
	id := fastlysim.ShopServiceID
	e.sim.ResetRequests()
	r := e.query(t, popMapFrom, popMapTo, map[string]any{"queryType": "stats", "format": "popmap", "services": []string{id}, "metrics": []string{"requests", "hit_ratio"}}).Responses["A"]
	asked := e.sim.Requests() // before the test's own calls below
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	fr := r.Frames[0]
	assert.Equal(t, data.FrameTypeTable, fr.Meta.Type)

	places := map[string]fastlysim.POP{}
	for _, p := range fastlysim.POPs() {
		places[p.Code] = p
	}
	rows := popRows(t, fr)
	var used []string
	for code := range places {
		if _, ok := simPOPSum(t, e, id, "requests", code); ok {
			used = append(used, code)
		}
	}
	assert.ElementsMatch(t, used, slices.Collect(maps.Keys(rows)), "a row for each POP with traffic, none for the others")
	var total float64
	for pop, i := range rows {
		want, _ := simPOPSum(t, e, id, "requests", pop)
		hits, _ := simPOPSum(t, e, id, "hits", pop)
		miss, _ := simPOPSum(t, e, id, "miss", pop)
		assert.Equal(t, want, *floatAt(fr, "requests", i), pop)
		assert.InDelta(t, hits/(hits+miss), *floatAt(fr, "hit_ratio", i), 1e-12, pop)
		assert.Equal(t, places[pop].Name, fieldByName(fr, "pop_name").At(i))
		assert.Equal(t, places[pop].Latitude, *floatAt(fr, "latitude", i))
		assert.Equal(t, places[pop].Longitude, *floatAt(fr, "longitude", i))
		assert.Equal(t, id, fieldByName(fr, "service").At(i))
		assert.Equal(t, "www.example-shop.com", fieldByName(fr, "service_name").At(i))
		total += want
	}
	whole, _ := simPOPSum(t, e, id, "requests", "")
	assert.Equal(t, whole, total, "the POPs partition the service's traffic")

	byPOP := 0
	for _, req := range asked {
		if !strings.HasPrefix(req.Path, "/stats/") {
			continue
		}
		assert.True(t, strings.HasPrefix(req.Path, "/stats/service/"+id+"/field/"), "per-field endpoint: %s", req.Path)
		if strings.Contains(req.RawQuery, "datacenter=") {
			byPOP++
		}
	}
	assert.Equal(t, len(places)*3, byPOP, "one call per POP and field (requests, hits, miss)")
}

// TestStatsPOPMapRatesAndIdle: per second, a POP's count is its mean rate over the range; an
// idle service's map has no rows rather than zeros.
func TestStatsPOPMapRatesAndIdle(t *testing.T) {
	e := newEnv(t, simToken)
	r := e.query(t, popMapFrom, popMapTo,
		map[string]any{"queryType": "stats", "format": "popmap", "services": []string{fastlysim.ShopServiceID}, "pops": []string{"LHR", "FRA"}, "perSecond": true},
		map[string]any{"queryType": "stats", "format": "popmap", "services": []string{fastlysim.IdleServiceID}},
	)
	rates := r.Responses["A"]
	require.NoError(t, rates.Error)
	fr := rates.Frames[0]
	for pop, i := range popRows(t, fr) {
		sum, _ := simPOPSum(t, e, fastlysim.ShopServiceID, "requests", pop)
		assert.InDelta(t, sum/popMapTo.Sub(popMapFrom).Seconds(), *floatAt(fr, "requests", i), 1e-9, pop)
	}
	assert.Equal(t, "reqps", fieldByName(fr, "requests").Config.Unit)

	idle := r.Responses["B"]
	require.NoError(t, idle.Error)
	assert.Zero(t, idle.Frames[0].Rows())
}

// TestStatsPOPMapListedPOPs: a listed POP gets its row even without traffic, with every value
// null (not 0); a code /datacenters does not know is never sent and says so in a notice. Both
// ways Fastly may treat unknown codes give the same map.
func TestStatsPOPMapListedPOPs(t *testing.T) {
	for _, mode := range []fastlysim.DatacenterFilter{fastlysim.DatacenterHonoured, fastlysim.DatacenterUnknownEmpty} {
		e := newEnv(t, simToken)
		e.sim.SetDatacenterFilter(mode)
		id := fastlysim.StaticServiceID // Europe only
		e.sim.ResetRequests()
		r := e.query(t, popMapFrom, popMapTo, map[string]any{"queryType": "stats", "format": "popmap", "services": []string{id},
			"pops": []string{"lhr", "SYD", "XYZ", "LHR"}, "metrics": []string{"requests", "hit_ratio"}}).Responses["A"]
		require.NoError(t, r.Error, "mode %d", mode)
		fr := r.Frames[0]
		rows := popRows(t, fr)
		require.ElementsMatch(t, []string{"LHR", "SYD", "XYZ"}, slices.Collect(maps.Keys(rows)))
		lhr, ok := simPOPSum(t, e, id, "requests", "LHR")
		require.True(t, ok)
		assert.Equal(t, lhr, *floatAt(fr, "requests", rows["LHR"]))
		for _, pop := range []string{"SYD", "XYZ"} {
			assert.Nil(t, floatAt(fr, "requests", rows[pop]), "%s: no traffic is unknown, not 0", pop)
			assert.Nil(t, floatAt(fr, "hit_ratio", rows[pop]), pop)
		}
		assert.Nil(t, floatAt(fr, "latitude", rows["XYZ"]), "not on the map")
		assert.True(t, slices.ContainsFunc(fr.Meta.Notices, func(n data.Notice) bool { return strings.Contains(n.Text, "XYZ") }), "%v", fr.Meta.Notices)
		for _, req := range e.sim.Requests() {
			assert.NotContains(t, req.RawQuery, "XYZ")
		}
	}
}

// TestStatsPOPMapFilterIgnored: when Fastly ignores the datacenter filter, every POP would
// show the service's total; the plugin says so instead, on the format field. One POP asked
// for alone looks like a POP carrying all the traffic, so the plugin asks another POP to tell.
func TestStatsPOPMapFilterIgnored(t *testing.T) {
	for name, c := range map[string]struct {
		service string
		pops    []string
		metrics []string
	}{
		"every POP": {fastlysim.ShopServiceID, nil, []string{"requests"}},
		"one POP":   {fastlysim.ShopServiceID, []string{"LHR"}, []string{"requests"}},
		// static-assets never answers 416: a field the total has none of cannot tell
		"a field without traffic first": {fastlysim.StaticServiceID, nil, []string{"status_416", "requests"}},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, simToken)
			e.sim.SetDatacenterFilter(fastlysim.DatacenterIgnored)
			q := map[string]any{"queryType": "stats", "format": "popmap", "services": []string{c.service}, "pops": c.pops, "metrics": c.metrics}
			r := e.query(t, popMapFrom, popMapTo, q).Responses["A"]
			require.Error(t, r.Error)
			assert.Contains(t, r.Error.Error(), "Fastly did not filter its historical stats by POP")
			assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
			require.Len(t, r.Frames, 1)
			assert.Equal(t, map[string]string{"errorField": "format"}, r.Frames[0].Meta.Custom)
		})
	}
}

// TestStatsPOPMapOnePOPWithAllTraffic: honoured, one POP asked for and carrying all of the
// traffic (the shop's only POP in a region, with that region's filter) is told apart from an
// ignored filter by one more POP's answer.
func TestStatsPOPMapOnePOPWithAllTraffic(t *testing.T) {
	e := newEnv(t, simToken)
	id := fastlysim.ShopServiceID
	region, only := "", ""
	for _, reg := range fastlysim.Regions {
		var used []string
		for _, p := range fastlysim.POPs() {
			if _, ok := simSum(t, e, id, "requests", "&region="+reg+"&datacenter="+p.Code); ok {
				used = append(used, p.Code)
			}
		}
		if len(used) == 1 {
			region, only = reg, used[0]
			break
		}
	}
	require.NotEmpty(t, only, "the shop has a region served by one POP")
	whole, _ := simSum(t, e, id, "requests", "&region="+region)
	e.sim.ResetRequests()
	r := e.query(t, popMapFrom, popMapTo, map[string]any{"queryType": "stats", "format": "popmap", "services": []string{id}, "region": region, "pops": []string{only}}).Responses["A"]
	require.NoError(t, r.Error)
	assert.Equal(t, whole, *floatAt(r.Frames[0], "requests", 0), "all of the region's traffic")
	probes := map[string]bool{}
	for _, req := range e.sim.Requests() {
		if strings.Contains(req.RawQuery, "datacenter=") && !strings.Contains(req.RawQuery, "datacenter="+only) {
			probes[req.RawQuery] = true
		}
	}
	assert.Len(t, probes, 1, "one more POP asked for, to tell")
}

// TestStatsPOPMapLimits: the map's cost in calls is bounded before any is made, and a ratio
// Fastly computes per bucket cannot be added up over the range.
func TestStatsPOPMapLimits(t *testing.T) {
	e := newEnv(t, simToken)
	services := []string{fastlysim.ShopServiceID, fastlysim.APIServiceID, fastlysim.StaticServiceID, fastlysim.ComputeServiceID}
	e.sim.ResetRequests()
	r := e.query(t, popMapFrom, popMapTo,
		map[string]any{"queryType": "stats", "format": "popmap", "services": services, "metrics": []string{"requests", "hit_ratio"}},
		map[string]any{"queryType": "stats", "format": "popmap", "services": []string{fastlysim.ShopServiceID}, "metrics": []string{"origin_offload"}},
	)
	costly := r.Responses["A"]
	require.Error(t, costly.Error)
	assert.Contains(t, costly.Error.Error(), "could cost 1092 calls")
	assert.Equal(t, map[string]string{"errorField": "pops"}, costly.Frames[0].Meta.Custom)
	for _, req := range e.sim.Requests() {
		assert.NotContains(t, req.RawQuery, "datacenter=", "refused before any POP was asked")
	}
	ratio := r.Responses["B"]
	require.Error(t, ratio.Error)
	assert.Contains(t, ratio.Error.Error(), "origin_offload is a ratio Fastly computes per bucket")
}

// TestStatsPOPMapAsksTheTotalAgainWhenTrafficArrivedBetweenTheCalls: the total came back empty
// (traffic had not arrived when it was asked) and the POPs then answered with traffic in
// minutes still filling. That is no sign of an ignored filter: the plugin asks for the total
// again, past the viewers' shared tail, and draws the map.
func TestStatsPOPMapAsksTheTotalAgainWhenTrafficArrivedBetweenTheCalls(t *testing.T) {
	e := newEnv(t, simToken)
	id := fastlysim.ShopServiceID
	e.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats/service/" + id + "/field/requests", Times: 1,
		Body: `{"status":"success","meta":{},"msg":null,"data":[]}`})
	e.sim.ResetRequests()
	from, to := simNow.Add(-12*time.Minute), simNow // every minute still filling
	r := e.query(t, from, to, map[string]any{"queryType": "stats", "format": "popmap", "resolution": "minute",
		"services": []string{id}, "metrics": []string{"requests"}}).Responses["A"]
	require.NoError(t, r.Error)
	totals := 0
	for _, req := range e.sim.Requests() {
		if strings.HasPrefix(req.Path, "/stats/") && !strings.Contains(req.RawQuery, "datacenter=") {
			totals++
		}
	}
	assert.Equal(t, 2, totals, "the total, then the total again after the POPs")
	fr := r.Frames[0]
	sum := 0.0
	for i := range fr.Rows() {
		if v := floatAt(fr, "requests", i); v != nil {
			sum += *v
		}
	}
	assert.Positive(t, sum, "the POPs' traffic is shown")
}
