package live

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// manualClock moves only when the test says so, so what happens "within one second" does not
// depend on how fast the machine runs the goroutines.
type manualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []manualWaiter
}

type manualWaiter struct {
	at time.Time
	ch chan time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, manualWaiter{at: c.now.Add(d), ch: ch})
	return ch
}

// Advance moves the clock forward and fires every wait that has come due.
func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	keep := c.waiters[:0]
	for _, w := range c.waiters {
		if w.at.After(c.now) {
			keep = append(keep, w)
			continue
		}
		w.ch <- c.now
	}
	c.waiters = keep
}

// windowFetcher answers every request at once with one second holding every field asked for,
// and counts the requests and the fields each carried.
type windowFetcher struct {
	clock *manualClock
	mu    sync.Mutex
	reqs  []time.Time
}

func (f *windowFetcher) Realtime(_ context.Context, _ fastly.RealtimeProduct, _ string, _ int64, fields *fastly.RealtimeFields) (*fastly.RealtimeResponse, error) {
	now := f.clock.Now()
	f.mu.Lock()
	f.reqs = append(f.reqs, now)
	f.mu.Unlock()
	sec := fastly.RealtimeSecond{Recorded: now.Unix() - 10, Aggregated: fastly.RealtimeStats{Values: make([]float64, fields.Len())}}
	return &fastly.RealtimeResponse{Timestamp: now.Unix(), AggregateDelay: 9, Seconds: []fastly.RealtimeSecond{sec}}, nil
}

func (f *windowFetcher) requests() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Time(nil), f.reqs...)
}

// eventually waits for cond, failing the test if it never holds (a hang guard, not a timing).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			require.FailNow(t, "never happened: "+what)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestPanelsOpeningTogetherCostOneExtraRequest opens ten panels with different metrics on one
// service at once (each a window query): the poller answers them with its first request and
// one more a second later, carrying every field, never one request per panel.
func TestPanelsOpeningTogetherCostOneExtraRequest(t *testing.T) {
	clock := &manualClock{now: time.Date(2026, 11, 20, 15, 30, 20, 0, time.UTC)}
	f := &windowFetcher{clock: clock}
	hub := NewHub(f, Options{Clock: clock})
	t.Cleanup(hub.Close)
	metrics := []string{"requests", "hits", "miss", "pass", "status_5xx", "status_4xx", "resp_body_bytes", "miss_histogram", "errors", "synth"}
	batches := make([]*Batch, len(metrics))
	var wg sync.WaitGroup
	for i, m := range metrics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := hub.Window(context.Background(), shop, []string{m})
			assert.NoError(t, err)
			batches[i] = b
		}()
	}
	// every panel has asked before the clock moves
	eventually(t, "ten window requests", func() bool {
		hub.mu.Lock()
		p := hub.pollers[shop]
		hub.mu.Unlock()
		if p == nil {
			return false
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.names) == len(metrics) && p.inflight == nil && len(f.requests()) >= 1
	})
	assert.Len(t, f.requests(), 1, "one request in the first second, however many panels opened")
	clock.Advance(time.Second)
	wg.Wait()
	reqs := f.requests()
	require.LessOrEqual(t, len(reqs), 2, "the widened field set costs at most one request more")
	if len(reqs) == 2 {
		assert.Equal(t, time.Second, reqs[1].Sub(reqs[0]), "and only a second later")
	}
	for i, b := range batches {
		require.NotNil(t, b, metrics[i])
		assert.True(t, covers(b.Fields, []string{metrics[i]}), "panel %d's window has its metric", i)
	}
}
