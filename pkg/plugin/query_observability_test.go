package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
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

var logFrom, logTo = simNow.Add(-40 * time.Minute), simNow.Add(-10 * time.Minute)

func TestQueryInsightsTopURLsAgainstTheSimulator(t *testing.T) {
	env := newEnv(t, simToken)
	r := env.query(t, logFrom, logTo, map[string]any{"queryType": "insights", "services": []string{fastlysim.ShopServiceID}, "limit": 100})
	if !assert.NoError(t, r.Responses["A"].Error) {
		return
	}
	f := r.Responses["A"].Frames[0]
	assert.Equal(t, "url", f.Fields[0].Name)
	assert.Greater(t, f.Rows(), 10)
	var share float64
	for i := 0; i < f.Rows(); i++ {
		share += *f.Fields[1].At(i).(*float64)
	}
	assert.InDelta(t, 100, share, 0.05, "every URL's share of the sampled requests adds up to all of them")

	var asked url.Values
	for _, req := range env.sim.Requests() {
		if req.Path == "/observability/log-insights" {
			asked, _ = url.ParseQuery(req.RawQuery)
		}
	}
	assert.Equal(t, "top-url-by-requests", asked.Get("visualization"))
	assert.Equal(t, logFrom.Format(time.RFC3339), asked.Get("start"))

	r = env.query(t, logFrom, logTo, map[string]any{"queryType": "insights", "services": []string{fastlysim.ShopServiceID},
		"insight": "response-status-codes", "limit": 3, "pops": []string{"LHR"}})
	require.NoError(t, r.Responses["A"].Error)
	f = r.Responses["A"].Frames[0]
	assert.Equal(t, 3, f.Rows(), "the ranking that ignores limit is cut to it")
	assert.Contains(t, f.Meta.Notices[0].Text, "showing the first 3")
}

func TestQueryInsightsErrorsAndNotices(t *testing.T) {
	env := newEnv(t, simToken)
	r := env.query(t, logFrom, logTo, map[string]any{"queryType": "insights", "services": []string{fastlysim.ShopServiceID}, "insight": "top-pages"})
	require.Error(t, r.Responses["A"].Error)
	assert.Equal(t, backend.StatusBadRequest, r.Responses["A"].Status)
	assert.Contains(t, r.Responses["A"].Error.Error(), "use one of top-url-by-requests")

	r = env.query(t, logFrom, logTo, map[string]any{"queryType": "insights", "services": []string{fastlysim.ComputeServiceID}})
	require.Error(t, r.Responses["A"].Error)
	assert.Contains(t, r.Responses["A"].Error.Error(), "Log Explorer & Insights is not enabled on Fastly service "+fastlysim.ComputeServiceID)

	env.sim.ResetRequests()
	old := simNow.Add(-9 * 24 * time.Hour)
	r = env.query(t, old, old.Add(time.Hour), map[string]any{"queryType": "logs", "services": []string{fastlysim.ShopServiceID}})
	require.NoError(t, r.Responses["A"].Error)
	f := r.Responses["A"].Frames[0]
	assert.Equal(t, data.FrameTypeLogLines, f.Meta.Type)
	require.Len(t, f.Meta.Notices, 1)
	assert.Equal(t, data.NoticeSeverityWarning, f.Meta.Notices[0].Severity)
	assert.Contains(t, f.Meta.Notices[0].Text, "about 7 days")
	assert.Empty(t, env.sim.Requests(), "no call for a range Fastly no longer holds")

	// the quiet static service: a week of the shop's samples is slow to simulate under -race
	r = env.query(t, simNow.Add(-8*24*time.Hour), logTo, map[string]any{"queryType": "insights", "services": []string{fastlysim.StaticServiceID}})
	require.NoError(t, r.Responses["A"].Error)
	assert.Contains(t, r.Responses["A"].Frames[0].Meta.Notices[0].Text, "showing from 2026-11-13 12:")
}

