package fastlysim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func svcPath(id, query string) string { return "/stats/service/" + id + "?" + query }

func rangeQ(by string, from, to time.Time, extra string) string {
	q := fmt.Sprintf("by=%s&from=%d&to=%d", by, from.Unix(), to.Unix())
	if extra != "" {
		q += "&" + extra
	}
	return q
}

func TestStatsRecordShapeMatchesFixture(t *testing.T) {
	h := newHarness(t, Config{})
	var fx statsEnvelope[[]map[string]any]
	fixture(t, "historical_stats_aggregate_by_minute.json", &fx)
	fxKeys := keysOf(fx.Data[0])
	reference := referenceNames(t, "reference_stats_fields.txt")

	day := testNow.Truncate(24 * time.Hour).Add(-24 * time.Hour)
	var got statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ShopServiceID, rangeQ("hour", day, day.Add(24*time.Hour), "")), &got)
	require.Len(t, got.Data, 24)
	union := map[string]any{}
	for _, rec := range got.Data {
		assert.Equal(t, ShopServiceID, rec["service_id"])
		for k, v := range rec {
			union[k] = v
		}
	}
	delete(union, "service_id")
	assert.Subset(t, keysOf(union), fxKeys, "the busy service's hourly records carry every key of the recorded VCL record")
	for _, k := range keysOf(union) {
		if !slices.Contains(fxKeys, k) {
			assert.True(t, strings.HasPrefix(k, "all_") && reference[k], "%s: a key the recording lacks must be an all_* field of the reference", k)
		}
	}

	assert.Equal(t, "success", got.Status)
	assert.Nil(t, got.Msg)
	assert.Equal(t, "hour", got.Meta.By)
	assert.Equal(t, "all", got.Meta.Region)
	assert.Equal(t, day.Format("2006-01-02 15:04:05")+" UTC", got.Meta.From)

	// Aggregate records carry no service_id; their keys are the recording's and the reference's.
	var agg statsEnvelope[[]map[string]any]
	h.getOK("/stats/aggregate?"+rangeQ("minute", testNow.Add(-15*time.Minute), testNow, "region=usa"), &agg)
	require.NotEmpty(t, agg.Data)
	for _, rec := range agg.Data {
		assert.NotContains(t, rec, "service_id")
		for k := range rec {
			assert.True(t, slices.Contains(fxKeys, k) || reference[k], k)
		}
	}
	assert.Equal(t, "usa", agg.Meta.Region)
}

// TestComputeRecordsAsFastlysEngineersDescribeThem: a Compute service's records keep requests
// and the status classes at 0 and put its traffic in compute_requests, compute_resp_status_*
// and all_status_* (left out when 0), with no VCL cache outcome at all.
func TestComputeRecordsAsFastlysEngineersDescribeThem(t *testing.T) {
	h := newHarness(t, Config{})
	reference := referenceNames(t, "reference_stats_fields.txt")
	var got statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ComputeServiceID, rangeQ("hour", testNow.Add(-6*time.Hour), testNow, "")), &got)
	require.NotEmpty(t, got.Data)
	for _, rec := range got.Data {
		n := func(k string) int64 { return num(t, rec, k) }
		for _, k := range []string{"requests", "status_1xx", "status_2xx", "status_3xx", "status_4xx", "status_5xx"} {
			assert.Contains(t, rec, k, "every row has %s", k)
			assert.Zero(t, n(k), k)
		}
		assert.Greater(t, n("compute_requests"), int64(0))
		for _, k := range []string{"hits", "miss", "pass", "all_hit_requests", "status_200", "resp_body_bytes", "hit_ratio"} {
			assert.NotContains(t, rec, k, "a Compute service has no %s", k)
		}
		var classes, all int64
		for _, c := range []string{"1xx", "2xx", "3xx", "4xx", "5xx"} {
			assert.Contains(t, rec, "compute_resp_status_"+c)
			classes += n("compute_resp_status_" + c)
			if v, ok := rec["all_status_"+c]; ok {
				assert.Equal(t, n("compute_resp_status_"+c), num(t, map[string]any{"v": v}, "v"))
				all += n("all_status_" + c)
			} else {
				assert.Zero(t, n("compute_resp_status_"+c), "all_status_%s is left out only when 0", c)
			}
		}
		assert.Equal(t, n("compute_requests"), classes)
		assert.Equal(t, n("compute_requests"), all)
		assert.Equal(t, n("bandwidth"), n("compute_resp_header_bytes")+n("compute_resp_body_bytes")+n("compute_bereq_header_bytes")+n("compute_bereq_body_bytes"))
		for k := range rec {
			assert.True(t, reference[k] || k == "service_id" || k == "start_time", "%s is a field of the reference", k)
		}
	}
}

