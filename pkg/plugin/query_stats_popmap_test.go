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
	return simSumOver(t, e, service, field, params, popMapFrom, popMapTo)
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

// popMapQuery is a historical POP map of services, with more of its fields.
func popMapQuery(services []string, more map[string]any) map[string]any {
	q := map[string]any{"queryType": "stats", "format": "popmap", "services": services, "metrics": []string{"all_requests", "hit_ratio"}}
	maps.Copy(q, more)
	return q
}

// statsCalls are the requests to Fastly's stats, summary included, in the order made.
func statsCalls(e *testEnv) []fastlysim.Request {
	var out []fastlysim.Request
	for _, r := range e.sim.Requests() {
		if strings.HasPrefix(r.Path, "/stats") || strings.HasSuffix(r.Path, "/stats/summary") {
			out = append(out, r)
		}
	}
	return out
}

// checkPOPMap holds a service's map to the simulator's own per-POP answers: one row per POP
// with traffic, placed where /datacenters says; all_requests is the POP's requests and
// compute_requests over the range, the hit ratio from its summed hits and misses; the rows add
// up to the service's total.
func checkPOPMap(t *testing.T, e *testEnv, fr *data.Frame, id string, from, to time.Time) {
	t.Helper()
	places := map[string]fastlysim.POP{}
	for _, p := range fastlysim.POPs() {
		places[p.Code] = p
	}
	rows := popRows(t, fr)
	var used []string
	var total float64
	for code := range places {
		req, ok := simSumOver(t, e, id, "requests", "&datacenter="+code, from, to)
		compute, _ := simSumOver(t, e, id, "compute_requests", "&datacenter="+code, from, to)
		if !ok {
			continue
		}
		used = append(used, code)
		i := rows[code]
		assert.Equal(t, req+compute, *floatAt(fr, "all_requests", i), code)
		total += req + compute
		hits, _ := simSumOver(t, e, id, "hits", "&datacenter="+code, from, to)
		miss, _ := simSumOver(t, e, id, "miss", "&datacenter="+code, from, to)
		if hits+miss > 0 {
			assert.InDelta(t, hits/(hits+miss), *floatAt(fr, "hit_ratio", i), 1e-12, code)
		} else {
			assert.Nil(t, floatAt(fr, "hit_ratio", i), "%s: no lookups, no ratio", code)
		}
		assert.Equal(t, places[code].Name, fieldByName(fr, "pop_name").At(i))
		assert.Equal(t, places[code].Latitude, *floatAt(fr, "latitude", i))
	}
	assert.ElementsMatch(t, used, slices.Collect(maps.Keys(rows)), "a row for each POP with traffic, none for the others")
	req, _ := simSumOver(t, e, id, "requests", "", from, to)
	compute, _ := simSumOver(t, e, id, "compute_requests", "", from, to)
	assert.Equal(t, req+compute, total, "the POPs partition the service's traffic")
}

// simSumOver asks the simulator for one field of a service over [from, to), summed over its
// hours, with the filters as query parameters.
func simSumOver(t *testing.T, e *testEnv, service, field, params string, from, to time.Time) (float64, bool) {
	t.Helper()
	url := fmt.Sprintf("%s/stats/service/%s/field/%s?by=hour&from=%d&to=%d%s", e.url, service, field, from.Unix(), to.Unix(), params)
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

// TestStatsPOPMapOfAServiceIsOneSummaryCall: the map of a listed service over the last day is
// one call to /service/{id}/stats/summary, for a VCL and a Compute service alike, and its
// numbers are the POPs' own.
func TestStatsPOPMapOfAServiceIsOneSummaryCall(t *testing.T) {
	for _, id := range []string{fastlysim.ShopServiceID, fastlysim.ComputeServiceID} {
		e := newEnv(t, simToken)
		e.sim.ResetRequests()
		r := e.query(t, popMapFrom, popMapTo, popMapQuery([]string{id}, nil)).Responses["A"]
		calls := statsCalls(e)
		require.NoError(t, r.Error)
		require.Len(t, calls, 1, "%s: one call for the whole map", id)
		assert.Equal(t, "/service/"+id+"/stats/summary", calls[0].Path)
		fr := r.Frames[0]
		assert.Equal(t, data.FrameTypeTable, fr.Meta.Type)
		checkPOPMap(t, e, fr, id, popMapFrom, popMapTo)
		assert.Equal(t, id, fieldByName(fr, "service").At(0))
	}
}

// TestStatsPOPMapOlderThanADay: past the day Fastly's engineers say minutes are kept, the
// summary is checked against the service's total, one call more: under the reference's 35 days
// it holds (two calls); refused or short under the engineers' day, the map is asked POP by POP.
// The numbers are right every way.
func TestStatsPOPMapOlderThanADay(t *testing.T) {
	from, to := simNow.Add(-4*24*time.Hour).Truncate(time.Hour), simNow.Add(-2*24*time.Hour).Truncate(time.Hour)
	id := fastlysim.APIServiceID
	for name, c := range map[string]struct {
		retention fastlysim.MinuteRetention
		calls     int // to the stats endpoints, summary included
	}{
		"35 days":             {fastlysim.MinutesFor35Days, 2},
		"refused after a day": {fastlysim.MinutesRefusedAfterADay, 1 + len(fastlysim.POPs())*6},
		"missing after a day": {fastlysim.MinutesMissingAfterADay, 2 + len(fastlysim.POPs())*6},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, simToken)
			e.sim.SetMinuteRetention(c.retention)
			e.sim.ResetRequests()
			r := e.query(t, from, to, popMapQuery([]string{id}, nil)).Responses["A"]
			calls := statsCalls(e)
			require.NoError(t, r.Error)
			assert.Len(t, calls, c.calls)
			checkPOPMap(t, e, r.Frames[0], id, from, to)
		})
	}
}

