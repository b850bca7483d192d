package fastly

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// growingFastly answers /stats/service/svc1/field/requests with one record per minute whose
// value is the minute's Unix time / 60, leaving out the minutes in absent (no traffic yet, or
// Fastly still aggregating them). It logs each call's from parameter.
type growingFastly struct {
	mu     sync.Mutex
	absent map[int64]bool
	froms  []int64
}

func (g *growingFastly) serve(w http.ResponseWriter, r *http.Request) {
	from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
	to, _ := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
	step := map[string]int64{"minute": 60, "hour": 3600, "day": 86400}[r.URL.Query().Get("by")]
	g.mu.Lock()
	g.froms = append(g.froms, from)
	var recs []string
	for t := alignDown(from+step-1, step); t < to; t += step {
		if !g.absent[t] {
			recs = append(recs, fmt.Sprintf(`{"requests":%d,"service_id":"svc1","start_time":%d}`, t/60, t))
		}
	}
	g.mu.Unlock()
	fmt.Fprintf(w, `{"status":"success","meta":{},"msg":null,"data":[%s]}`, strings.Join(recs, ","))
}

func (g *growingFastly) calls() []int64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]int64(nil), g.froms...)
}

func requestsAt(p *StatsPayload) map[int64]int64 {
	out := map[int64]int64{}
	for _, s := range p.Services {
		for i, t := range s.StartTimes {
			out[t] = s.Columns[0].Ints[i]
		}
	}
	return out
}

func TestARefreshAsksOnlyForBucketsFastlyMayStillBeFilling(t *testing.T) {
	f, c := newFake(t)
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	recent, old := t0.Add(-20*time.Minute).Unix(), t0.Add(-90*time.Minute).Unix()
	g := &growingFastly{absent: map[int64]bool{recent: true, old: true}}
	f.handlers["/stats/service/svc1/field/requests"] = g.serve
	q := StatsQuery{ServiceID: "svc1", Fields: specsNamed("requests"), From: t0.Add(-2 * time.Hour), To: t0, By: "minute", Now: t0}

	p, err := c.Stats(context.Background(), q)
	require.NoError(t, err)
	assert.Len(t, p.Services[0].StartTimes, 118)

	// Fastly catches up on the recent minute; the old one stays empty (it had no traffic).
	g.mu.Lock()
	g.absent = map[int64]bool{old: true}
	g.mu.Unlock()
	q.Now, q.From, q.To = t0.Add(time.Minute), q.From.Add(time.Minute), t0.Add(time.Minute)
	p, err = c.Stats(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, []int64{q.From.Add(-time.Minute).Unix(), t0.Add(-30 * time.Minute).Unix()}, g.calls(),
		"the refresh starts where the settled buckets end, 30 minutes before the first call's now")
	got := requestsAt(p)
	assert.Len(t, got, 119, "two hours of minutes, less the one without traffic")
	assert.Equal(t, recent/60, got[recent], "a bucket absent while Fastly could still fill it was not kept as empty")
	_, seen := got[old]
	assert.False(t, seen, "a settled bucket without traffic stays known-empty from the cache")
	assert.Equal(t, q.From.Unix()/60, got[q.From.Unix()])
}

func TestDayBucketsAreKeptOnlyWellAfterFastlyFinishesThem(t *testing.T) {
	f, c := newFake(t)
	g := &growingFastly{absent: map[int64]bool{}}
	f.handlers["/stats/service/svc1/field/requests"] = g.serve
	today := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	q := StatsQuery{ServiceID: "svc1", Fields: specsNamed("requests"), From: today.AddDate(0, 0, -3), By: "day"}
	for _, now := range []time.Time{today.Add(3 * time.Hour), today.Add(9 * time.Hour)} {
		q.Now, q.To = now, now
		_, err := c.Stats(context.Background(), q)
		require.NoError(t, err)
	}
	q.Now, q.To = today.Add(10*time.Hour), today.Add(10*time.Hour)
	_, err := c.Stats(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, []int64{
		q.From.Unix(),                  // nothing cached yet
		today.AddDate(0, 0, -1).Unix(), // at 03:00 yesterday may still grow (Fastly: ~02:00)
		today.Unix(),                   // at 09:00 yesterday is final; only today is asked
	}, g.calls())
}

