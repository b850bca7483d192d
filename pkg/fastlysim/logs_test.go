package fastlysim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The shapes checked here are the reference's (docs/fastly-api.md, "Log Insights"): no
// recorded answer of these endpoints exists yet, so its field names and the reported quirks are
// the contract.

var logHour = [2]time.Time{testNow.Truncate(time.Hour).Add(-2 * time.Hour), testNow.Truncate(time.Hour).Add(-time.Hour)}

func obsPath(endpoint string, v url.Values) string {
	return "/observability/" + endpoint + "?" + v.Encode()
}

func insightsQuery(vis, service string, limit int) url.Values {
	return url.Values{"visualization": {vis}, "service_id": {service}, "start": {logHour[0].Format(time.RFC3339)},
		"end": {logHour[1].Format(time.RFC3339)}, "limit": {fmt.Sprint(limit)}}
}

type insightsAnswer struct {
	Data []struct {
		Dimensions          map[string]any   `json:"dimensions"`
		DimensionAttributes map[string]any   `json:"dimension_attributes"`
		Values              []map[string]any `json:"values"`
	} `json:"data"`
	Meta map[string]any `json:"meta"`
}

func TestSampledRecordsAreTheServicesRequestsDividedByTheRate(t *testing.T) {
	h := newHarness(t, Config{})
	sv := h.sim.byID[ShopServiceID]
	dataEnd := minuteDataEnd(testNow.Unix())
	var low, high int64
	for _, pop := range sv.prof.pops {
		hour := logHour[0].Unix()
		for _, mv := range sv.minutes(pop, hour, sv.hourAtom(pop, hour)) {
			for ci := 0; ci < nCells; ci++ {
				low += mv[ci] / LogSampleRate
				high += (mv[ci] + LogSampleRate - 1) / LogSampleRate
			}
		}
	}
	recs := sv.logRecords(sv.prof.pops, logHour[0].UnixMilli(), logHour[1].UnixMilli(), dataEnd)
	n := int64(len(recs))
	assert.True(t, low <= n && n <= high, "%d records, expected between %d and %d", n, low, high)
	assert.Greater(t, n, int64(1000), "a busy hour of the shop samples thousands of requests")

	// The same requests as /stats reports, divided by the rate.
	var stats statsEnvelope[[]map[string]any]
	h.getOK(fmt.Sprintf("/stats/service/%s/field/requests?by=hour&from=%d&to=%d", ShopServiceID, logHour[0].Unix(), logHour[1].Unix()), &stats)
	require.Len(t, stats.Data, 1)
	requests := num(t, stats.Data[0], "requests")
	assert.InDelta(t, float64(requests)/LogSampleRate, float64(n), float64(high-low))

	// Insights count exactly those records: every URL's share adds back up to all of them.
	// request_percentage and rate are both percentages, as Fastly's reference defines them.
	var ans insightsAnswer
	h.getOK(obsPath("log-insights", insightsQuery("top-url-by-requests", ShopServiceID, 100)), &ans)
	var pct, rate float64
	for _, row := range ans.Data {
		pct += flt(t, row.Values[0], "request_percentage")
		rate += flt(t, row.Values[0], "rate")
	}
	assert.InDelta(t, 100, pct, 0.01)
	assert.InDelta(t, 100, rate, 0.01)
}

