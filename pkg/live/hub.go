package live

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// Fetcher is the one call a poller makes; *fastly.Client implements it.
type Fetcher interface {
	Realtime(ctx context.Context, product fastly.RealtimeProduct, serviceID string, since int64, fields *fastly.RealtimeFields) (*fastly.RealtimeResponse, error)
}

// Key identifies a poller: one per service and real-time product.
type Key struct {
	Product fastly.RealtimeProduct
	Service string
}

// ErrClosed is what subscriptions and window requests get once the hub is closed (the data
// source instance was disposed).
var ErrClosed = errors.New("the real-time stream stopped because the data source was reconfigured or removed")

// Options tune the pollers. Zero values take the defaults, which suit Fastly.
type Options struct {
	Clock Clock
	// MinInterval spaces requests while data flows. Fastly caches answers for a second, so
	// asking more often only repeats them.
	MinInterval time.Duration
	// IdleStep is added to the wait after each idle answer ("No data available"), up to
	// IdleMax: an idle service is asked less often, but never so rarely that traffic starting
	// again is seen late.
	IdleStep, IdleMax time.Duration
	// ErrorBase doubles after each failed request up to ErrorMax, with jitter.
	ErrorBase, ErrorMax time.Duration
}

func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = RealClock{}
	}
	if o.MinInterval <= 0 {
		o.MinInterval = time.Second
	}
	if o.IdleStep <= 0 {
		o.IdleStep = time.Second
	}
	if o.IdleMax <= 0 {
		o.IdleMax = 5 * time.Second
	}
	if o.ErrorBase <= 0 {
		o.ErrorBase = time.Second
	}
	if o.ErrorMax <= 0 {
		o.ErrorMax = 10 * time.Second
	}
	return o
}

// Hub owns the pollers of one data source instance.
type Hub struct {
	fetch  Fetcher
	opts   Options
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	pollers map[Key]*poller
	closed  bool
	wg      sync.WaitGroup

	servedMu sync.Mutex
	served   map[string]servedMark
}

// NewHub makes a hub; pollers start with the first subscription to their key.
func NewHub(f Fetcher, opts Options) *Hub {
	ctx, cancel := context.WithCancel(context.Background())
	return &Hub{fetch: f, opts: opts.withDefaults(), ctx: ctx, cancel: cancel, pollers: map[Key]*poller{}, served: map[string]servedMark{}}
}

// Subscribe joins the poller for key (starting it if needed) and receives every second after
// `after` (a Unix second already shown to the viewer), decoded with at least fields. after = 0
// starts at the newest second the poller sees, without history.
func (h *Hub) Subscribe(key Key, fields []string, after int64) (*Subscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	p := h.pollerLocked(key)
	s := &Subscription{p: p, names: append([]string(nil), fields...), ready: make(chan struct{}, 1)}
	p.mu.Lock()
	defer p.mu.Unlock()
	s.after = after
	if after == 0 && p.lastTo > 0 {
		s.after = p.lastTo
	}
	p.subs[s] = struct{}{}
	grew := p.addNamesLocked(fields)
	rewind := s.after > 0 && s.after+1 < p.nextFromLocked()
	if rewind && p.lastTo > 0 && (p.rewind < 0 || s.after < p.rewind) {
		p.rewind = s.after
	}
	if grew || rewind {
		p.restartLocked()
	}
	return s, nil
}

// Window returns what Fastly still holds for key (about the last 120 s), decoded with at
// least fields. It goes through the key's poller, so it never runs beside another request for
// the same service; a running poller answers it with its next request.
func (h *Hub) Window(ctx context.Context, key Key, fields []string) (*Batch, error) {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil, ErrClosed
	}
	p := h.pollerLocked(key)
	w := &windowReq{names: append([]string(nil), fields...), done: make(chan struct{})}
	p.mu.Lock()
	p.windows = append(p.windows, w)
	p.addNamesLocked(fields)
	if !p.inflightCoversLocked(w.names) {
		p.restartLocked()
	}
	p.mu.Unlock()
	h.mu.Unlock()
	select {
	case <-w.done:
		return w.batch, w.err
	case <-ctx.Done():
		p.mu.Lock()
		p.dropWindowLocked(w)
		if p.idleLocked() {
			p.restartLocked()
		}
		p.mu.Unlock()
		return nil, ctx.Err()
	}
}

// pollerLocked returns the running poller for key or starts one. A new poller waits for the
// one it replaces to finish, so two never ask Fastly for the same service at once.
func (h *Hub) pollerLocked(key Key) *poller {
	old := h.pollers[key]
	if old != nil && !old.stopped {
		return old
	}
	p := newPoller(h, key)
	if old != nil {
		p.prevDone = old.done
	}
	h.pollers[key] = p
	h.wg.Add(1)
	go p.run()
	return p
}

// Pollers reports how many pollers are running, for the plugin's metrics.
func (h *Hub) Pollers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.pollers)
}

// Subscribers reports how many streams are subscribed across the pollers, for the plugin's
// metrics: each is a panel being kept live.
func (h *Hub) Subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, p := range h.pollers {
		p.mu.Lock()
		n += len(p.subs)
		p.mu.Unlock()
	}
	return n
}

// Close stops every poller and waits for them; subscriptions end with ErrClosed.
func (h *Hub) Close() {
	h.mu.Lock()
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	h.wg.Wait()
}

// servedMark remembers the newest second a query returned for a channel, so the stream that
// follows starts right after it: nothing missing, nothing twice.
type servedMark struct {
	second int64
	at     time.Time
}

// servedTTL bounds how long a mark is kept: a stream starts within a second or two of its
// query, and after 120 s Fastly no longer holds what would follow the mark anyway.
const servedTTL = 2 * time.Minute

// MarkServed records that a query showed channel path's data up to second.
func (h *Hub) MarkServed(path string, second int64) {
	now := h.opts.Clock.Now()
	h.servedMu.Lock()
	defer h.servedMu.Unlock()
	for p, m := range h.served {
		if now.Sub(m.at) > servedTTL {
			delete(h.served, p)
		}
	}
	if m, ok := h.served[path]; !ok || second > m.second {
		h.served[path] = servedMark{second: second, at: now}
	}
}

// Served returns the newest second a recent query showed for path, or 0.
func (h *Hub) Served(path string) int64 {
	h.servedMu.Lock()
	defer h.servedMu.Unlock()
	m, ok := h.served[path]
	if !ok || h.opts.Clock.Now().Sub(m.at) > servedTTL {
		return 0
	}
	return m.second
}