// checkIdentities asserts the relations Fastly's counters obey within one record, of a VCL
// service, a Compute service, or (/stats/aggregate) both: VCL delivery counts in the plain
// fields, Compute in compute_*, every source in all_*.
func checkIdentities(t *testing.T, rec map[string]any) {
	t.Helper()
	n := func(k string) int64 { return num(t, rec, k) }
	sum := func(keys ...string) int64 {
		var s int64
		for _, k := range keys {
			s += n(k)
		}
		return s
	}
	req, cr := n("requests"), n("compute_requests")
	for _, p := range []string{"status_", "compute_resp_status_"} {
		assert.Equal(t, sum(p+"2xx"), sum(p+"200", p+"204", p+"206"))
		assert.Equal(t, sum(p+"3xx"), sum(p+"301", p+"302", p+"304"))
		assert.Equal(t, sum(p+"4xx"), sum(p+"400", p+"401", p+"403", p+"404", p+"416", p+"429"))
		assert.Equal(t, sum(p+"5xx"), sum(p+"500", p+"501", p+"502", p+"503", p+"504", p+"505"))
	}
	assert.Equal(t, req, sum("status_1xx", "status_2xx", "status_3xx", "status_4xx", "status_5xx"), "requests = status classes")
	assert.Equal(t, cr, sum("compute_resp_status_1xx", "compute_resp_status_2xx", "compute_resp_status_3xx", "compute_resp_status_4xx", "compute_resp_status_5xx"))
	for _, c := range []string{"1xx", "2xx", "3xx", "4xx", "5xx"} {
		assert.Equal(t, n("status_"+c)+n("compute_resp_status_"+c), n("all_status_"+c), "every source is VCL plus Compute")
	}
	assert.Equal(t, req, n("hits")+n("miss")+n("pass")+n("errors")+n("synth"), "requests = outcomes")
	assert.Equal(t, n("hits"), n("all_hit_requests"), "Compute has no cache outcome of its own")
	assert.Equal(t, n("miss"), n("all_miss_requests"))
	assert.Equal(t, n("pass"), n("all_pass_requests"))
	assert.Equal(t, n("bandwidth"), sum("resp_header_bytes", "resp_body_bytes", "bereq_header_bytes", "bereq_body_bytes",
		"compute_resp_header_bytes", "compute_resp_body_bytes", "compute_bereq_header_bytes", "compute_bereq_body_bytes"))
	assert.Equal(t, n("edge_requests"), req)
	assert.Equal(t, n("header_size"), n("resp_header_bytes"))
	assert.Equal(t, n("body_size"), n("resp_body_bytes"))
	assert.Equal(t, n("origin_fetches"), n("miss")+n("pass"))
	assert.Equal(t, req+cr, sum("object_size_1k", "object_size_10k", "object_size_100k", "object_size_1m",
		"object_size_10m", "object_size_100m", "object_size_1g"))
	assert.Equal(t, n("tls"), sum("tls_v10", "tls_v11", "tls_v12", "tls_v13"))
	assert.LessOrEqual(t, n("tls"), req+cr)
	if hm := n("hits") + n("miss"); hm > 0 {
		assert.InDelta(t, float64(n("hits"))/float64(hm), flt(t, rec, "hit_ratio"), 1e-12)
	} else {
		assert.Nil(t, rec["hit_ratio"])
	}
	if req > 0 {
		assert.Greater(t, float64(n("resp_body_bytes"))/float64(req), 100.0, "bodies follow requests")
		_, isNum := rec["hits_time"].(json.Number)
		assert.True(t, isNum)
	}
	if cr > 0 {
		assert.Greater(t, float64(n("compute_resp_body_bytes"))/float64(cr), 100.0, "bodies follow requests")
	}
}