// TestStatsPOPMapOfAllServices: every service at once, within the summary's 35 days, is one
// summary per service of the account (fewer calls than POP by POP); past them, each POP is asked
// with the datacenter filter alone, one call per POP and field, each answer echoing its POP.
// Both add up to the account's traffic, VCL and Compute.
func TestStatsPOPMapOfAllServices(t *testing.T) {
	old := simNow.Add(-40 * 24 * time.Hour)
	for name, tc := range map[string]struct {
		from, to time.Time
		calls    func(e *testEnv) int
		perPOP   bool
	}{
		"within 35 days": {popMapFrom, popMapTo, func(e *testEnv) int { return len(e.sim.Services()) }, false},
		"past 35 days":   {old, old.Add(6 * time.Hour), func(*testEnv) int { return len(fastlysim.POPs()) * 2 }, true},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, simToken)
			e.sim.ResetRequests()
			r := e.query(t, tc.from, tc.to, popMapQuery([]string{"*"}, map[string]any{"metrics": []string{"all_requests"}})).Responses["A"]
			require.NoError(t, r.Error)
			calls := statsCalls(e)
			assert.Len(t, calls, tc.calls(e), "a summary per service, or a call per POP for requests and for compute_requests")
			for _, c := range calls {
				assert.Equal(t, tc.perPOP, strings.Contains(c.RawQuery, "datacenter="), c.Path)
				assert.NotContains(t, c.RawQuery, "region=", c.Path)
			}
			fr := r.Frames[0]
			var sum float64
			for i := range fr.Rows() {
				sum += *floatAt(fr, "all_requests", i)
			}
			var want float64
			for _, s := range e.sim.Services() {
				req, _ := simSumOver(t, e, s.ID, "requests", "", tc.from, tc.to)
				compute, _ := simSumOver(t, e, s.ID, "compute_requests", "", tc.from, tc.to)
				want += req + compute
			}
			assert.Positive(t, want)
			assert.Equal(t, want, sum, "the POPs add up to the account's traffic, VCL and Compute")
		})
	}
}

// TestStatsPOPMapWithARegion: a region keeps the POPs whose stats_region it is (from
// /datacenters) and never goes to Fastly beside datacenter, on the summary and POP by POP.
func TestStatsPOPMapWithARegion(t *testing.T) {
	inEurope := map[string]bool{}
	for _, p := range fastlysim.POPs() {
		inEurope[p.Code] = p.Region == "europe"
	}
	for name, services := range map[string][]string{"one service": {fastlysim.ShopServiceID}, "every service": {"*"}} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, simToken)
			e.sim.ResetRequests()
			r := e.query(t, popMapFrom, popMapTo, popMapQuery(services, map[string]any{"region": "europe"})).Responses["A"]
			require.NoError(t, r.Error)
			rows := popRows(t, r.Frames[0])
			require.NotEmpty(t, rows)
			for pop, i := range rows {
				assert.True(t, inEurope[pop], "%s is not in europe", pop)
				want := 0.0
				for _, id := range services {
					if id == "*" {
						continue
					}
					want, _ = simSumOver(t, e, id, "requests", "&datacenter="+pop, popMapFrom, popMapTo)
				}
				if services[0] != "*" {
					assert.Equal(t, want, *floatAt(r.Frames[0], "all_requests", i), pop)
				}
			}
			for _, c := range statsCalls(e) {
				assert.False(t, strings.Contains(c.RawQuery, "region=") && strings.Contains(c.RawQuery, "datacenter="),
					"region and datacenter together: %s?%s", c.Path, c.RawQuery)
			}
		})
	}
}

// TestStatsPOPMapRatesAndIdle: per second, a POP's count is its mean rate over the range; an
// idle service's map has no rows rather than zeros.
func TestStatsPOPMapRatesAndIdle(t *testing.T) {
	e := newEnv(t, simToken)
	r := e.query(t, popMapFrom, popMapTo,
		popMapQuery([]string{fastlysim.ShopServiceID}, map[string]any{"pops": []string{"LHR", "FRA"}, "perSecond": true}),
		popMapQuery([]string{fastlysim.IdleServiceID}, nil),
	)
	rates := r.Responses["A"]
	require.NoError(t, rates.Error)
	fr := rates.Frames[0]
	for pop, i := range popRows(t, fr) {
		sum, _ := simPOPSum(t, e, fastlysim.ShopServiceID, "requests", pop)
		assert.InDelta(t, sum/popMapTo.Sub(popMapFrom).Seconds(), *floatAt(fr, "all_requests", i), 1e-9, pop)
	}
	assert.Equal(t, "reqps", fieldByName(fr, "all_requests").Config.Unit)

	idle := r.Responses["B"]
	require.NoError(t, idle.Error)
	assert.Zero(t, idle.Frames[0].Rows())
}

