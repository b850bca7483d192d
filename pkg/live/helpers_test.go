package live

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/internal/testclock"
)

// simStart is a Friday afternoon, when the simulator's shop service is busy.
var simStart = time.Date(2026, 11, 20, 15, 30, 20, 0, time.UTC)

func newStepClock() *testclock.Step { return testclock.New(simStart) }

// simEnv is the simulator behind httptest, a client for it, and a hub on the step clock.
type simEnv struct {
	clock  *testclock.Step
	sim    *fastlysim.Server
	client *fastly.Client
	hub    *Hub

	mu       sync.Mutex
	down     func(now time.Time) int  // status to fail with at now; 0 = serve normally
	stall    func(now time.Time) bool // answer "no new data" at now, the cursor unchanged
	inflight int                      // requests the server is handling
	maxIn    int
	calls    int // Realtime calls the hub has open
	maxCalls int
	reqs     []time.Time // fake time of each real-time request
}

// newSimEnv starts the simulator (in the mode cfg sets: boundary repeats and the like) behind
// a client holding token.
func newSimEnv(t *testing.T, token string, cfg ...fastlysim.Config) *simEnv {
	t.Helper()
	e := &simEnv{clock: newStepClock()}
	var c fastlysim.Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	c.Token, c.Now, c.After = "sim-token", e.clock.Now, e.clock.After
	e.sim = fastlysim.New(c)
	srv := httptest.NewServer(http.HandlerFunc(e.serve))
	t.Cleanup(srv.Close)
	e.client = fastly.NewClient(fastly.Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: token})
	e.hub = NewHub(e, Options{Clock: e.clock})
	t.Cleanup(e.hub.Close)
	return e
}

// Realtime counts the hub's calls in flight on the client side, where the plugin decides
// what runs at once (a cancelled long poll may linger a moment in the server).
func (e *simEnv) Realtime(ctx context.Context, product fastly.RealtimeProduct, id string, since int64, f *fastly.RealtimeFields) (*fastly.RealtimeResponse, error) {
	e.mu.Lock()
	e.calls++
	e.maxCalls = max(e.maxCalls, e.calls)
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.calls--
		e.mu.Unlock()
	}()
	return e.client.Realtime(ctx, product, id, since, f)
}

// serve counts requests in flight and can play an outage before handing over to the simulator.
func (e *simEnv) serve(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	e.inflight++
	e.maxIn = max(e.maxIn, e.inflight)
	e.reqs = append(e.reqs, e.clock.Now())
	down, stall := e.down, e.stall
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		e.inflight--
		e.mu.Unlock()
	}()
	if down != nil {
		if status := down(e.clock.Now()); status != 0 {
			http.Error(w, `{"msg":"unavailable"}`, status)
			return
		}
	}
	if stall != nil && stall(e.clock.Now()) {
		cursor := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"Timestamp":%s,"AggregateDelay":9,"Data":[],"Error":"No data available, please retry"}`, cursor)
		return
	}
	e.sim.ServeHTTP(w, r)
}

func (e *simEnv) requests() []time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]time.Time(nil), e.reqs...)
}

// collector reads a subscription until stopped, keeping every update.
type collector struct {
	mu      sync.Mutex
	updates []Update
	err     error
	changed chan struct{}
	done    chan struct{}
}

func collect(t *testing.T, s *Subscription) *collector {
	t.Helper()
	c := &collector{changed: make(chan struct{}, 1), done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); <-c.done })
	go func() {
		defer close(c.done)
		for {
			ups, err := s.Next(ctx)
			c.mu.Lock()
			c.updates = append(c.updates, ups...)
			if err != nil {
				c.err = err
			}
			c.mu.Unlock()
			select {
			case c.changed <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	return c
}

// waitFor blocks until cond holds over what was collected (failing if it never does).
func (c *collector) waitFor(t *testing.T, cond func(ups []Update, err error) bool) []Update {
	t.Helper()
	deadline := time.After(2 * time.Minute) // a hang guard only: a loaded 2-core machine under -race is slow
	for {
		c.mu.Lock()
		ups, err := append([]Update(nil), c.updates...), c.err
		c.mu.Unlock()
		if cond(ups, err) {
			return ups
		}
		select {
		case <-c.changed:
		case <-deadline:
			require.FailNow(t, "timed out waiting for updates", "have %d updates, err %v", len(ups), err)
		}
	}
}

// settledUntil is the newest second covered by ups.
func settledUntil(ups []Update) int64 {
	var to int64
	for _, u := range ups {
		to = max(to, u.To)
	}
	return to
}

// requestsOf reads the aggregate's requests for every settled second (see valuesOf).
func requestsOf(t *testing.T, ups []Update) (first int64, vals []float64) {
	t.Helper()
	return valuesOf(t, ups, "requests")
}

// valuesOf reads one field of the aggregate for every settled second, in order, checking
// that each second is settled exactly once and reporting lost seconds as -1.
func valuesOf(t *testing.T, ups []Update, field string) (first int64, vals []float64) {
	t.Helper()
	next := int64(0)
	for _, u := range ups {
		if u.Fields == nil {
			continue
		}
		idx, ok := u.Fields.Index(field)
		require.True(t, ok)
		if u.LostTo > 0 {
			require.Equal(t, next, u.LostFrom, "a lost stretch starts right after the last settled second")
			for s := u.LostFrom; s <= u.LostTo; s++ {
				vals = append(vals, -1)
			}
			next = u.LostTo + 1
		}
		if next == 0 {
			first, next = u.From, u.From
		}
		require.Equal(t, next, u.From, "seconds must follow on: no gap, no repeat")
		k := 0
		for s := u.From; s <= u.To; s++ {
			v := 0.0
			if k < len(u.Seconds) && u.Seconds[k].Recorded == s {
				v = u.Seconds[k].Aggregated.Values[idx]
				k++
			}
			vals = append(vals, v)
		}
		require.Equal(t, len(u.Seconds), k, "every second of an update lies in From..To, in order")
		next = u.To + 1
	}
	return first, vals
}

// simRequests is what the simulator says the shop served at second s.
func simRequests(sim *fastlysim.Server, id string, s int64) float64 {
	agg, _ := sim.RealtimeSecond(id, time.Unix(s, 0))
	if agg == nil {
		return 0
	}
	switch v := agg["requests"].(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	case int:
		return float64(v)
	}
	return -2
}
