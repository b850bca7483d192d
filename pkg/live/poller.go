package live

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// windowReq is a query asking for the window Fastly holds.
type windowReq struct {
	names []string
	done  chan struct{}
	batch *Batch
	err   error
}

// poller long-polls one service. It is the only code that asks Fastly for that service's
// real-time data, so it alone holds the cursor: however many channels or queries want the
// service, one request is in flight at a time, and requests start at most once per
// MinInterval, however many panels open at once.
type poller struct {
	hub      *Hub
	key      Key
	ctx      context.Context
	cancel   context.CancelFunc
	prevDone <-chan struct{}
	done     chan struct{}
	wake     chan struct{}

	mu       sync.Mutex
	subs     map[*Subscription]struct{}
	windows  []*windowReq
	names    []string
	fields   *fastly.RealtimeFields
	stopped  bool  // removed from the hub: a new subscriber starts a new poller
	cursor   int64 // Fastly's Timestamp from the last answer, sent back as is; 0 before the first
	lastTo   int64 // newest final second (a recorded second, never compared with cursor)
	rewind   int64 // earliest second a new subscriber still needs; -1 when none
	behind   bool  // subscribers were told that Fastly's data is late
	inflight *plan
	started  time.Time          // when the request in flight started
	stopReq  context.CancelFunc // cancels the request in flight
	reqDone  <-chan struct{}    // closed when the request in flight ends
	stopping bool               // a cancel of the request in flight is scheduled
	restart  bool               // the request was cancelled to start over, not failed
}

// plan is one request: the cursor sent (RealtimeHistory for the whole window, 0 for the
// latest second), the first second its answer must settle, and the fields decoded.
type plan struct {
	since  int64
	from   int64
	fields *fastly.RealtimeFields
}

func newPoller(h *Hub, key Key) *poller {
	ctx, cancel := context.WithCancel(h.ctx)
	return &poller{
		hub: h, key: key, ctx: ctx, cancel: cancel,
		done: make(chan struct{}), wake: make(chan struct{}, 1),
		subs: map[*Subscription]struct{}{}, rewind: -1,
		fields: fastly.NewRealtimeFields(nil),
	}
}

func (p *poller) run() {
	defer p.hub.wg.Done()
	defer close(p.done)
	defer p.cancel()
	if p.prevDone != nil {
		select {
		case <-p.prevDone:
		case <-p.ctx.Done():
		}
	}
	clock := p.hub.opts.Clock
	failures, idle := 0, 0
	var wait time.Duration
	var lastStart time.Time
	for {
		if !p.sleep(wait, lastStart.Add(p.hub.opts.MinInterval)) {
			p.end(ErrClosed)
			return
		}
		pl, ok := p.next()
		if !ok {
			return
		}
		lastStart = clock.Now()
		reqCtx, stop := context.WithCancel(p.ctx)
		p.mu.Lock()
		p.stopReq, p.reqDone, p.restart, p.inflight, p.started = stop, reqCtx.Done(), false, &pl, lastStart
		p.mu.Unlock()
		resp, err := p.hub.fetch.Realtime(reqCtx, p.key.Product, p.key.Service, pl.since, pl.fields)
		stop()
		p.mu.Lock()
		restarted := p.restart
		p.stopReq, p.reqDone, p.restart, p.inflight, p.stopping = nil, nil, false, nil, false
		p.mu.Unlock()
		switch {
		case p.ctx.Err() != nil:
			p.end(ErrClosed)
			return
		case err != nil && restarted:
			wait = 0
		case err != nil && terminal(err):
			p.end(tokenError(err))
			return
		case err != nil:
			failures++
			wait = max(p.errorWait(failures), retryAfter(err))
			p.publish(pl, nil, err, Notice{Retrying: true, Text: fmt.Sprintf("Fastly real-time is not answering (%s); retrying from the last second received.", safetext.Clip(err.Error(), 160))})
		default:
			failures = 0
			b := p.settle(pl, resp)
			p.publish(pl, b, nil, p.freshness())
			if len(resp.Seconds) == 0 {
				idle++
				wait = min(time.Duration(idle)*p.hub.opts.IdleStep, p.hub.opts.IdleMax)
			} else {
				idle, wait = 0, 0
			}
		}
	}
}

// sleep waits d, cut short by a new need (wake), and then until earliest whatever happens,
// so requests never start more often than once per MinInterval. It reports false when the
// poller is closing.
func (p *poller) sleep(d time.Duration, earliest time.Time) bool {
	clock := p.hub.opts.Clock
	if d > 0 {
		select {
		case <-p.ctx.Done():
		case <-p.wake:
		case <-clock.After(d):
		}
	}
	if rest := earliest.Sub(clock.Now()); rest > 0 && p.ctx.Err() == nil {
		select {
		case <-p.ctx.Done():
		case <-clock.After(rest):
		}
	}
	return p.ctx.Err() == nil
}