func TestQueryLogDataNullIsANoticeNotAnEmptySuccess(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/enabled-products/") {
			fmt.Fprint(w, `{"product":{"id":"log_explorer_insights"}}`)
			return
		}
		fmt.Fprint(w, `{"data":null,"meta":{}}`)
	}))
	t.Cleanup(srv.Close)
	env := &testEnv{url: srv.URL, ds: newTestDatasource(t, srv.URL, simToken)}
	for _, qt := range []string{"insights", "logs", "logseries"} {
		r := env.query(t, logFrom, logTo, map[string]any{"queryType": qt, "services": []string{"svcNull"}})
		require.NoError(t, r.Responses["A"].Error, qt)
		f := r.Responses["A"].Frames[0]
		assert.Equal(t, 0, f.Rows(), qt)
		require.Len(t, f.Meta.Notices, 1, qt)
		assert.Equal(t, data.NoticeSeverityWarning, f.Meta.Notices[0].Severity, qt)
		assert.Contains(t, f.Meta.Notices[0].Text, `"data": null`, qt)
	}
}

func TestQueryLogsPagesAndFilters(t *testing.T) {
	env := newEnv(t, simToken)
	r := env.query(t, logFrom, logTo, map[string]any{"queryType": "logs", "services": []string{fastlysim.ShopServiceID}, "limit": 250,
		"filters": []map[string]string{{"field": "is_cache_hit", "op": "eq", "value": "true"}}})
	require.NoError(t, r.Responses["A"].Error)
	f := r.Responses["A"].Frames[0]
	assert.Equal(t, data.FrameTypeLogLines, f.Meta.Type)
	require.Equal(t, 250, f.Rows())
	pages := 0
	for _, req := range env.sim.Requests() {
		if req.Path == "/observability/log-explorer" {
			pages++
			assert.Contains(t, req.RawQuery, url.Values{"filter[is_cache_hit]": {"true"}}.Encode())
		}
	}
	assert.Equal(t, 3, pages, "100 + 100 + 50 lines")
	for i := 1; i < f.Rows(); i++ {
		assert.False(t, f.Fields[0].At(i).(time.Time).After(f.Fields[0].At(i-1).(time.Time)), "newest first")
	}
	var labels map[string]string
	require.NoError(t, json.Unmarshal(f.Fields[4].At(0).(json.RawMessage), &labels))
	for _, k := range []string{"pop", "status", "country", "device"} {
		assert.NotEmpty(t, labels[k], k)
	}
	assert.Equal(t, "HIT", labels["cache_state"])
	assert.Contains(t, f.Meta.Notices[0].Text, "newest 250")

	r = env.query(t, logFrom, logTo, map[string]any{"queryType": "logs", "services": []string{fastlysim.ShopServiceID}, "limit": 1000,
		"filters": []map[string]string{{"field": "response_status", "op": "gte", "value": "400"}}})
	require.NoError(t, r.Responses["A"].Error)
	f = r.Responses["A"].Frames[0]
	require.Positive(t, f.Rows())
	assert.Less(t, f.Rows(), 1000, "every 4xx and 5xx of the range, fewer than the limit")
	assert.Empty(t, f.Meta.Notices, "nothing left out")
	for i := 0; i < f.Rows(); i++ {
		assert.Contains(t, []string{"warning", "error"}, f.Fields[2].At(i), "every line is a 4xx or 5xx")
	}

}

// TestLogFiltersInEitherSpelling: the boolean filters are taken as the user writes them
// (is_cache_hit or fastly_is_cache_hit) and sent as Fastly takes them, whichever of its sources
// is right: under either, the same lines come back, and after one refusal the data source
// sends the spelling that works.
func TestLogFiltersInEitherSpelling(t *testing.T) {
	for _, fastlyIs := range []bool{false, true} {
		env := newEnv(t, simToken)
		env.sim.SetLogBehaviour(fastlysim.LogBehaviour{FastlyIsFilters: fastlyIs})
		var rows []int
		for _, field := range []string{"is_cache_hit", "fastly_is_cache_hit", "is_cache_hit"} {
			r := env.query(t, logFrom, logTo, map[string]any{"queryType": "logs", "services": []string{fastlysim.ShopServiceID}, "limit": 50,
				"filters": []map[string]string{{"field": field, "op": "eq", "value": "true"}}}).Responses["A"]
			require.NoError(t, r.Error, "%s, Fastly taking fastly_is_*: %v", field, fastlyIs)
			f := r.Frames[0]
			for i := 0; i < f.Rows(); i++ {
				var labels map[string]string
				require.NoError(t, json.Unmarshal(f.Fields[4].At(i).(json.RawMessage), &labels))
				assert.Equal(t, "HIT", labels["cache_state"])
			}
			rows = append(rows, f.Rows())
		}
		assert.Equal(t, []int{50, 50, 50}, rows)
		refused := 0
		for _, req := range env.sim.Requests() {
			if strings.Contains(req.RawQuery, "is_cache_hit") && strings.Contains(req.RawQuery, "filter%5Bis_cache_hit") == fastlyIs {
				refused++
			}
		}
		assert.Equal(t, map[bool]int{false: 0, true: 1}[fastlyIs], refused, "the spelling Fastly refused was sent once")
	}
}

