package fastly

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minuteRecords answers /stats/service/{id} with one record per minute in [from, to), whose
// requests value is the minute's Unix time divided by 60, so every value says where it came from.
func minuteRecords(mu *sync.Mutex, asked *[]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		*asked = append(*asked, r.URL.RawQuery)
		mu.Unlock()
		from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
		to, _ := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
		var recs []string
		for t := from; t < to; t += 60 {
			recs = append(recs, fmt.Sprintf(`{"requests":%d,"hit_ratio":0.5,"service_id":"svc1","start_time":%d}`, t/60, t))
		}
		fmt.Fprintf(w, `{"status":"success","meta":{"from":"x","to":"y","by":"minute","region":"all"},"msg":null,"data":[%s]}`, strings.Join(recs, ","))
	}
}

func TestStatsSplitsLongMinuteRangesAndJoinsThemInOrder(t *testing.T) {
	f, c := newFake(t)
	var mu sync.Mutex
	var asked []string
	f.handlers["/stats/service/svc1/field/requests"] = minuteRecords(&mu, &asked)
	f.handlers["/stats/service/svc1/field/hit_ratio"] = minuteRecords(&mu, &asked)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(3*24*time.Hour + 30*time.Minute)
	p, err := c.Stats(context.Background(), StatsQuery{
		ServiceID: "svc1",
		Fields:    []FieldSpec{{Name: "requests"}, {Name: "hit_ratio", Float: true, Ratio: true}},
		From:      from, To: to, By: "minute", Region: "europe",
	})
	require.NoError(t, err)
	require.Len(t, asked, 8, "three whole days and a half hour: four calls for each of two fields")
	sort.Strings(asked)
	assert.Equal(t, fmt.Sprintf("by=minute&from=%d&region=europe&to=%d", from.Unix(), from.Add(24*time.Hour).Unix()), asked[0])

	require.Len(t, p.Services, 1)
	s := p.Services[0]
	assert.Equal(t, "svc1", s.ServiceID)
	want := int((to.Unix() - from.Unix()) / 60)
	require.Len(t, s.StartTimes, want)
	require.Len(t, s.Columns[0].Ints, want)
	require.Len(t, s.Columns[1].Floats, want)
	for i, ts := range s.StartTimes {
		require.Equal(t, from.Unix()+int64(i)*60, ts, "records stay in time order across chunks")
		require.Equal(t, ts/60, s.Columns[0].Ints[i])
	}
	assert.Equal(t, 0.5, s.Columns[1].Floats[7])
}

func TestStatsPicksTheNarrowestEndpoint(t *testing.T) {
	one := []FieldSpec{{Name: "bandwidth"}}
	two := []FieldSpec{{Name: "requests"}, {Name: "hits"}}
	assert.Equal(t, "/stats/service/abc/field/bandwidth", statsPath(StatsQuery{ServiceID: "abc", Fields: one}))
	assert.Equal(t, "/stats/service/abc", statsPath(StatsQuery{ServiceID: "abc", Fields: two}))
	assert.Equal(t, "/stats/field/bandwidth", statsPath(StatsQuery{Fields: one}))
	assert.Equal(t, "/stats", statsPath(StatsQuery{Fields: two}))
}

func TestStatsNamesTheServiceOfAnIdleRange(t *testing.T) {
	f, c := newFake(t)
	f.handlers["/stats/service/idle1/field/requests"] = serveFile(t, "historical_stats_service_empty_array.json")
	f.handlers["/stats/service/idle1/field/hits"] = serveFile(t, "historical_stats_service_empty_array.json")
	now := time.Now()
	p, err := c.Stats(context.Background(), StatsQuery{ServiceID: "idle1", Fields: []FieldSpec{{Name: "requests"}, {Name: "hits"}}, From: now.Add(-time.Hour), To: now, By: "minute"})
	require.NoError(t, err)
	require.Len(t, p.Services, 1)
	assert.Equal(t, "idle1", p.Services[0].ServiceID)
	assert.Empty(t, p.Services[0].StartTimes)
}

func TestStatsReportsFastlysRefusal(t *testing.T) {
	f, c := newFake(t)
	f.handlers["/stats/field/requests"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"status":"error","msg":"Your query is too large","meta":{},"data":{}}`)
	}
	now := time.Now()
	_, err := c.Stats(context.Background(), StatsQuery{Fields: []FieldSpec{{Name: "requests"}}, From: now.Add(-time.Hour), To: now, By: "minute"})
	assert.EqualError(t, err, "Fastly answered with an error for /stats/field/requests: Your query is too large")
}

func TestStatsFailsWholeWhenAChunkFails(t *testing.T) {
	f, c := newFake(t)
	var mu sync.Mutex
	var asked []string
	ok := minuteRecords(&mu, &asked)
	bad := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC).Unix()
	f.handlers["/stats/service/svc1/field/hits"] = ok
	f.handlers["/stats/service/svc1/field/requests"] = func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("from") == strconv.FormatInt(bad, 10) {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"msg":"forbidden"}`)
			return
		}
		ok(w, r)
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	_, err := c.Stats(context.Background(), StatsQuery{ServiceID: "svc1", Fields: []FieldSpec{{Name: "requests"}, {Name: "hits"}}, From: from, To: from.Add(72 * time.Hour), By: "minute"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "no partial answer passes for a whole one")
	assert.Equal(t, http.StatusForbidden, apiErr.Status)
}

