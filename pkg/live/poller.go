package live

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
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
// service, one request is in flight at a time.
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
	cursor   int64 // Fastly's Timestamp from the last answer; 0 before the first
	lastTo   int64 // newest second settled
	rewind   int64 // earliest second a new subscriber still needs; -1 when none
	inflight *plan
	stopReq  context.CancelFunc // cancels the request in flight
	restart  bool               // the request was cancelled to start over, not failed
}

// plan is one request: from where, with which fields, and whether it is the full window.
type plan struct {
	since  int64
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
	for {
		if wait > 0 {
			select {
			case <-p.ctx.Done():
			case <-p.wake:
			case <-clock.After(wait):
			}
		}
		if p.ctx.Err() != nil {
			p.end(ErrClosed)
			return
		}
		pl, ok := p.next()
		if !ok {
			return
		}
		started := clock.Now()
		reqCtx, stop := context.WithCancel(p.ctx)
		p.mu.Lock()
		p.stopReq, p.restart, p.inflight = stop, false, &pl
		p.mu.Unlock()
		resp, err := p.hub.fetch.Realtime(reqCtx, p.key.Product, p.key.Service, pl.since, pl.fields)
		stop()
		p.mu.Lock()
		restarted := p.restart
		p.stopReq, p.restart, p.inflight = nil, false, nil
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
			p.publish(pl, nil, err, fmt.Sprintf("Fastly real-time is not answering (%s); retrying from the last second received.", short(err)))
		default:
			if failures > 0 {
				failures = 0
			}
			b := p.settle(pl, resp)
			p.publish(pl, b, nil, "")
			if len(resp.Seconds) == 0 {
				idle++
				wait = min(time.Duration(idle)*p.hub.opts.IdleStep, p.hub.opts.IdleMax)
			} else {
				idle = 0
				wait = p.hub.opts.MinInterval - clock.Now().Sub(started)
			}
		}
	}
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
	pl := plan{since: p.cursor, fields: p.fields}
	switch {
	case len(p.windows) > 0:
		pl.since = fastly.RealtimeHistory
	case p.cursor <= 0:
		pl.since = p.startLocked()
	case p.rewind > 0 && p.rewind < p.cursor:
		pl.since = p.rewind
	}
	ref := p.cursor
	if ref <= 0 {
		ref = p.hub.opts.Clock.Now().Unix() - 1
	}
	if pl.since > 0 && ref-pl.since >= int64(fastly.RealtimeRetention/time.Second)-1 {
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
	return p.inflight.since + 1
}

// settle turns an answer into the batch of seconds it settles and moves the cursor. An answer
// to "after t" settles t+1 up to its Timestamp; seconds older than Fastly's 120 s are not
// settled (they are lost, which subscribers report).
func (p *poller) settle(pl plan, resp *fastly.RealtimeResponse) *Batch {
	secs := resp.Seconds
	T := resp.Timestamp
	if n := len(secs); n > 0 && secs[n-1].Recorded > T {
		T = secs[n-1].Recorded
	}
	b := &Batch{Fields: pl.fields, To: T}
	if T <= 0 { // no cursor and no data: nothing is settled
		b.From = 1
		return b
	}
	oldest := T - int64(fastly.RealtimeRetention/time.Second) + 1
	switch {
	case pl.since == 0: // ts/0: the latest second only
		b.From = T
	case pl.since == fastly.RealtimeHistory || pl.since+1 < oldest:
		b.From = oldest
	default:
		b.From = pl.since + 1
	}
	if len(secs) > 0 && secs[0].Recorded < b.From {
		k := 0
		for k < len(secs) && secs[k].Recorded < b.From {
			k++
		}
		if pl.since == fastly.RealtimeHistory || secs[0].Recorded > pl.since {
			b.From = secs[0].Recorded // Fastly held more than 120 s: keep it
		} else {
			secs = secs[k:] // already settled by an earlier answer
		}
	}
	b.Seconds = secs
	p.mu.Lock()
	if resp.Timestamp > p.cursor {
		p.cursor = resp.Timestamp
	}
	if b.To > p.lastTo {
		p.lastTo = b.To
	}
	p.mu.Unlock()
	return b
}

// publish answers waiting window requests and hands the batch (or a notice) to subscribers.
func (p *poller) publish(pl plan, b *Batch, err error, notice string) {
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
// rewind, or nobody left) and cuts short any wait.
func (p *poller) restartLocked() {
	if p.stopReq != nil {
		p.restart = true
		p.stopReq()
	}
	select {
	case p.wake <- struct{}{}:
	default:
	}
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

// terminal reports answers that retrying cannot fix: a rejected token, a service the token
// cannot see, a malformed request.
func terminal(err error) bool {
	var apiErr *fastly.APIError
	if errors.Is(err, fastly.ErrNoToken) {
		return true
	}
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusBadRequest:
		return true
	}
	return false
}

// TokenRejectedError ends a stream because Fastly refused the token (401/403) or the service.
type TokenRejectedError struct{ Err error }

func (e *TokenRejectedError) Error() string {
	return "the real-time stream stopped: " + e.Err.Error()
}

func (e *TokenRejectedError) Unwrap() error { return e.Err }

func tokenError(err error) error { return &TokenRejectedError{Err: err} }

// retryAfter is how long Fastly asked the plugin to wait (429 with Retry-After), or 0.
func retryAfter(err error) time.Duration {
	var apiErr *fastly.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusTooManyRequests {
		return 0
	}
	secs, perr := strconv.Atoi(strings.TrimSuffix(apiErr.RetryAfter, "s"))
	if perr != nil || secs <= 0 {
		return 0
	}
	return min(time.Duration(secs)*time.Second, 5*time.Minute)
}

// short trims an error for a notice.
func short(err error) string {
	s := err.Error()
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