// TestQueryLogSeriesAreTheServicesOwn: a log series is the average response time of the
// service's own sampled records per URL and minute, as the records themselves give it, whether
// Fastly applies the service filter or answers for the whole account.
func TestQueryLogSeriesAreTheServicesOwn(t *testing.T) {
	from, to := simNow.Add(-20*time.Minute), simNow.Add(-10*time.Minute)
	want := recordAverages(t, newEnv(t, simToken), fastlysim.ShopServiceID, from, to)
	for _, ignored := range []bool{false, true} {
		env := newEnv(t, simToken)
		env.sim.SetLogBehaviour(fastlysim.LogBehaviour{TimeseriesIgnoresServiceFilter: ignored})
		r := env.query(t, from, to,
			map[string]any{"queryType": "logseries", "services": []string{fastlysim.ShopServiceID}, "dimension": "request_path", "limit": 100},
			map[string]any{"queryType": "logseries", "services": []string{fastlysim.ShopServiceID}, "dimension": "request_path"},
		)
		require.NoError(t, r.Responses["A"].Error)
		got := map[string]float64{}
		for _, f := range r.Responses["A"].Frames {
			assert.Equal(t, data.FrameTypeTimeSeriesMulti, f.Meta.Type)
			assert.Equal(t, 10, f.Rows(), "one bucket per minute")
			assert.Equal(t, "s", f.Fields[1].Config.Unit)
			path := f.Fields[1].Labels["request_path"]
			for i, v := range seriesValues(f) {
				if v != nil {
					got[path+" "+f.Fields[0].At(i).(time.Time).Format(time.RFC3339)] = *v
				}
			}
		}
		require.Equal(t, len(want), len(got), "ignored filter: %v", ignored)
		for k, v := range want {
			assert.InDelta(t, v, got[k], 1e-6, k)
		}
		notices := r.Responses["A"].Frames[0].Meta.Notices
		assert.Equal(t, ignored, slices.ContainsFunc(notices, func(n data.Notice) bool {
			return strings.Contains(n.Text, "Fastly did not apply the service filter")
		}), "%v", notices)
		assert.Len(t, r.Responses["B"].Frames, 10, "the top 10 URLs by default")
		for _, req := range env.sim.Requests() {
			if req.Path == "/observability/timeseries" {
				assert.Contains(t, req.RawQuery, "filter%5Bservice_id%5D="+fastlysim.ShopServiceID)
				assert.NotContains(t, req.RawQuery, "&service_id=")
				assert.Contains(t, req.RawQuery, "series=avg%5Bresponse_time%5D")
			}
		}
	}
}

