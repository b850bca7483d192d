package fastly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

var diStart = time.Unix(1699286400, 0).UTC()

func TestInspectorReadsTheDomainFixtureAndSendsEveryParameter(t *testing.T) {
	rec, c := newFake(t)
	body := fixture(t, "domain_inspector_historical_by_domain_hourly.json")
	rec.handlers["/metrics/domains/services/kKJb5bOFI47uHeBVluGfX1"] = func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }
	res, err := c.Inspector(context.Background(), InspectorQuery{
		Product: ProductDomainInspector, ServiceID: "kKJb5bOFI47uHeBVluGfX1",
		Metrics: []string{"resp_body_bytes", "status_2xx"},
		Start:   diStart, End: diStart.Add(8 * time.Hour), Downsample: "hour",
		GroupBy: []string{"domain"}, Datacenters: []string{"SJC", "STP"}, Regions: []string{"usa"},
		Names: []string{"domain_1.com", "domain_2.com"},
	})
	require.NoError(t, err)
	asked := rec.queries()
	require.Len(t, asked, 1)
	assert.Equal(t, url.Values{
		"start": {"1699286400"}, "end": {"1699315200"}, "downsample": {"hour"},
		"metric": {"resp_body_bytes,status_2xx"}, "group_by": {"domain"}, "limit": {"200"},
		"datacenter": {"SJC,STP"}, "region": {"usa"}, "domain": {"domain_1.com,domain_2.com"},
	}, asked[0])

	require.Len(t, res.Series, 2)
	assert.Equal(t, map[string]string{"domain": "domain_1.com"}, res.Series[0].Dimensions)
	assert.Len(t, res.Series[0].Buckets, 8)
	assert.Equal(t, 3441795.0, res.Series[0].Buckets[1699286400]["resp_body_bytes"])
	assert.Equal(t, 16112253051.0, res.Series[1].Buckets[1699300800]["resp_body_bytes"], "ten-digit byte counts stay exact")
	assert.Equal(t, 485002.0, res.Series[1].Buckets[1699311600]["status_2xx"])
}

func TestInspectorEmptyOriginFixtureSendsHostFilter(t *testing.T) {
	rec, c := newFake(t)
	body := fixture(t, "origin_inspector_historical_empty.json")
	rec.handlers["/metrics/origins/services/svc1"] = func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }
	res, err := c.Inspector(context.Background(), InspectorQuery{
		Product: ProductOriginInspector, ServiceID: "svc1", Metrics: []string{"responses", "status_2xx"},
		Start: time.Unix(1732406400, 0), End: time.Unix(1732579200, 0), Downsample: "day",
		GroupBy: []string{"host"}, Names: []string{"host01"},
	})
	require.NoError(t, err)
	assert.Empty(t, res.Series)
	q := rec.queries()[0]
	assert.Equal(t, "host01", q.Get("host"))
	assert.Equal(t, "host", q.Get("group_by"))
	assert.False(t, q.Has("cursor"), "the first page is asked for without a cursor")
	assert.False(t, q.Has("datacenter"))
}

// pagedOrigins serves two origins over three pages per metric group, recording the cursors.
func pagedOrigins(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		metrics := strings.Split(r.URL.Query().Get("metric"), ",")
		cursor := r.URL.Query().Get("cursor")
		host, next := map[string][2]string{
			"":   {"a.example", "c1"},
			"c1": {"b.example", "c2"},
			"c2": {"a.example", ""}, // a series may continue on a later page
		}[cursor][0], map[string]string{"": "c1", "c1": "c2", "c2": ""}[cursor]
		ts := int64(1700000000)
		if cursor == "c2" {
			ts += 60
		}
		var vals []string
		for i, m := range metrics {
			vals = append(vals, fmt.Sprintf("%q:%d", m, i+1))
		}
		fmt.Fprintf(w, `{"data":[{"dimensions":{"host":%q},"values":[{"timestamp":%d,%s}]}],"meta":{"next_cursor":%q},"status":"success"}`,
			host, ts, strings.Join(vals, ","), next)
	}
}

func TestInspectorSplitsMoreThanTenMetricsAndFollowsCursors(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/metrics/origins/services/svc1"] = pagedOrigins(t)
	var metrics []string
	for i := 0; i < 23; i++ {
		metrics = append(metrics, fmt.Sprintf("m%02d", i))
	}
	res, err := c.Inspector(context.Background(), InspectorQuery{
		Product: ProductOriginInspector, ServiceID: "svc1", Metrics: metrics,
		Start: time.Unix(1700000000, 0), End: time.Unix(1700000120, 0), Downsample: "minute", GroupBy: []string{"host"},
	})
	require.NoError(t, err)

	asked := rec.queries()
	require.Len(t, asked, 9, "23 metrics are three calls of at most 10, each three pages long")
	var groups []string
	cursors := map[string][]string{}
	for _, q := range asked {
		m := q.Get("metric")
		assert.LessOrEqual(t, len(strings.Split(m, ",")), 10)
		cursors[m] = append(cursors[m], q.Get("cursor"))
		if q.Get("cursor") == "" {
			groups = append(groups, m)
		}
	}
	sort.Strings(groups)
	assert.Equal(t, []string{
		"m00,m01,m02,m03,m04,m05,m06,m07,m08,m09",
		"m10,m11,m12,m13,m14,m15,m16,m17,m18,m19",
		"m20,m21,m22",
	}, groups)
	for m, cs := range cursors {
		sort.Strings(cs)
		assert.Equal(t, []string{"", "c1", "c2"}, cs, "every page of %s", m)
	}

	require.Len(t, res.Series, 2)
	a := res.Series[0]
	assert.Equal(t, "a.example", a.Dimensions["host"])
	require.Len(t, a.Buckets, 2, "a.example's buckets from page one and page three are joined")
	assert.Len(t, a.Buckets[1700000000], 23, "all 23 metrics joined into one bucket")
	assert.Equal(t, 1.0, a.Buckets[1700000000]["m00"])
	assert.Equal(t, 3.0, a.Buckets[1700000060]["m22"])
	assert.Equal(t, "b.example", res.Series[1].Dimensions["host"])
}

