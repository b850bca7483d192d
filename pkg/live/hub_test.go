package live

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

var shop = Key{Product: fastly.RealtimeChannel, Service: fastlysim.ShopServiceID}

// TestSubscriptionMatchesSimulator checks the seconds a subscriber gets against what the
// simulator served: every second once, values as served, idle seconds zero.
func TestSubscriptionMatchesSimulator(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	sub, err := e.hub.Subscribe(shop, []string{"requests", "hits", "miss"}, simStart.Unix()-30)
	require.NoError(t, err)
	c := collect(t, sub)
	ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= simStart.Unix()+20 })
	first, vals := requestsOf(t, ups)
	assert.Equal(t, simStart.Unix()-29, first, "the stream continues right after the second the query showed")
	for i, v := range vals {
		s := first + int64(i)
		require.Equal(t, simRequests(e.sim, fastlysim.ShopServiceID, s), v, "second %d", s)
	}
	assert.Greater(t, vals[0], 0.0, "the shop is busy on a Friday afternoon")
}

// TestManySubscribersShareOnePoller runs 50 channels (several panels with different metrics)
// on one service: Fastly sees one request at a time, about one per second.
func TestManySubscribersShareOnePoller(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	metricSets := [][]string{{"requests"}, {"requests", "hits", "miss"}, {"status_5xx", "requests"}, {"resp_body_bytes"}, {"miss_histogram"}}
	var cols []*collector
	for i := range 50 {
		sub, err := e.hub.Subscribe(shop, metricSets[i%len(metricSets)], 0)
		require.NoError(t, err)
		cols = append(cols, collect(t, sub))
	}
	assert.Equal(t, 1, e.hub.Pollers())
	for _, c := range cols {
		c.waitFor(t, func(ups []Update, _ error) bool { return len(ups) > 0 })
	}
	start := e.clock.Now()
	e.mu.Lock()
	before := len(e.reqs)
	e.maxIn = e.inflight // joining restarts long polls; a cancelled one can linger in the server
	e.mu.Unlock()
	for _, c := range cols {
		c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= start.Unix()+60 })
	}
	reqs := e.requests()[before:]
	elapsed := e.clock.Now().Sub(start).Seconds()
	e.mu.Lock()
	maxIn, maxCalls := e.maxIn, e.maxCalls
	e.mu.Unlock()
	assert.Equal(t, 1, maxCalls, "never more than one request in flight for the service")
	assert.Equal(t, 1, maxIn, "once every channel has joined, the server never sees two at once either")
	assert.InDelta(t, elapsed, float64(len(reqs)), 3, "about one request per second of data (%d requests over %.0f s)", len(reqs), elapsed)
	for _, c := range cols {
		_, vals := requestsOfAny(t, c)
		assert.NotEmpty(t, vals)
	}
}

// requestsOfAny checks continuity for a collector whose metric set may lack "requests".
func requestsOfAny(t *testing.T, c *collector) (int64, []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next int64
	var secs []int64
	for _, u := range c.updates {
		if u.Fields == nil {
			continue
		}
		if next != 0 {
			require.Equal(t, next, u.From, "no gap, no repeat")
		}
		for s := u.From; s <= u.To; s++ {
			secs = append(secs, s)
		}
		next = u.To + 1
	}
	return next, secs
}