func TestStatsCountsAddUp(t *testing.T) {
	h := newHarness(t, Config{})
	for _, id := range []string{ShopServiceID, APIServiceID, StaticServiceID, ComputeServiceID} {
		for _, by := range []string{"minute", "hour", "day"} {
			from := map[string]time.Time{"minute": testNow.Add(-30 * time.Minute), "hour": testNow.Add(-24 * time.Hour), "day": testNow.AddDate(0, 0, -5)}[by]
			var got statsEnvelope[[]map[string]any]
			h.getOK(svcPath(id, rangeQ(by, from, testNow, "")), &got)
			require.NotEmpty(t, got.Data, "%s by %s", id, by)
			for _, rec := range got.Data {
				checkIdentities(t, rec)
			}
		}
	}
}

// sumRecords adds up integer fields and *_time floats of records.
func sumRecords(t *testing.T, recs []map[string]any) map[string]float64 {
	out := map[string]float64{}
	for _, rec := range recs {
		for k, v := range rec {
			if k == "start_time" || k == "service_id" || k == "hit_ratio" {
				continue
			}
			if n, ok := v.(json.Number); ok {
				f, err := n.Float64()
				require.NoError(t, err)
				out[k] += f
			}
		}
	}
	return out
}

func TestResolutionsAgree(t *testing.T) {
	h := newHarness(t, Config{})
	hour := testNow.Truncate(time.Hour).Add(-3 * time.Hour)
	for _, region := range []string{"", "europe", "asia"} {
		extra := ""
		if region != "" {
			extra = "region=" + region
		}
		var mins, hours statsEnvelope[[]map[string]any]
		h.getOK(svcPath(ShopServiceID, rangeQ("minute", hour, hour.Add(time.Hour), extra)), &mins)
		h.getOK(svcPath(ShopServiceID, rangeQ("hour", hour, hour.Add(time.Hour), extra)), &hours)
		require.Len(t, hours.Data, 1)
		want := sumRecords(t, hours.Data)
		got := sumRecords(t, mins.Data)
		assert.Equal(t, want, got, "hour = sum of its minutes (region %q), floats included", region)
		assert.Greater(t, want["requests"], 0.0)
	}
	day := testNow.Truncate(24*time.Hour).AddDate(0, 0, -2)
	var hours, days statsEnvelope[[]map[string]any]
	h.getOK(svcPath(APIServiceID, rangeQ("hour", day, day.Add(24*time.Hour), "")), &hours)
	h.getOK(svcPath(APIServiceID, rangeQ("day", day, day.Add(24*time.Hour), "")), &days)
	require.Len(t, days.Data, 1)
	require.Len(t, hours.Data, 24)
	assert.Equal(t, sumRecords(t, days.Data), sumRecords(t, hours.Data), "day = sum of its hours")
}