func TestInspectorSparseValuesStayAbsent(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/metrics/domains/services/svc1"] = func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"data":[{"dimensions":{"domain":"x.com","datacenter":"LHR"},"values":[
			{"timestamp":1700000000,"edge_requests":5,"edge_hit_ratio":0.8},
			{"timestamp":1700000060,"edge_hit_ratio":null}]}],"meta":{"next_cursor":""}}`)
	}
	res, err := c.Inspector(context.Background(), InspectorQuery{Product: ProductDomainInspector, ServiceID: "svc1",
		Metrics: []string{"edge_requests", "edge_hit_ratio"}, Start: time.Unix(1700000000, 0), End: time.Unix(1700000120, 0), Downsample: "minute"})
	require.NoError(t, err)
	require.Len(t, res.Series, 1)
	b := res.Series[0].Buckets
	assert.Equal(t, map[string]float64{"edge_requests": 5, "edge_hit_ratio": 0.8}, b[1700000000])
	assert.Empty(t, b[1700000060], "null and missing values are both absent: the framer decides 0 or null")
	assert.False(t, rec.queries()[0].Has("group_by"), "no grouping sends no group_by")
}

func TestInspectorErrors(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/metrics/origins/services/loop"] = func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"data":[],"meta":{"next_cursor":"same"}}`)
	}
	rec.handlers["/metrics/origins/services/bad"] = func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"data":[{"values":"x"}]}`) }
	rec.handlers["/metrics/origins/services/down"] = func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"title":"invalid metric","status":400}`)
	}
	q := InspectorQuery{Product: ProductOriginInspector, Metrics: []string{"responses"}, Start: time.Unix(0, 0), End: time.Unix(60, 0), Downsample: "minute"}
	for id, want := range map[string]string{
		"loop":  "next_cursor repeats",
		"bad":   "could not be read",
		"down":  "400 Bad Request for /metrics/origins/services/down: invalid metric",
		"a/../": "is not a Fastly service id",
	} {
		q.ServiceID = id
		_, err := c.Inspector(context.Background(), q)
		require.Error(t, err, id)
		assert.Contains(t, err.Error(), want)
		assert.NotContains(t, err.Error(), testToken)
	}
	_, err := c.Inspector(context.Background(), InspectorQuery{Product: "logs", ServiceID: "svc"})
	assert.ErrorContains(t, err, "unknown inspector product")
	var apiErr *APIError
	q.ServiceID = "down"
	_, err = c.Inspector(context.Background(), q)
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, 400, apiErr.Status)
}

func TestInspectorNamesListsHostsSeenInTheLastHour(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/metrics/origins/services/svc1"] = pagedOrigins(t)
	end := time.Unix(1700003600, 0)
	names, err := c.InspectorNames(context.Background(), ProductOriginInspector, "svc1", end.Add(-time.Hour), end)
	require.NoError(t, err)
	assert.Equal(t, []string{"a.example", "b.example"}, names)
	q := rec.queries()[0]
	assert.Equal(t, "hour", q.Get("downsample"))
	assert.Equal(t, "host", q.Get("group_by"))
	assert.Equal(t, "responses", q.Get("metric"))
	assert.Equal(t, "1700000000", q.Get("start"))
}

func TestInspectorCutsLongMinuteRangesIntoDays(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/metrics/domains/services/svc1"] = func(w http.ResponseWriter, r *http.Request) {
		start := r.URL.Query().Get("start")
		fmt.Fprintf(w, `{"data":[{"dimensions":{},"values":[{"timestamp":%s,"edge_requests":1}]}],"meta":{"next_cursor":""}}`, start)
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	res, err := c.Inspector(context.Background(), InspectorQuery{Product: ProductDomainInspector, ServiceID: "svc1", Metrics: []string{"edge_requests"},
		Start: from, End: from.Add(50 * time.Hour), Downsample: "minute"})
	require.NoError(t, err)
	var spans []string
	for _, q := range rec.queries() {
		spans = append(spans, q.Get("start")+"-"+q.Get("end"))
	}
	sort.Strings(spans)
	day := int64(86400)
	f := from.Unix()
	assert.Equal(t, []string{
		fmt.Sprintf("%d-%d", f, f+day), fmt.Sprintf("%d-%d", f+day, f+2*day), fmt.Sprintf("%d-%d", f+2*day, f+50*3600),
	}, spans)
	require.Len(t, res.Series, 1)
	assert.Len(t, res.Series[0].Buckets, 3, "the chunks' buckets join into one series")

	rec.reset()
	_, err = c.Inspector(context.Background(), InspectorQuery{Product: ProductDomainInspector, ServiceID: "svc1", Metrics: []string{"edge_requests"},
		Start: from, End: from.Add(50 * 24 * time.Hour), Downsample: "hour"})
	require.NoError(t, err)
	assert.Len(t, rec.queries(), 2, "hours come a month at a time")
}