// TestOutageUnderRetentionLosesNothing fails every request for 60 s: the poller backs off,
// resumes from its cursor, and the subscriber sees every second once with the right values.
func TestOutageUnderRetentionLosesNothing(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	outFrom, outTo := simStart.Add(10*time.Second), simStart.Add(70*time.Second)
	e.down = func(now time.Time) int {
		if !now.Before(outFrom) && now.Before(outTo) {
			return http.StatusServiceUnavailable
		}
		return 0
	}
	sub, err := e.hub.Subscribe(shop, []string{"requests"}, simStart.Unix()-5)
	require.NoError(t, err)
	c := collect(t, sub)
	ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= outTo.Unix()+10 })
	first, vals := requestsOf(t, ups)
	for i, v := range vals {
		s := first + int64(i)
		require.Equal(t, simRequests(e.sim, fastlysim.ShopServiceID, s), v, "second %d", s)
	}
	failed, notices := 0, 0
	for _, r := range e.requests() {
		if !r.Before(outFrom) && r.Before(outTo) {
			failed++
		}
	}
	for _, u := range ups {
		if u.Notice.Retrying {
			notices++
		}
	}
	assert.GreaterOrEqual(t, failed, 4, "the poller kept trying during the outage")
	assert.LessOrEqual(t, failed, 60, "but backed off instead of hammering")
	assert.Equal(t, failed, notices, "each failure is reported while it lasts")
}

// TestOutageBeyondRetentionShowsGap: after 200 s without Fastly, the seconds Fastly no longer
// holds are reported lost, never filled in, and the stream goes on.
func TestOutageBeyondRetentionShowsGap(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	outFrom, outTo := simStart.Add(10*time.Second), simStart.Add(210*time.Second)
	e.down = func(now time.Time) int {
		if !now.Before(outFrom) && now.Before(outTo) {
			return http.StatusBadGateway
		}
		return 0
	}
	sub, err := e.hub.Subscribe(shop, []string{"requests"}, simStart.Unix()-5)
	require.NoError(t, err)
	c := collect(t, sub)
	ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= outTo.Unix()+5 })
	first, vals := requestsOf(t, ups)
	lost := 0
	for i, v := range vals {
		s := first + int64(i)
		if v == -1 {
			lost++
			continue
		}
		require.Equal(t, simRequests(e.sim, fastlysim.ShopServiceID, s), v, "second %d", s)
	}
	assert.Greater(t, lost, 60, "most of the 200 s outage is gone for good")
	assert.Less(t, lost, 200-100, "but the last 120 s were still held by Fastly")
}

// TestRejectedTokenStops: a 401 ends every subscription with a message naming the token,
// and the poller stops instead of retrying.
func TestRejectedTokenStops(t *testing.T) {
	e := newSimEnv(t, "wrong-token")
	sub, err := e.hub.Subscribe(shop, []string{"requests"}, 0)
	require.NoError(t, err)
	c := collect(t, sub)
	c.waitFor(t, func(_ []Update, err error) bool { return err != nil })
	var rejected *TokenRejectedError
	require.ErrorAs(t, c.err, &rejected)
	assert.Contains(t, c.err.Error(), "token was rejected")
	assert.NotContains(t, c.err.Error(), "wrong-token")
	assert.Len(t, e.requests(), 1, "a rejected token is not retried")
	assert.Equal(t, 0, e.hub.Pollers())
}

// TestIdleServiceKeepsPolling: an idle service answers "No data available"; the poller settles
// those seconds as zeros and asks less often, without giving up.
func TestIdleServiceKeepsPolling(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	idle := Key{Product: fastly.RealtimeChannel, Service: fastlysim.IdleServiceID}
	sub, err := e.hub.Subscribe(idle, []string{"requests"}, simStart.Unix()-3)
	require.NoError(t, err)
	c := collect(t, sub)
	ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= simStart.Unix()+60 })
	_, vals := requestsOf(t, ups)
	for _, v := range vals {
		require.Zero(t, v)
	}
	reqs := e.requests()
	require.Greater(t, len(reqs), 5)
	gaps := make([]time.Duration, 0, len(reqs))
	for i := 1; i < len(reqs); i++ {
		gaps = append(gaps, reqs[i].Sub(reqs[i-1]))
	}
	assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second}, gaps[:6],
		"idle polling slows down gently, to one request every 5 s")
	inFirstMinute := 0
	for _, r := range reqs {
		if r.Before(simStart.Add(time.Minute)) {
			inFirstMinute++
		}
	}
	assert.LessOrEqual(t, inFirstMinute, 16, "an idle minute costs about a dozen requests")
}