func TestRegionsAndDatacentersPartitionTraffic(t *testing.T) {
	h := newHarness(t, Config{})
	hour := testNow.Truncate(time.Hour).Add(-2 * time.Hour)
	q := rangeQ("hour", hour, hour.Add(time.Hour), "")
	var all statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ShopServiceID, q), &all)
	var byRegion, byPOP []map[string]any
	for _, region := range Regions {
		var e statsEnvelope[[]map[string]any]
		h.getOK(svcPath(ShopServiceID, q+"&region="+region), &e)
		assert.Equal(t, region, e.Meta.Region)
		byRegion = append(byRegion, e.Data...)
	}
	for _, p := range POPs() {
		var e statsEnvelope[[]map[string]any]
		h.getOK(svcPath(ShopServiceID, q+"&datacenter="+p.Code), &e)
		byPOP = append(byPOP, e.Data...)
	}
	want := sumRecords(t, all.Data)
	assert.Equal(t, want, sumRecords(t, byRegion), "regions partition the traffic")
	assert.Equal(t, want, sumRecords(t, byPOP), "POPs partition the traffic")
	assert.Greater(t, len(byPOP), 10, "traffic is spread over many POPs")

	// region silently wins over datacenter: the region's numbers, and meta has no datacenter
	eu := ""
	for _, p := range New(Config{}).byID[ShopServiceID].prof.pops {
		if popByCode[p].Region == "europe" {
			eu = p
			break
		}
	}
	require.NotEmpty(t, eu)
	var one, europe, both, wrongRegion statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ShopServiceID, q+"&datacenter="+eu), &one)
	h.getOK(svcPath(ShopServiceID, q+"&region=europe"), &europe)
	h.getOK(svcPath(ShopServiceID, q+"&datacenter="+eu+"&region=europe"), &both)
	h.getOK(svcPath(ShopServiceID, q+"&datacenter="+eu+"&region=asia"), &wrongRegion)
	require.NotNil(t, one.Meta.Datacenter)
	assert.Equal(t, eu, *one.Meta.Datacenter, "meta.datacenter echoes the POP")
	assert.Nil(t, europe.Meta.Datacenter)
	assert.Equal(t, europe.Data, both.Data, "with a region the datacenter is ignored")
	assert.Nil(t, both.Meta.Datacenter, "and not echoed")
	assert.Equal(t, "europe", both.Meta.Region)
	assert.Less(t, sumRecords(t, one.Data)["requests"], sumRecords(t, both.Data)["requests"])
	assert.NotEmpty(t, wrongRegion.Data, "asia's numbers, not the POP's intersected with asia")
	assert.Nil(t, wrongRegion.Meta.Datacenter)
}

func TestStatsRefusals(t *testing.T) {
	h := newHarness(t, Config{})
	cases := []struct {
		name, path string
		status     int
		msg        string
	}{
		{"minute retention", svcPath(ShopServiceID, rangeQ("minute", testNow.AddDate(0, 0, -36), testNow.AddDate(0, 0, -35).Add(time.Hour), "")), 400, "35 days"},
		{"hour retention", svcPath(ShopServiceID, rangeQ("hour", testNow.AddDate(0, 0, -376), testNow.AddDate(0, 0, -370), "")), 400, "375 days"},
		{"too many minutes", svcPath(StaticServiceID, rangeQ("minute", testNow.Add(-7*24*time.Hour-time.Hour), testNow, "")), 400, "Exceedingly large"},
		{"unknown region", svcPath(ShopServiceID, "by=hour&region=mars"), 400, "Invalid region"},
		{"unknown datacenter", svcPath(ShopServiceID, "by=hour&datacenter=XXX"), 400, "invalid datacenter"},
		{"bad by", svcPath(ShopServiceID, "by=week"), 400, "by"},
		{"no seconds in history", svcPath(ShopServiceID, "by=second"), 400, "by"},
		{"from after to", svcPath(ShopServiceID, "from=now&to=1+day+ago"), 400, "before"},
		{"bad time", svcPath(ShopServiceID, "from=yesteryear"), 400, "from"},
		{"unknown field", "/stats/service/" + ShopServiceID + "/field/nope", 400, "Invalid field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := h.get(c.path)
			require.Equal(t, c.status, r.status, "%s", r.body)
			var body map[string]any
			decodeExact(t, r.body, &body)
			assert.Equal(t, "error", body["status"])
			assert.Contains(t, body["msg"], c.msg)
		})
	}
	// Exactly 7 days of minutes is fine.
	end := testNow.Add(-time.Hour).Truncate(time.Minute)
	r := h.get(svcPath(StaticServiceID, rangeQ("minute", end.Add(-7*24*time.Hour), end, "")))
	assert.Equal(t, http.StatusOK, r.status, "%.200s", r.body)
	// Unknown service: 404 JSON.
	r = h.get(svcPath("nosuchservice", "by=hour"))
	assert.Equal(t, http.StatusNotFound, r.status)
	var body map[string]any
	decodeExact(t, r.body, &body)
	assert.Equal(t, "Record not found", body["msg"])
}