func TestLogInsightsShapes(t *testing.T) {
	h := newHarness(t, Config{})
	for vis, dim := range map[string]string{
		"top-url-by-requests": "url", "top-url-by-bandwidth": "url", "top-url-by-misses": "url",
		"top-url-by-cache-hit-ratio": "url", "bottom-url-by-cache-hit-ratio": "url", "top-url-by-duration-sum": "url",
		"top-4xx-urls": "url", "top-5xx-urls": "url", "top-503-responses": "response", "response-status-codes": "status_code",
		"country-statistics": "country", "top-browser-by-requests": "browser", "top-device-by-requests": "device",
		"top-os-by-requests": "os", "top-content-type-by-requests": "content_type",
	} {
		var ans insightsAnswer
		h.getOK(obsPath("log-insights", insightsQuery(vis, ShopServiceID, 5)), &ans)
		require.NotEmpty(t, ans.Data, vis)
		assert.Equal(t, []string{dim}, keysOf(ans.Data[0].Dimensions), vis)
		switch vis {
		case "top-4xx-urls", "top-5xx-urls", "top-503-responses":
			assert.Nil(t, ans.Data[0].Values, "%s carries no values, as reported", vis)
		case "response-status-codes":
			assert.Equal(t, []string{"rate"}, keysOf(ans.Data[0].DimensionAttributes), "the code's share of requests")
			require.NotEmpty(t, ans.Data[0].Values)
			assert.Equal(t, []string{"rate_per_status", "url"}, keysOf(ans.Data[0].Values[0]), "values are a breakdown by URL")
			var share float64
			for _, row := range ans.Data {
				share += flt(t, row.DimensionAttributes, "rate")
			}
			assert.InDelta(t, 100, share, 0.01, "every code's share of the requests")
		case "country-statistics":
			assert.Equal(t, []string{"country_chr", "country_error_rate", "country_request_rate", "rate"}, keysOf(ans.Data[0].DimensionAttributes))
			assert.Equal(t, []string{"rate", "region", "region_chr", "region_error_rate"}, keysOf(ans.Data[0].Values[0]))
		default:
			require.Len(t, ans.Data[0].Values, 1, vis)
			assert.NotContains(t, ans.Data[0].Values[0], "url", vis)
		}
		if vis == "country-statistics" || vis == "response-status-codes" {
			assert.Greater(t, len(ans.Data), 5, "%s ignores limit", vis)
		} else {
			assert.LessOrEqual(t, len(ans.Data), 5, vis)
		}
	}
	var ans insightsAnswer
	h.getOK(obsPath("log-insights", insightsQuery("top-url-by-duration-sum", ShopServiceID, 3)), &ans)
	assert.Equal(t, []string{"average_response_time", "p95_response_time", "response_time_percentage"}, keysOf(ans.Data[0].Values[0]))
	ans = insightsAnswer{}
	h.getOK(obsPath("log-insights", insightsQuery("bottom-url-by-cache-hit-ratio", ShopServiceID, 100)), &ans)
	first, last := flt(t, ans.Data[0].Values[0], "cache_hit_ratio"), flt(t, ans.Data[len(ans.Data)-1].Values[0], "cache_hit_ratio")
	assert.LessOrEqual(t, first, last, "bottom ranking: worst hit ratio first")
	assert.LessOrEqual(t, last, 1.0, "ratios are fractions by default")

	for _, vis := range []string{"top-url-by-duration", "top-pages"} {
		assert.Equal(t, http.StatusBadRequest, h.get(obsPath("log-insights", insightsQuery(vis, ShopServiceID, 3))).status, "%s is not in the reference", vis)
	}
	h.sim.SetLogBehaviour(LogBehaviour{DurationSumFails: true})
	r := h.get(obsPath("log-insights", insightsQuery("top-url-by-duration-sum", ShopServiceID, 3)))
	assert.Equal(t, http.StatusInternalServerError, r.status, "the reference's duration-sum ranking as it was seen to fail")
}

func TestLogInsightsSwitches(t *testing.T) {
	h := newHarness(t, Config{})
	h.sim.SetLogBehaviour(LogBehaviour{StatusDashed: true, HonourLimit: true, ErrorRankingValues: true, RatiosAsPercent: true})
	var ans insightsAnswer
	h.getOK(obsPath("log-insights", insightsQuery("response-status-codes", ShopServiceID, 3)), &ans)
	assert.Len(t, ans.Data, 3, "limit honoured")
	assert.Equal(t, []string{"status-code"}, keysOf(ans.Data[0].Dimensions))
	ans = insightsAnswer{}
	h.getOK(obsPath("log-insights", insightsQuery("top-5xx-urls", ShopServiceID, 3)), &ans)
	assert.Equal(t, []string{"rate", "request_percentage"}, keysOf(ans.Data[0].Values[0]))
	ans = insightsAnswer{}
	h.getOK(obsPath("log-insights", insightsQuery("top-503-responses", ShopServiceID, 3)), &ans)
	assert.Equal(t, []string{"_503_rate_per_url", "rate_per_url", "url"}, keysOf(ans.Data[0].Values[0]), "a 503 reason's values: per URL")
	ans = insightsAnswer{}
	h.getOK(obsPath("log-insights", insightsQuery("top-url-by-cache-hit-ratio", ShopServiceID, 3)), &ans)
	assert.Greater(t, flt(t, ans.Data[0].Values[0], "cache_hit_ratio"), 1.0, "ratios in percent")
}