// TestWindowGoesThroughThePoller: a query's window shares the poller with live
// subscriptions, so a dashboard refresh never adds a second concurrent request.
func TestWindowGoesThroughThePoller(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	b, err := e.hub.Window(context.Background(), shop, []string{"requests"})
	require.NoError(t, err)
	latest := simStart.Unix() - 1 - fastly.DefaultAggregateDelay
	assert.Equal(t, latest, b.To, "the window ends at the newest record, AggregateDelay behind the cursor")
	assert.Equal(t, latest-119, b.From, "the window is the 120 s Fastly holds")
	sub, err := e.hub.Subscribe(shop, []string{"requests"}, b.To)
	require.NoError(t, err)
	c := collect(t, sub)
	c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= latest+5 })
	for range 5 {
		w, err := e.hub.Window(context.Background(), shop, []string{"requests", "status_5xx"})
		require.NoError(t, err)
		idx, ok := w.Fields.Index("status_5xx")
		require.True(t, ok)
		assert.GreaterOrEqual(t, idx, 0)
	}
	ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= latest+15 })
	first, vals := requestsOf(t, ups)
	assert.Equal(t, latest+1, first)
	for i, v := range vals {
		require.Equal(t, simRequests(e.sim, fastlysim.ShopServiceID, first+int64(i)), v)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	assert.Equal(t, 1, e.maxCalls, "windows and the stream take turns")
}

// TestCloseStopsEverything: Close ends subscriptions and windows with ErrClosed and leaves no
// goroutine behind.
func TestCloseStopsEverything(t *testing.T) {
	base := runtime.NumGoroutine()
	e := newSimEnv(t, "sim-token")
	var subs []*Subscription
	for i := range 5 {
		key := shop
		if i%2 == 1 {
			key.Service = fastlysim.APIServiceID
		}
		s, err := e.hub.Subscribe(key, []string{"requests"}, 0)
		require.NoError(t, err)
		subs = append(subs, s)
	}
	_, err := subs[0].Next(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2, e.hub.Pollers())
	e.hub.Close()
	assert.Equal(t, 0, e.hub.Pollers())
	for _, s := range subs {
		_, err := drain(s)
		assert.ErrorIs(t, err, ErrClosed)
	}
	_, err = e.hub.Subscribe(shop, []string{"requests"}, 0)
	assert.ErrorIs(t, err, ErrClosed)
	_, err = e.hub.Window(context.Background(), shop, []string{"requests"})
	assert.ErrorIs(t, err, ErrClosed)
	e.client.HTTPClient().CloseIdleConnections()
	waitGoroutines(t, base+4) // httptest's server goroutines remain until cleanup
}

// TestLastSubscriberStopsPoller: the poller ends as soon as nobody listens.
func TestLastSubscriberStopsPoller(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	a, err := e.hub.Subscribe(shop, []string{"requests"}, 0)
	require.NoError(t, err)
	b, err := e.hub.Subscribe(shop, []string{"hits"}, 0)
	require.NoError(t, err)
	_, err = a.Next(context.Background())
	require.NoError(t, err)
	a.Close()
	_, err = b.Next(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, e.hub.Pollers())
	b.Close()
	deadline := time.Now().Add(5 * time.Second)
	for e.hub.Pollers() != 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	assert.Equal(t, 0, e.hub.Pollers())
}

// drain reads until the subscription ends.
func drain(s *Subscription) ([]Update, error) {
	var all []Update
	for {
		ups, err := s.Next(context.Background())
		all = append(all, ups...)
		if err != nil {
			return all, err
		}
	}
}

func waitGoroutines(t *testing.T, limit int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > limit && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > limit {
		buf := make([]byte, 1<<16)
		buf = buf[:runtime.Stack(buf, true)]
		t.Fatalf("%d goroutines left, want at most %d:\n%s", n, limit, buf)
	}
}