func TestMinuteLatencyAndPartialNewestBuckets(t *testing.T) {
	h := newHarness(t, Config{})
	var got statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ShopServiceID, "by=minute&from=10+minutes+ago&to=now"), &got)
	require.NotEmpty(t, got.Data)
	newest := num(t, got.Data[len(got.Data)-1], "start_time")
	// At 15:30:20 the newest published minute is 15:27 (ended 15:28, over two minutes ago).
	assert.Equal(t, time.Date(2026, 11, 20, 15, 27, 0, 0, time.UTC).Unix(), newest)
	first := num(t, got.Data[0], "start_time")
	assert.Equal(t, time.Date(2026, 11, 20, 15, 21, 0, 0, time.UTC).Unix(), first, "from rounds up to a bucket start")

	// The current hour is served partially: exactly the minutes published so far.
	hour := testNow.Truncate(time.Hour)
	var hours, mins statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ShopServiceID, rangeQ("hour", hour, testNow, "")), &hours)
	h.getOK(svcPath(ShopServiceID, rangeQ("minute", hour, testNow, "")), &mins)
	require.Len(t, hours.Data, 1)
	assert.Len(t, mins.Data, 28)
	assert.Equal(t, sumRecords(t, hours.Data), sumRecords(t, mins.Data))

	// Moving the clock publishes the next minute.
	h.clock.Add(time.Minute)
	h.getOK(svcPath(ShopServiceID, "by=minute&from=10+minutes+ago&to=now"), &got)
	assert.Equal(t, newest+60, num(t, got.Data[len(got.Data)-1], "start_time"))
}

func TestRecordEqualsServed(t *testing.T) {
	h := newHarness(t, Config{})
	for _, by := range []string{"minute", "hour", "day"} {
		for _, region := range []string{"", "usa"} {
			from := testNow.AddDate(0, 0, -3)
			if by == "minute" {
				from = testNow.Add(-20 * time.Minute)
			}
			extra := ""
			if region != "" {
				extra = "region=" + region
			}
			r := h.get(svcPath(ShopServiceID, rangeQ(by, from, testNow, extra)))
			var env statsEnvelope[[]json.RawMessage]
			decodeExact(t, r.body, &env)
			require.NotEmpty(t, env.Data)
			for _, raw := range env.Data {
				var served map[string]any
				require.NoError(t, json.Unmarshal(raw, &served))
				start := time.Unix(int64(served["start_time"].(float64)), 0)
				rec, ok := h.sim.Record(ShopServiceID, by, start, region)
				require.True(t, ok)
				// Round-trip Record through JSON the same way to compare like with like.
				b, err := json.Marshal(rec)
				require.NoError(t, err)
				var viaRecord map[string]any
				require.NoError(t, json.Unmarshal(b, &viaRecord))
				assert.Equal(t, served, viaRecord, "%s %s %v", by, region, start)
			}
		}
	}
	rec, ok := h.sim.Record(ShopServiceID, "hour", testNow.Truncate(time.Hour).Add(-time.Hour), "")
	require.True(t, ok)
	assert.IsType(t, int64(0), rec["requests"])
	assert.IsType(t, float64(0), rec["hits_time"])
	_, ok = h.sim.Record(ShopServiceID, "minute", testNow.Truncate(time.Minute), "")
	assert.False(t, ok, "the current minute is not published yet")
	_, ok = h.sim.Record(IdleServiceID, "hour", testNow.Truncate(time.Hour).Add(-time.Hour), "")
	assert.False(t, ok)
}