func TestLogDataIsNullWithoutTheProductOrBeyondSevenDays(t *testing.T) {
	h := newHarness(t, Config{})
	var raw map[string]json.RawMessage
	h.getOK(obsPath("log-insights", insightsQuery("top-url-by-requests", ComputeServiceID, 5)), &raw)
	assert.Equal(t, "null", string(raw["data"]))
	old := insightsQuery("top-url-by-requests", ShopServiceID, 5)
	old.Set("start", testNow.Add(-8*24*time.Hour).Format(time.RFC3339))
	h.getOK(obsPath("log-insights", old), &raw)
	assert.Equal(t, "null", string(raw["data"]))
	h.getOK(obsPath("log-explorer", url.Values{"service_id": {IdleServiceID}, "start": old["start"], "end": old["end"]}), &raw)
	assert.Equal(t, "null", string(raw["data"]))

	r := h.get("/enabled-products/v1/log_explorer_insights/services/" + ShopServiceID)
	assert.Equal(t, http.StatusOK, r.status)
	r = h.get("/enabled-products/v1/log_explorer_insights/services/" + ComputeServiceID)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), "no product on service")
}

type explorerAnswer struct {
	Data []map[string]any `json:"data"`
	Meta struct {
		NextCursor string `json:"next_cursor"`
		Filters    struct {
			NextCursor   string           `json:"next_cursor"`
			Limit        json.Number      `json:"limit"`
			FieldFilters []map[string]any `json:"field_filters"`
		} `json:"filters"`
	} `json:"meta"`
}

func TestLogExplorerPagesNewestFirstAndFilters(t *testing.T) {
	h := newHarness(t, Config{})
	v := url.Values{"service_id": {APIServiceID}, "start": {logHour[0].Format(time.RFC3339)},
		"end": {logHour[0].Add(10 * time.Minute).Format(time.RFC3339)}, "filter[response_status][gte]": {"400"}}
	v.Set("limit", "1000")
	var all explorerAnswer
	h.getOK(obsPath("log-explorer", v), &all)
	require.Greater(t, len(all.Data), 10)
	assert.Len(t, all.Data[0], 28, "the reference's record fields")
	for _, rec := range all.Data {
		assert.GreaterOrEqual(t, num(t, rec, "response_status"), int64(400))
	}
	var paged []map[string]any
	v.Set("limit", "7")
	for i := 0; ; i++ {
		require.Less(t, i, 1000)
		var page explorerAnswer
		h.getOK(obsPath("log-explorer", v), &page)
		paged = append(paged, page.Data...)
		assert.Empty(t, page.Meta.NextCursor, "the cursor sits in meta.filters")
		if page.Meta.Filters.NextCursor == "" {
			break
		}
		v.Set("next_cursor", page.Meta.Filters.NextCursor)
	}
	assert.Equal(t, all.Data, paged, "the pages together are the whole answer")
	prev := ""
	for _, rec := range paged {
		ts := rec["timestamp"].(string)
		assert.True(t, prev == "" || ts <= prev, "newest first")
		prev = ts
	}

	h.sim.SetLogBehaviour(LogBehaviour{CursorAtMetaRoot: true, UnixMillisTimestamps: true, MaxPageLimit: 5})
	v.Del("next_cursor")
	assert.Equal(t, http.StatusBadRequest, h.get(obsPath("log-explorer", v)).status, "a page above the maximum is refused")
	v.Set("limit", "5")
	var page explorerAnswer
	h.getOK(obsPath("log-explorer", v), &page)
	assert.NotEmpty(t, page.Meta.NextCursor)
	assert.IsType(t, json.Number(""), page.Data[0]["timestamp"])

	v.Set("filter[fastly_is_cache_hit]", "true")
	r := h.get(obsPath("log-explorer", v))
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), "fastly_is_cache_hit")
}