func TestSplitRange(t *testing.T) {
	from := time.Unix(0, 0)
	assert.Len(t, splitRange(from, from.Add(time.Hour), 0), 1)
	assert.Len(t, splitRange(from, from.Add(24*time.Hour), 24*time.Hour), 1)
	parts := splitRange(from, from.Add(49*time.Hour), 24*time.Hour)
	require.Len(t, parts, 3)
	assert.Equal(t, from.Add(48*time.Hour), parts[2][0])
	assert.Equal(t, from.Add(49*time.Hour), parts[2][1])
}

// waitingContext tells when its caller starts waiting: the coalescer waits on a caller's
// context only while that caller shares another's call to Fastly.
type waitingContext struct {
	context.Context
	once    sync.Once
	waiting chan<- struct{}
}

func (c *waitingContext) Done() <-chan struct{} {
	c.once.Do(func() { c.waiting <- struct{}{} })
	return c.Context.Done()
}

func TestConcurrentIdenticalCallsShareOneRequest(t *testing.T) {
	f, c := newFake(t)
	entered, release := make(chan struct{}), make(chan struct{})
	f.handlers["/user/u1"] = func(w http.ResponseWriter, r *http.Request) {
		close(entered) // a second request would panic here
		<-release
		fmt.Fprint(w, `{"login":"ops@example.com"}`)
	}
	const panels = 8
	logins := make(chan string, panels)
	go func() { logins <- c.UserLogin(context.Background(), "u1") }()
	<-entered // the first panel's call is with Fastly

	waiting := make(chan struct{})
	for range panels - 1 {
		go func() { logins <- c.UserLogin(&waitingContext{Context: context.Background(), waiting: waiting}, "u1") }()
	}
	for range panels - 1 {
		<-waiting // every other panel has joined the call in flight
	}
	close(release)
	for range panels {
		assert.Equal(t, "ops@example.com", <-logins)
	}
	assert.Len(t, f.asked(), 1, "eight panels, one call to Fastly")
}

func TestAllServicesAreAskedOneFieldAtATimeAndJoined(t *testing.T) {
	f, c := newFake(t)
	// 300 services: a day of minutes would be 432,000 whole records in one /stats call.
	many := make([]Service, 300)
	c.services.value, c.services.at, c.services.ok = many, time.Now(), true
	f.handlers["/stats/field/requests"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"status":"success","meta":{},"msg":null,"data":{
			"svcA":[{"requests":10,"service_id":"svcA","start_time":60},{"requests":20,"service_id":"svcA","start_time":120}],
			"svcB":[{"requests":5,"service_id":"svcB","start_time":120}]}}`)
	}
	f.handlers["/stats/field/hit_ratio"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"status":"success","meta":{},"msg":null,"data":{
			"svcA":[{"hit_ratio":0.5,"service_id":"svcA","start_time":120}],
			"svcC":[{"hit_ratio":0.25,"service_id":"svcC","start_time":60}]}}`)
	}
	p, err := c.Stats(context.Background(), StatsQuery{
		Fields: []FieldSpec{{Name: "requests"}, {Name: "hit_ratio", Float: true, Ratio: true}},
		From:   time.Unix(60, 0), To: time.Unix(60+86400, 0), By: "minute",
	})
	require.NoError(t, err)
	for _, r := range f.asked() {
		assert.NotEqual(t, "/stats", r.URL.Path, "never every field of every service")
	}
	require.Len(t, p.Services, 3)
	a, b, cc := p.Services[0], p.Services[1], p.Services[2]
	assert.Equal(t, "svcA", a.ServiceID)
	assert.Equal(t, []int64{60, 120}, a.StartTimes)
	assert.Equal(t, []int64{10, 20}, a.Columns[0].Ints)
	assert.True(t, math.IsNaN(a.Columns[1].Floats[0]), "no hit ratio for the first minute: no traffic, not 0")
	assert.Equal(t, 0.5, a.Columns[1].Floats[1])
	assert.Equal(t, []int64{5}, b.Columns[0].Ints)
	assert.True(t, math.IsNaN(b.Columns[1].Floats[0]))
	assert.Equal(t, []int64{0}, cc.Columns[0].Ints, "a service with a ratio but no requests record reads 0 requests")
	assert.Equal(t, []float64{0.25}, cc.Columns[1].Floats)
}

func TestChunksThatRepeatABucketCountItOnce(t *testing.T) {
	one := func(times ...int64) *StatsPayload {
		vals := make([]int64, len(times))
		for i, t := range times {
			vals[i] = t * 10
		}
		return &StatsPayload{Services: []ServiceStats{{ServiceID: "s", StartTimes: times, Columns: []StatsColumn{{Ints: vals}}}}}
	}
	merged := mergeStats([]*StatsPayload{one(1, 2, 3), one(3, 4), one(4, 5, 6)})
	require.Len(t, merged.Services, 1)
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6}, merged.Services[0].StartTimes)
	assert.Equal(t, []int64{10, 20, 30, 40, 50, 60}, merged.Services[0].Columns[0].Ints)
}