func TestQuietAndIdleServices(t *testing.T) {
	h := newHarness(t, Config{})
	day := testNow.Truncate(24*time.Hour).AddDate(0, 0, -1)
	var got statsEnvelope[[]map[string]any]
	h.getOK(svcPath(StaticServiceID, rangeQ("hour", day, day.Add(24*time.Hour), "")), &got)
	var hours []int
	for _, rec := range got.Data {
		hours = append(hours, time.Unix(num(t, rec, "start_time"), 0).UTC().Hour())
	}
	assert.Equal(t, []int{6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}, hours, "night-time buckets are absent")

	var idle statsEnvelope[[]map[string]any]
	r := h.getOK(svcPath(IdleServiceID, "by=minute&from=1+hour+ago"), &idle)
	assert.Equal(t, []map[string]any{}, idle.Data)
	assert.Contains(t, string(r.body), `"data":[]`)

	var fx, idleMap statsEnvelope[map[string]any]
	fixture(t, "historical_stats_field_all_services_empty_map.json", &fx)
	h.getOK("/stats?by=minute&from=1+hour+ago&services="+IdleServiceID, &idleMap)
	assert.Equal(t, fx.Data, idleMap.Data, "an idle service is left out of the map")
}

func TestMapFormsAndAggregate(t *testing.T) {
	h := newHarness(t, Config{})
	hour := testNow.Truncate(time.Hour).Add(-time.Hour)
	q := rangeQ("hour", hour, hour.Add(time.Hour), "")
	var all statsEnvelope[map[string][]map[string]any]
	h.getOK("/stats?"+q, &all)
	ids := make([]string, 0)
	for id := range all.Data {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	want := []string{ShopServiceID, APIServiceID, StaticServiceID, ComputeServiceID, SparseServiceID}
	slices.Sort(want)
	assert.Equal(t, want, ids, "only services with traffic appear")
	var total int64
	for id, recs := range all.Data {
		require.Len(t, recs, 1)
		assert.Equal(t, id, recs[0]["service_id"])
		rec, ok := h.sim.Record(id, "hour", hour, "")
		require.True(t, ok)
		assert.Equal(t, rec["requests"], num(t, recs[0], "requests"))
		total += num(t, recs[0], "requests")
	}
	var agg statsEnvelope[[]map[string]any]
	h.getOK("/stats/aggregate?"+q, &agg)
	require.Len(t, agg.Data, 1)
	assert.Equal(t, total, num(t, agg.Data[0], "requests"))
	checkIdentities(t, agg.Data[0])

	var field statsEnvelope[map[string][]map[string]any]
	h.getOK("/stats/field/requests?"+q, &field)
	assert.Len(t, field.Data, len(want))
	assert.Equal(t, []string{"requests", "service_id", "start_time"}, keysOf(field.Data[ShopServiceID][0]))

	var one statsEnvelope[map[string][]map[string]any]
	h.getOK("/stats?"+q+"&services="+APIServiceID, &one)
	assert.Len(t, one.Data, 1)
}

func TestFieldEndpointMatchesFixture(t *testing.T) {
	h := newHarness(t, Config{})
	var fx, got statsEnvelope[[]map[string]any]
	fixture(t, "historical_stats_service_field_bandwidth_by_day.json", &fx)
	h.getOK("/stats/service/"+ShopServiceID+"/field/bandwidth?by=day&from=10+days+ago&to=now&region=usa", &got)
	require.Len(t, got.Data, 10, "10 days ago at 15:30 -> 9 whole days and today's partial day")
	for _, rec := range got.Data {
		assert.Equal(t, keysOf(fx.Data[0]), keysOf(rec))
		d, ok := h.sim.Record(ShopServiceID, "day", time.Unix(num(t, rec, "start_time"), 0), "usa")
		require.True(t, ok)
		assert.Equal(t, d["bandwidth"], num(t, rec, "bandwidth"))
	}
}

func TestPhraseAndUnixTimesAgree(t *testing.T) {
	h := newHarness(t, Config{})
	a := h.get(svcPath(APIServiceID, "by=minute&from=2+hours+ago&to=now"))
	b := h.get(svcPath(APIServiceID, rangeQ("minute", testNow.Add(-2*time.Hour), testNow, "")))
	if string(a.body) != string(b.body) {
		t.Errorf("phrase and unix answers differ: %.300s vs %.300s", a.body[len(a.body)-300:], b.body[len(b.body)-300:])
	}
	assert.True(t, strings.HasPrefix(string(a.body), `{"data":[{`))
}