func TestLogTimeseriesCountsTheSameRecords(t *testing.T) {
	h := newHarness(t, Config{})
	from, to := logHour[0], logHour[0].Add(15*time.Minute)
	v := url.Values{"source": {"logs"}, "from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)},
		"granularity": {"minute"}, "series": {"avg[response_time],p99[response_time]"}, "dimensions": {"service_id,request_path"},
		"filter[service_id]": {ShopServiceID}, "filter[is_cache_hit]": {"false"}}
	type answer struct {
		Data []struct {
			Dimensions map[string]any `json:"dimensions"`
			Values     map[string]any `json:"values"`
		} `json:"data"`
		Meta map[string]any `json:"meta"`
	}
	var ans answer
	h.getOK(obsPath("timeseries", v), &ans)
	assert.Equal(t, map[string]any{"from": v.Get("from"), "to": v.Get("to"), "granularity": "minute"}, ans.Meta, "meta echoes the query")
	sv := h.sim.byID[ShopServiceID]
	paths := map[string]bool{}
	for _, r := range sv.logRecords(sv.prof.pops, from.UnixMilli(), to.UnixMilli(), minuteDataEnd(testNow.Unix())) {
		if r.outcome != oHit {
			paths[r.path] = true
		}
	}
	got := map[string]bool{}
	for _, row := range ans.Data {
		assert.Equal(t, []string{"request_path", "service_id", "time"}, keysOf(row.Dimensions))
		assert.Equal(t, ShopServiceID, row.Dimensions["service_id"], "the filter on service_id scopes the rows")
		assert.True(t, strings.HasSuffix(row.Dimensions["time"].(string), ":00Z"))
		assert.Equal(t, []string{"avg[response_time]", "p99[response_time]"}, keysOf(row.Values))
		got[row.Dimensions["request_path"].(string)] = true
	}
	assert.Equal(t, paths, got, "the paths of the service's records that missed the cache")

	// Ignoring the filter (or leaving it out), the rows count the account's services.
	h.sim.SetLogBehaviour(LogBehaviour{TimeseriesIgnoresServiceFilter: true})
	h.getOK(obsPath("timeseries", v), &ans)
	services := map[any]bool{}
	for _, row := range ans.Data {
		services[row.Dimensions["service_id"]] = true
	}
	assert.True(t, services[ShopServiceID] && services[APIServiceID], "the account's services with the product: %v", services)
	h.sim.SetLogBehaviour(LogBehaviour{})

	for name, change := range map[string]func(url.Values){
		"service_id is not a parameter of the reference":  func(q url.Values) { q.Set("service_id", ShopServiceID) },
		"the older start of timeseries for logs":          func(q url.Values) { q.Set("start", q.Get("from")) },
		"count is no series function the reference shows": func(q url.Values) { q.Set("series", "count") },
		"more than 300 second-buckets fail":               func(q url.Values) { q.Set("granularity", "second") },
		"an unknown function":                             func(q url.Values) { q.Set("series", "median[response_time]") },
	} {
		q := url.Values{}
		for k, vs := range v {
			q[k] = vs
		}
		change(q)
		assert.Equal(t, http.StatusBadRequest, h.get(obsPath("timeseries", q)).status, name)
	}
	h.sim.SetStrictParams(false)
	v.Set("series", "count")
	h.getOK(obsPath("timeseries", v), &ans)
	require.NotEmpty(t, ans.Data, "lenient, the simulator computes count too")
}

// TestLogFilterSpellings: the boolean filters are is_* (the log fields of Fastly's reference)
// or, switched, fastly_is_* (go-fastly and Fastly's engineers' notes); the other is refused.
func TestLogFilterSpellings(t *testing.T) {
	h := newHarness(t, Config{})
	q := func(field string) string {
		return obsPath("log-explorer", url.Values{"service_id": {ShopServiceID}, "start": {logHour[0].Format(time.RFC3339)},
			"end": {logHour[1].Format(time.RFC3339)}, "limit": {"5"}, "filter[" + field + "]": {"true"}})
	}
	assert.Equal(t, http.StatusOK, h.get(q("is_cache_hit")).status)
	assert.Equal(t, http.StatusBadRequest, h.get(q("fastly_is_cache_hit")).status)
	h.sim.SetLogBehaviour(LogBehaviour{FastlyIsFilters: true})
	assert.Equal(t, http.StatusBadRequest, h.get(q("is_cache_hit")).status)
	var ans struct {
		Data []map[string]any `json:"data"`
	}
	h.getOK(q("fastly_is_cache_hit"), &ans)
	require.NotEmpty(t, ans.Data)
	for _, rec := range ans.Data {
		assert.Equal(t, true, rec["is_cache_hit"], "the filter applies")
	}
}