// recordAverages is the mean response time per URL and minute of a service's sampled records,
// read from the simulator's Log Explorer: what the log series must show.
func recordAverages(t *testing.T, e *testEnv, service string, from, to time.Time) map[string]float64 {
	t.Helper()
	sums, counts := map[string]float64{}, map[string]float64{}
	cursor := ""
	for page := 0; page < 100; page++ {
		u := fmt.Sprintf("%s/observability/log-explorer?service_id=%s&start=%s&end=%s&limit=1000&next_cursor=%s", e.url, service,
			from.Format(time.RFC3339), to.Format(time.RFC3339), cursor)
		req, err := http.NewRequest(http.MethodGet, u, nil)
		require.NoError(t, err)
		req.Header.Set("Fastly-Key", simToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body struct {
			Data []struct {
				Timestamp    string  `json:"timestamp"`
				RequestPath  string  `json:"request_path"`
				ResponseTime float64 `json:"response_time"`
			} `json:"data"`
			Meta struct {
				Filters struct {
					NextCursor string `json:"next_cursor"`
				} `json:"filters"`
			} `json:"meta"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		require.NoError(t, resp.Body.Close())
		for _, rec := range body.Data {
			at, err := time.Parse(time.RFC3339Nano, rec.Timestamp)
			require.NoError(t, err)
			k := rec.RequestPath + " " + at.Truncate(time.Minute).Format(time.RFC3339)
			sums[k] += rec.ResponseTime
			counts[k]++
		}
		if cursor = body.Meta.Filters.NextCursor; cursor == "" {
			break
		}
	}
	out := map[string]float64{}
	for k, s := range sums {
		out[k] = s / counts[k]
	}
	require.NotEmpty(t, out)
	return out
}

func TestLogGranularity(t *testing.T) {
	assert.Equal(t, "second", logGranularity(5*time.Minute, 1000))
	assert.Equal(t, "minute", logGranularity(6*time.Minute, 1000))
	assert.Equal(t, "minute", logGranularity(24*time.Hour, 1500))
	assert.Equal(t, "hour", logGranularity(24*time.Hour, 1000))
	assert.Equal(t, "hour", logGranularity(7*24*time.Hour, 0))
}

// TestSampledLogQueriesUnderEveryPlausibleBehaviour runs the same queries with the simulator's
// undocumented behaviours as reported and all flipped: the plugin must show the same thing.
func TestSampledLogQueriesUnderEveryPlausibleBehaviour(t *testing.T) {
	env := newEnv(t, simToken)
	shop := []string{fastlysim.ShopServiceID}
	run := func() (codes []string, hitUnit string, hitRatio float64, lines []time.Time) {
		r := env.query(t, logFrom, logTo,
			map[string]any{"queryType": "insights", "services": shop, "insight": "response-status-codes", "limit": 5},
			map[string]any{"queryType": "insights", "services": shop, "insight": "bottom-url-by-cache-hit-ratio", "limit": 3},
			map[string]any{"queryType": "logs", "services": shop, "limit": 120,
				"filters": []map[string]string{{"field": "is_cache_hit", "op": "eq", "value": "false"}}},
		)
		for _, ref := range []string{"A", "B", "C"} {
			require.NoError(t, r.Responses[ref].Error, ref)
		}
		status := r.Responses["A"].Frames[0]
		require.Equal(t, "status_code", status.Fields[0].Name)
		for i := 0; i < status.Rows(); i++ {
			codes = append(codes, status.Fields[0].At(i).(string))
		}
		hit := r.Responses["B"].Frames[0].Fields[1]
		logs := r.Responses["C"].Frames[0]
		for i := 0; i < logs.Rows(); i++ {
			lines = append(lines, logs.Fields[0].At(i).(time.Time))
		}
		return codes, hit.Config.Unit, *hit.At(0).(*float64), lines
	}
	codes, unit, ratio, lines := run()
	assert.Len(t, codes, 5)
	assert.Equal(t, "percentunit", unit)
	assert.Len(t, lines, 120)

	env.sim.SetLogBehaviour(fastlysim.LogBehaviour{StatusDashed: true, HonourLimit: true, ErrorRankingValues: true,
		RatiosAsPercent: true, UnixMillisTimestamps: true, CursorAtMetaRoot: true, MaxPageLimit: 50})
	codes2, unit2, ratio2, lines2 := run()
	assert.Equal(t, codes, codes2, "status-code reads as status_code")
	assert.Equal(t, "percent", unit2, "a ratio sent in percent is shown in percent")
	assert.InDelta(t, ratio*100, ratio2, 1e-3)
	assert.Equal(t, lines, lines2, "Unix-ms timestamps, a cursor at meta.next_cursor and a 50-line page give the same lines")
	var sizes []string
	for _, req := range env.sim.Requests() {
		if q, _ := url.ParseQuery(req.RawQuery); req.Path == "/observability/log-explorer" {
			sizes = append(sizes, q.Get("limit"))
		}
	}
	assert.Contains(t, sizes, "20", "a refused page of 100 falls back to Fastly's default of 20: %v", sizes)
}
