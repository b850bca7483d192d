package fastly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bodies below follow the reference's shapes (docs/fastly-api.md, "Log Insights"; no
// recorded Fastly answer exists for these endpoints yet): rows of {dimensions, dimension_attributes, values[]}, records newest first
// with the cursor in meta.filters.next_cursor, and "data": null for no product or old ranges.

var obsStart = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func serveBody(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, body) }
}

func TestLogInsightsReadsRowsInFastlysOrderAndSendsTheFilters(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/observability/log-insights"] = serveBody(`{"data":[
		{"dimensions":{"url":"/products"},"dimension_attributes":{"rate":"12.5"},"values":[{"request_percentage":40.5,"rate":12.5}]},
		{"dimensions":{"url":"/"},"values":[{"request_percentage":20,"rate":6.2}]}],"meta":{}}`)
	res, err := c.LogInsights(context.Background(), InsightsQuery{
		Visualization: "top-url-by-requests", ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour),
		POPs: []string{"LHR", "FRA"}, Domain: "www.example.com", DomainExact: true, Limit: 10,
	})
	require.NoError(t, err)
	require.Len(t, res.Rows, 2)
	assert.False(t, res.Truncated)
	assert.Equal(t, []Entry{{Key: "url", Text: "/products"}}, res.Rows[0].Dimensions)
	assert.Equal(t, []Entry{{Key: "rate", Text: "12.5", Number: 12.5, Numeric: true}}, res.Rows[0].Attributes, "a number sent as a string still reads as a number")
	assert.Equal(t, []string{"request_percentage", "rate"}, []string{res.Rows[1].Values[0][0].Key, res.Rows[1].Values[0][1].Key}, "Fastly's key order is kept")
	q := rec.queries()[0]
	assert.Equal(t, "top-url-by-requests", q.Get("visualization"))
	assert.Equal(t, "2026-11-20T10:00:00Z", q.Get("start"))
	assert.Equal(t, "2026-11-20T11:00:00Z", q.Get("end"))
	assert.Equal(t, "LHR,FRA", q.Get("pops"))
	assert.Equal(t, "www.example.com", q.Get("domain"))
	assert.Equal(t, "true", q.Get("domain_exact_match"))
	assert.Equal(t, "10", q.Get("limit"))
}

func TestLogInsightsQuirks(t *testing.T) {
	rec, c := newFake(t)
	var rows []string
	for i := 0; i < 8; i++ {
		rows = append(rows, fmt.Sprintf(`{"dimensions":{"status-code":%d}}`, 200+i))
	}
	rec.handlers["/observability/log-insights"] = serveBody(`{"data":[` + strings.Join(rows, ",") + `]}`)
	res, err := c.LogInsights(context.Background(), InsightsQuery{Visualization: "response-status-codes", ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), Limit: 5})
	require.NoError(t, err)
	assert.Len(t, res.Rows, 5, "a ranking that ignores limit is cut to it")
	assert.True(t, res.Truncated)
	assert.Equal(t, "status_code", res.Rows[0].Dimensions[0].Key, "status-code reads as status_code")
	assert.Equal(t, "200", res.Rows[0].Dimensions[0].Text)
	assert.Empty(t, res.Rows[0].Values, "rows without values are rows, not errors")
}

func TestObservabilityDataNullIsItsOwnOutcome(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/observability/log-insights"] = serveBody(`{"data":null,"meta":{}}`)
	rec.handlers["/observability/log-explorer"] = serveBody(`{"meta":{"filters":{}}}`)
	rec.handlers["/observability/timeseries"] = serveBody(`{"data":null}`)
	ctx := context.Background()
	_, err := c.LogInsights(ctx, InsightsQuery{Visualization: "top-url-by-requests", ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), Limit: 10})
	assert.ErrorIs(t, err, ErrNoLogData)
	_, err = c.LogRecords(ctx, LogsQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), MaxLines: 10})
	assert.ErrorIs(t, err, ErrNoLogData, "an absent data reads like null")
	_, err = c.LogTimeseries(ctx, LogTimeseriesQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), Granularity: "minute", Series: []string{"avg[response_time]"}})
	assert.ErrorIs(t, err, ErrNoLogData)
	assert.Contains(t, ErrNoLogData.Error(), "7 days")
}

func TestObservabilityRejectsBadInputBeforeAnyCall(t *testing.T) {
	rec, c := newFake(t)
	ctx := context.Background()
	_, err := c.LogInsights(ctx, InsightsQuery{Visualization: "top-url-by-requests", ServiceID: "svc1", Limit: 101})
	assert.ErrorContains(t, err, "between 1 and 100")
	_, err = c.LogInsights(ctx, InsightsQuery{Visualization: "top urls&x=1", ServiceID: "svc1", Limit: 1})
	assert.ErrorContains(t, err, "not a Log Insights ranking name")
	_, err = c.LogRecords(ctx, LogsQuery{ServiceID: "svc1", MaxLines: MaxLogLines + 1})
	assert.ErrorContains(t, err, "between 1 and 5000")
	_, err = c.LogRecords(ctx, LogsQuery{ServiceID: "svc1", MaxLines: 5, Filters: []LogFilter{{Field: "fastly_is_hit", Op: "eq", Value: "true"}}})
	assert.ErrorContains(t, err, `cannot filter logs on "fastly_is_hit"`)
	_, err = c.LogTimeseries(ctx, LogTimeseriesQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), Granularity: "second", Series: []string{"avg[response_time]"}})
	assert.ErrorContains(t, err, "at most 300 seconds")
	assert.Empty(t, rec.asked())
}

func TestLogFilterValidation(t *testing.T) {
	for _, tc := range []struct {
		f    LogFilter
		want string
	}{
		{LogFilter{"response_status", "gte", "500"}, ""},
		{LogFilter{"request_path", "ends-with", ".jpg"}, ""},
		{LogFilter{"fastly_pop", "in", "LHR, FRA"}, ""},
		{LogFilter{"is_cache_hit", "eq", "false"}, ""},
		{LogFilter{"fastly_is_cache_hit", "eq", "false"}, ""},
		{LogFilter{"fastly_is_shield", "in", "true,false"}, ""},
		{LogFilter{"fastly_is_edge", "eq", "yes"}, "true or false"},
		{LogFilter{"fastly_pop_code", "eq", "LHR"}, `cannot filter logs on "fastly_pop_code"`},
		{LogFilter{"response_status", "like", "5"}, "unknown filter operator"},
		{LogFilter{"request_path", "gt", "/a"}, "gt compares numbers"},
		{LogFilter{"response_status", "ends-with", "3"}, "ends-with works on text"},
		{LogFilter{"response_status", "in", "500,abc"}, `takes numbers, not "abc"`},
		{LogFilter{"is_edge", "eq", "yes"}, "true or false"},
		{LogFilter{"request_path", "eq", "  "}, "has no value"},
		{LogFilter{"client_ip", "eq", "1.2.3.4"}, "cannot filter logs on \"client_ip\""},
	} {
		err := tc.f.Validate()
		if tc.want == "" {
			assert.NoError(t, err, tc.f)
		} else {
			assert.ErrorContains(t, err, tc.want, tc.f)
		}
	}
}

func TestLogRecordsFollowsTheCursorUpToTheLineBound(t *testing.T) {
	rec, c := newFake(t)
	page := 0
	rec.handlers["/observability/log-explorer"] = func(w http.ResponseWriter, r *http.Request) {
		page++
		var recs []string
		for i := 0; i < 3; i++ {
			ts := obsStart.Add(-time.Duration(page*10+i) * time.Second).Format(time.RFC3339)
			recs = append(recs, fmt.Sprintf(`{"timestamp":%q,"response_status":"200","fastly_pop":"LHR"}`, ts))
		}
		fmt.Fprintf(w, `{"data":[%s],"meta":{"filters":{"limit":3,"next_cursor":"c%d"}}}`, strings.Join(recs, ","), page)
	}
	res, err := c.LogRecords(context.Background(), LogsQuery{
		ServiceID: "svc1", Start: obsStart.Add(-time.Hour), End: obsStart, MaxLines: 7,
		Filters: []LogFilter{{"response_status", "gte", "500"}, {"fastly_pop", "eq", "LHR"}},
	})
	require.NoError(t, err)
	assert.Len(t, res.Records, 7)
	assert.True(t, res.More, "Fastly still had a cursor")
	qs := rec.queries()
	require.Len(t, qs, 3)
	assert.Equal(t, "", qs[0].Get("next_cursor"))
	assert.Equal(t, "c1", qs[1].Get("next_cursor"))
	assert.Equal(t, "c2", qs[2].Get("next_cursor"))
	assert.Equal(t, "1", qs[2].Get("limit"), "the last page asks only for what is missing")
	assert.Equal(t, "500", qs[0].Get("filter[response_status][gte]"))
	assert.Equal(t, "LHR", qs[0].Get("filter[fastly_pop]"), "equality uses the documented short form")
	assert.Equal(t, "LHR", res.Records[0].Get("fastly_pop"))
	assert.Equal(t, obsStart.Add(-10*time.Second), res.Records[0].Time)
}

func TestLogRecordsStopsAtTheLastPageAndOnALoop(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/observability/log-explorer"] = serveBody(`{"data":[{"timestamp":1763632800123}],"meta":{"filters":{"next_cursor":""}}}`)
	res, err := c.LogRecords(context.Background(), LogsQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), MaxLines: 50})
	require.NoError(t, err)
	require.Len(t, res.Records, 1)
	assert.False(t, res.More)
	assert.Equal(t, time.UnixMilli(1763632800123).UTC(), res.Records[0].Time, "a Unix-millisecond timestamp reads too")

	rec.handlers["/observability/log-explorer"] = serveBody(`{"data":[{"timestamp":"2026-11-20T10:00:00Z"}],"meta":{"filters":{"next_cursor":"same"}}}`)
	_, err = c.LogRecords(context.Background(), LogsQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(2 * time.Hour), MaxLines: 50})
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Contains(t, apiErr.Message, "looped")
}

func TestObservabilityAnswersHaveAByteLimit(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/observability/log-insights"] = func(w http.ResponseWriter, _ *http.Request) {
		chunk := strings.Repeat(" ", 1<<20)
		fmt.Fprint(w, `{"data":[`)
		for i := int64(0); i <= bodyLimit("/observability/log-insights")>>20; i++ {
			fmt.Fprint(w, chunk)
		}
		fmt.Fprint(w, `]}`)
	}
	_, err := c.LogInsights(context.Background(), InsightsQuery{Visualization: "top-url-by-requests", ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), Limit: 10})
	var tooLarge *TooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, int64(32<<20), tooLarge.Limit)
}

func TestLogTimeseriesGroupsRowsBySeries(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/observability/timeseries"] = serveBody(`{"data":[
		{"dimensions":{"service_id":"svc1","request_path":"/a","time":"2026-11-20T10:00:00Z"},"values":{"avg[response_time]":0.5}},
		{"dimensions":{"service_id":"svc1","request_path":"/b","time":"2026-11-20T10:00:00Z"},"values":{"avg[response_time]":"0.2"}},
		{"dimensions":{"service_id":"svc1","request_path":"/a","time":"2026-11-20T10:01:00Z"},"values":{"avg[response_time]":0.25,"p99[response_time]":0.9}}],
		"meta":{"from":"2026-11-20T10:00:00Z","to":"2026-11-20T10:02:00Z","granularity":"minute"}}`)
	got, err := c.LogTimeseries(context.Background(), LogTimeseriesQuery{
		ServiceID: "svc1", Start: obsStart, End: obsStart.Add(2 * time.Minute), Granularity: "minute",
		Series: []string{"avg[response_time]"}, Dimensions: []string{"request_path"}, Filters: []LogFilter{{"response_status", "lt", "400"}},
	})
	require.NoError(t, err)
	require.Len(t, got.Series, 2)
	assert.Zero(t, got.OtherServices)
	assert.Equal(t, []Entry{{Key: "request_path", Text: "/a"}}, got.Series[0].Dimensions, "the service dimension is the plugin's, not the user's")
	assert.Equal(t, 0.75, got.Series[0].Total("avg[response_time]"))
	assert.Equal(t, 0.9, got.Series[0].Points[obsStart.Add(time.Minute)]["p99[response_time]"])
	assert.Equal(t, 0.2, got.Series[1].Points[obsStart]["avg[response_time]"])
	q := rec.queries()[0]
	assert.Equal(t, "logs", q.Get("source"))
	assert.Equal(t, "2026-11-20T10:00:00Z", q.Get("from"))
	assert.Equal(t, "2026-11-20T10:02:00Z", q.Get("to"))
	assert.Equal(t, "service_id,request_path", q.Get("dimensions"))
	assert.Equal(t, "svc1", q.Get("filter[service_id]"), "the service is chosen the way the reference allows: a filter")
	assert.False(t, q.Has("service_id"), "the current reference has no service_id parameter")
	assert.Equal(t, "400", q.Get("filter[response_status][lt]"))
}

// TestLogTimeseriesKeepsItsOwnService: rows of other services (a service filter Fastly did not
// apply) are left out and counted; rows that do not say whose they are, or a meta naming
// another range, are refused rather than shown as the service's.
func TestLogTimeseriesKeepsItsOwnService(t *testing.T) {
	rec, c := newFake(t)
	q := LogTimeseriesQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(2 * time.Minute), Granularity: "minute", Series: []string{"avg[response_time]"}}
	rec.handlers["/observability/timeseries"] = serveBody(`{"data":[
		{"dimensions":{"service_id":"svc1","time":"2026-11-20T10:00:00Z"},"values":{"avg[response_time]":0.5}},
		{"dimensions":{"service_id":"svc2","time":"2026-11-20T10:00:00Z"},"values":{"avg[response_time]":9}}]}`)
	got, err := c.LogTimeseries(context.Background(), q)
	require.NoError(t, err)
	require.Len(t, got.Series, 1)
	assert.Equal(t, 0.5, got.Series[0].Total("avg[response_time]"))
	assert.Equal(t, 1, got.OtherServices)

	rec.handlers["/observability/timeseries"] = serveBody(`{"data":[{"dimensions":{"time":"2026-11-20T10:00:00Z"},"values":{"avg[response_time]":0.5}}]}`)
	_, err = c.LogTimeseries(context.Background(), q)
	assert.ErrorIs(t, err, ErrLogSeriesUnscoped)

	for meta, want := range map[string]string{
		`{"from":"2026-11-19T10:00:00Z"}`: `meta.from is "2026-11-19T10:00:00Z", not the 2026-11-20T10:00:00Z asked for`,
		`{"granularity":"hour"}`:          `meta.granularity is "hour", not the minute asked for`,
	} {
		rec.handlers["/observability/timeseries"] = serveBody(`{"data":[],"meta":` + meta + `}`)
		_, err = c.LogTimeseries(context.Background(), q)
		var decodeErr *DecodeError
		require.ErrorAs(t, err, &decodeErr, meta)
		assert.ErrorContains(t, err, want)
	}
}

// TestLogFilterSpellingIsLearnt: the boolean filters go out as the reference's log fields
// (is_cache_hit); refused with a 400, once more as fastly_is_cache_hit, and the spelling that
// worked is kept for the data source's later calls, log records and time series alike.
func TestLogFilterSpellingIsLearnt(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/observability/log-explorer"] = func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Has("filter[is_cache_hit]") {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"title":"Bad Request","status":400,"detail":"unsupported filter field 'is_cache_hit'"}`)
			return
		}
		fmt.Fprint(w, `{"data":[{"timestamp":"2026-11-20T10:00:00Z"}],"meta":{"filters":{"next_cursor":""}}}`)
	}
	rec.handlers["/observability/timeseries"] = serveBody(`{"data":[]}`)
	q := LogsQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Hour), MaxLines: 5, Filters: []LogFilter{{"is_cache_hit", "eq", "false"}}}
	res, err := c.LogRecords(context.Background(), q)
	require.NoError(t, err)
	assert.Len(t, res.Records, 1)
	_, err = c.LogRecords(context.Background(), q)
	require.NoError(t, err)
	_, err = c.LogTimeseries(context.Background(), LogTimeseriesQuery{ServiceID: "svc1", Start: obsStart, End: obsStart.Add(time.Minute),
		Granularity: "minute", Series: []string{"avg[response_time]"}, Filters: []LogFilter{{"fastly_is_shield", "eq", "true"}}})
	require.NoError(t, err)
	var sent []string
	for _, v := range rec.queries() {
		for k := range v {
			if strings.Contains(k, "is_") {
				sent = append(sent, k)
			}
		}
	}
	assert.Equal(t, []string{"filter[is_cache_hit]", "filter[fastly_is_cache_hit]", "filter[fastly_is_cache_hit]", "filter[fastly_is_shield]"}, sent,
		"one retry, then the learnt spelling")

	// Both spellings refused: Fastly's first answer is the error, and nothing is learnt.
	rec2, c2 := newFake(t)
	rec2.handlers["/observability/log-explorer"] = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		for k := range r.URL.Query() {
			if strings.HasPrefix(k, "filter[") {
				fmt.Fprintf(w, `{"detail":"refused %s"}`, k)
			}
		}
	}
	_, err = c2.LogRecords(context.Background(), q)
	assert.ErrorContains(t, err, "refused filter[is_cache_hit]")
	assert.Len(t, rec2.queries(), 2)
	assert.False(t, c2.flagSpellingKnown.Load())
}

func TestCheckProductKnowsLogExplorer(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/enabled-products/v1/log_explorer_insights/services/svc1"] = func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"type":"","title":"no product on service","status":400,"errors":null,"detail":""}`)
	}
	err := c.CheckProduct(context.Background(), ProductLogExplorer, "svc1")
	var pd *ProductDisabledError
	require.True(t, errors.As(err, &pd))
	assert.Contains(t, err.Error(), "Log Explorer & Insights is not enabled on Fastly service svc1")
	assert.Contains(t, err.Error(), "PUT /enabled-products/v1/log_explorer_insights/services/svc1")
}