// TestStatsPOPMapListedPOPs: a listed POP gets its row even without traffic, with every value
// null (not 0); a code /datacenters does not know is never sent and says so in a notice. Both
// ways Fastly may treat unknown codes give the same map, by summary or POP by POP.
func TestStatsPOPMapListedPOPs(t *testing.T) {
	for _, mode := range []fastlysim.DatacenterFilter{fastlysim.DatacenterHonoured, fastlysim.DatacenterUnknownEmpty} {
		for _, services := range [][]string{{fastlysim.StaticServiceID}, {"*"}} {
			e := newEnv(t, simToken)
			e.sim.SetDatacenterFilter(mode)
			e.sim.ResetRequests()
			r := e.query(t, popMapFrom, popMapTo, popMapQuery(services, map[string]any{"pops": []string{"lhr", "SYD", "XYZ", "LHR"}})).Responses["A"]
			require.NoError(t, r.Error, "mode %d %v", mode, services)
			fr := r.Frames[0]
			rows := popRows(t, fr)
			require.ElementsMatch(t, []string{"LHR", "SYD", "XYZ"}, slices.Collect(maps.Keys(rows)))
			if services[0] != "*" {
				lhr, ok := simPOPSum(t, e, services[0], "requests", "LHR")
				require.True(t, ok)
				assert.Equal(t, lhr, *floatAt(fr, "all_requests", rows["LHR"]))
				assert.Nil(t, floatAt(fr, "all_requests", rows["SYD"]), "SYD: no traffic is unknown, not 0")
			}
			assert.Nil(t, floatAt(fr, "all_requests", rows["XYZ"]))
			assert.Nil(t, floatAt(fr, "latitude", rows["XYZ"]), "not on the map")
			assert.True(t, slices.ContainsFunc(fr.Meta.Notices, func(n data.Notice) bool { return strings.Contains(n.Text, "XYZ") }), "%v", fr.Meta.Notices)
			for _, req := range e.sim.Requests() {
				assert.NotContains(t, req.RawQuery, "XYZ")
			}
		}
	}
}

// TestStatsPOPMapFilterIgnored: when Fastly does not apply the datacenter filter (its answer's
// meta does not echo the POP), every POP would show the service's total; the plugin says so
// instead, on the format field, at the first answer.
func TestStatsPOPMapFilterIgnored(t *testing.T) {
	e := newEnv(t, simToken)
	e.sim.SetDatacenterFilter(fastlysim.DatacenterIgnored)
	r := e.query(t, popMapFrom, popMapTo, popMapQuery([]string{"*"}, map[string]any{"pops": []string{"LHR"}})).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "Fastly did not filter")
	assert.Contains(t, r.Error.Error(), "asked for LHR, its answer's meta names no datacenter")
	assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
	require.Len(t, r.Frames, 1)
	assert.Equal(t, map[string]string{"errorField": "format"}, r.Frames[0].Meta.Custom)
}

// TestStatsPOPMapLimits: a map asked POP by POP is bounded by what each POP of Fastly's list
// may cost, before any call; a ratio Fastly computes per bucket cannot be added up over the range.
func TestStatsPOPMapLimits(t *testing.T) {
	e := newEnv(t, simToken)
	e.sim.ResetRequests()
	// Older than the summary's 35 days, so POP by POP: 3 services × 6 fields for each POP.
	three := []string{fastlysim.ShopServiceID, fastlysim.APIServiceID, fastlysim.StaticServiceID}
	r := e.query(t, simNow.Add(-40*24*time.Hour), simNow.Add(-38*24*time.Hour),
		popMapQuery(three, map[string]any{"resolution": "hour"}),
		popMapQuery([]string{fastlysim.ShopServiceID}, map[string]any{"metrics": []string{"origin_offload"}}),
	)
	costly := r.Responses["A"]
	require.Error(t, costly.Error)
	pops := len(fastlysim.POPs())
	assert.Contains(t, costly.Error.Error(), fmt.Sprintf("would cost %d calls", pops*6*3), "6 fields, 3 services")
	assert.Contains(t, costly.Error.Error(), fmt.Sprintf("(12 for each of the %d POPs Fastly lists)", pops))
	assert.Equal(t, map[string]string{"errorField": "pops"}, costly.Frames[0].Meta.Custom)
	for _, req := range e.sim.Requests() {
		assert.NotContains(t, req.RawQuery, "datacenter=", "refused before any POP was asked")
		assert.NotContains(t, req.Path, "/stats/summary", "past the summary's 35 days")
	}
	ratio := r.Responses["B"]
	require.Error(t, ratio.Error)
	assert.Contains(t, ratio.Error.Error(), "origin_offload is a ratio Fastly computes per bucket")
}