func TestTheBucketCacheStaysWithinItsLimitEvictingTheLeastRecentlyUsed(t *testing.T) {
	c := newBucketCache(10)
	series := func(n int) bucketSeries {
		f := fieldSeries{id: "svc1", col: StatsColumn{Ints: make([]int64, n)}}
		for i := range n {
			f.times = append(f.times, int64(i*60))
		}
		return bucketSeries{from: 0, to: int64(n * 60), services: []fieldSeries{f}}
	}
	a, b, d := bucketKey{"a", "requests", "minute", "", ""}, bucketKey{"b", "requests", "minute", "", ""}, bucketKey{"d", "requests", "minute", "", ""}
	c.add(a, series(3)) // 4 records with the service's own
	c.add(b, series(3))
	_, ok := c.get(a) // a is now the most recently used
	require.True(t, ok)
	c.add(d, series(3))
	_, okA := c.get(a)
	_, okB := c.get(b)
	_, okD := c.get(d)
	assert.True(t, okA)
	assert.False(t, okB, "the least recently used series went")
	assert.True(t, okD)
	assert.LessOrEqual(t, c.size, 10)

	c.add(bucketKey{"e", "requests", "minute", "", ""}, series(20))
	_, ok = c.get(bucketKey{"e", "requests", "minute", "", ""})
	assert.False(t, ok, "a series larger than the whole cache is not kept")
	c.clear()
	_, ok = c.get(a)
	assert.False(t, ok)
	assert.Zero(t, c.size)
}

func TestViewersShareTheUnsettledTailForAFewSeconds(t *testing.T) {
	f, c := newFake(t)
	g := &growingFastly{absent: map[int64]bool{}}
	f.handlers["/stats/service/svc1/field/requests"] = g.serve
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	ask := func(now time.Time) {
		_, err := c.Stats(context.Background(), StatsQuery{ServiceID: "svc1", Fields: specsNamed("requests"), From: now.Add(-time.Hour).Truncate(time.Minute), To: now, By: "minute", Now: now})
		require.NoError(t, err)
	}
	ask(t0)                      // first load: the whole hour
	ask(t0.Add(time.Second))     // the tail after the settled buckets
	ask(t0.Add(3 * time.Second)) // another viewer within tailTTL: nothing asked
	ask(t0.Add(12 * time.Second))
	tail := t0.Add(-30 * time.Minute).Unix()
	assert.Equal(t, []int64{t0.Add(-time.Hour).Unix(), tail, tail}, g.calls(), "the tail is asked again once older than 10 s")
}

func TestForgetStatsDropsWhatWasCached(t *testing.T) {
	f, c := newFake(t)
	g := &growingFastly{absent: map[int64]bool{}}
	f.handlers["/stats/service/svc1/field/requests"] = g.serve
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	q := StatsQuery{ServiceID: "svc1", Fields: specsNamed("requests"), From: t0.Add(-2 * time.Hour), To: t0, By: "minute", Now: t0}
	_, err := c.Stats(context.Background(), q)
	require.NoError(t, err)
	c.ForgetStats() // the data source is disposed
	_, err = c.Stats(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, []int64{q.From.Unix(), q.From.Unix()}, g.calls(), "nothing cached survives: the whole range is asked again")
}

func TestAFreshQueryAsksForTheTailAgainWithinItsTTL(t *testing.T) {
	f, c := newFake(t)
	g := &growingFastly{absent: map[int64]bool{}}
	f.handlers["/stats/service/svc1/field/requests"] = g.serve
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	q := StatsQuery{ServiceID: "svc1", Fields: specsNamed("requests"), From: t0.Add(-time.Hour), To: t0, By: "minute", Now: t0}
	for _, fresh := range []bool{false, false, true} {
		q.Fresh = fresh
		_, err := c.Stats(context.Background(), q)
		require.NoError(t, err)
		q.Now = q.Now.Add(time.Second)
	}
	tail := t0.Add(-30 * time.Minute).Unix()
	assert.Equal(t, []int64{t0.Add(-time.Hour).Unix(), tail}, g.calls()[:2], "the second viewer asked for the tail")
	assert.Equal(t, []int64{t0.Add(-time.Hour).Unix(), tail, tail}, g.calls(), "the fresh query asked for it again, a second later")
}