// next decides the next request, or stops the poller when nobody needs it any more.
func (p *poller) next() (plan, bool) {
	p.hub.mu.Lock()
	p.mu.Lock()
	defer p.hub.mu.Unlock()
	defer p.mu.Unlock()
	if p.idleLocked() {
		p.stopped = true
		if p.hub.pollers[p.key] == p {
			delete(p.hub.pollers, p.key)
		}
		return plan{}, false
	}
	pl := plan{since: p.cursor, from: p.lastTo + 1, fields: p.fields}
	switch {
	case len(p.windows) > 0:
		pl.since = fastly.RealtimeHistory
	case p.rewind > 0 && p.rewind < p.lastTo:
		pl.since, pl.from = p.rewind, p.rewind+1
	case p.cursor <= 0:
		pl.since = p.startLocked()
		pl.from = pl.since + 1
	}
	// A recorded second is a safe cursor: Fastly answers what became available after it,
	// which includes every later second, and settle drops the ones already final.
	now := p.hub.opts.Clock.Now().Unix()
	if pl.since > 0 && now-pl.from >= int64(fastly.RealtimeRetention/time.Second)-1 {
		pl.since = fastly.RealtimeHistory
	}
	p.rewind = -1
	return pl, true
}

// startLocked picks the first request of a poller: from the oldest second a subscriber has
// already shown, or just the latest second (ts/0) when none has, which is much cheaper for
// Fastly than the whole window.
func (p *poller) startLocked() int64 {
	var since int64
	for s := range p.subs {
		if s.after > 0 && (since == 0 || s.after < since) {
			since = s.after
		}
	}
	return since
}

// nextFromLocked is the oldest second the poller's next answer will settle: a subscriber that
// needs older seconds makes it rewind. math.MaxInt64 means only the latest second.
func (p *poller) nextFromLocked() int64 {
	switch {
	case p.lastTo > 0:
		return p.lastTo + 1
	case p.inflight == nil, p.inflight.since == fastly.RealtimeHistory:
		return 0
	case p.inflight.since == 0:
		return math.MaxInt64
	}
	return p.inflight.from
}

// publish answers waiting window requests and hands the batch (or a notice) to subscribers.
func (p *poller) publish(pl plan, b *Batch, err error, notice Notice) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keep := p.windows[:0]
	for _, w := range p.windows {
		switch {
		case err != nil:
			w.err = err
			close(w.done)
		case pl.since == fastly.RealtimeHistory && covers(b.Fields, w.names):
			w.batch = b
			close(w.done)
		default:
			keep = append(keep, w)
		}
	}
	clear(p.windows[len(keep):])
	p.windows = keep
	for s := range p.subs {
		s.offerLocked(b, notice)
	}
}

// end stops the poller for good, telling everyone why.
func (p *poller) end(err error) {
	p.hub.mu.Lock()
	if p.hub.pollers[p.key] == p {
		delete(p.hub.pollers, p.key)
	}
	p.mu.Lock()
	p.stopped = true
	p.hub.mu.Unlock()
	for _, w := range p.windows {
		w.err = err
		close(w.done)
	}
	p.windows = nil
	for s := range p.subs {
		s.finishLocked(err)
	}
	p.mu.Unlock()
}

// errorWait backs off exponentially with jitter, but never past the moment Fastly would drop
// the oldest second not yet received: an outage shorter than 120 s then loses nothing.
func (p *poller) errorWait(failures int) time.Duration {
	o := p.hub.opts
	d := o.ErrorBase << min(failures-1, 16)
	if d > o.ErrorMax || d <= 0 {
		d = o.ErrorMax
	}
	d = d/2 + rand.N(d/2+1)
	p.mu.Lock()
	last := p.lastTo
	p.mu.Unlock()
	if last > 0 {
		expires := time.Unix(last, 0).Add(fastly.RealtimeRetention - 5*time.Second)
		if left := expires.Sub(o.Clock.Now()); left > 0 && left < d {
			d = max(left, 500*time.Millisecond)
		}
	}
	return d
}

func (p *poller) addNamesLocked(names []string) bool {
	var grew bool
	p.names, grew = union(p.names, names)
	if grew {
		p.fields = fastly.NewRealtimeFields(p.names)
	}
	return grew
}

// restartLocked cancels the request in flight (a new need came up: more fields, a window, a
// rewind, or nobody left) and cuts short any wait. A request younger than MinInterval is
// cancelled only once it reaches that age, so panels opening together cost one extra
// request, not one each.
func (p *poller) restartLocked() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
	if p.stopReq == nil || p.stopping {
		return
	}
	p.restart = true
	early := p.started.Add(p.hub.opts.MinInterval).Sub(p.hub.opts.Clock.Now())
	if early <= 0 || p.idleLocked() {
		p.stopReq()
		return
	}
	p.stopping = true
	stop, done := p.stopReq, p.reqDone
	go func() {
		select {
		case <-p.hub.opts.Clock.After(early):
			stop()
		case <-done:
		}
	}()
}

func (p *poller) idleLocked() bool { return len(p.subs) == 0 && len(p.windows) == 0 }

// inflightCoversLocked reports whether the request in flight will answer a window for names.
func (p *poller) inflightCoversLocked(names []string) bool {
	return p.inflight != nil && p.inflight.since == fastly.RealtimeHistory && covers(p.inflight.fields, names)
}

func (p *poller) dropWindowLocked(w *windowReq) {
	for i, x := range p.windows {
		if x == w {
			p.windows = append(p.windows[:i], p.windows[i+1:]...)
			return
		}
	}
}
