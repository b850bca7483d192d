package live

import (
	"context"
	"slices"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// Batch is what one answer from Fastly settled: every second from From to To inclusive. A
// second in that range missing from Seconds had no traffic: its values are zero.
type Batch struct {
	From, To int64
	Seconds  []fastly.RealtimeSecond
	Fields   *fastly.RealtimeFields
}

// Update is what a subscription receives: the final seconds after the previous update, once
// each. Seconds from LostFrom to LostTo (when LostTo > 0) are gone for good: Fastly no longer
// held them when the poller got through again. Notice, when set, tells the viewer about a
// problem in progress or its end.
type Update struct {
	From, To         int64
	LostFrom, LostTo int64
	Seconds          []fastly.RealtimeSecond
	Fields           *fastly.RealtimeFields
	Notice           Notice
}

// Notice is a message for the viewers of a stream.
type Notice struct {
	Text string
	// Retrying marks a failure in progress, which matters only until data flows again.
	Retrying bool
	// Good marks the news that a problem is over.
	Good bool
}

// maxPending bounds what a subscription holds for a consumer that stopped reading (a stuck
// stream sender): about ten minutes of seconds; older ones become a reported gap.
const maxPending = 600

// Subscription receives a poller's seconds for one channel.
type Subscription struct {
	p     *poller
	names []string
	ready chan struct{} // signalled when pending or err changes

	// guarded by p.mu
	after   int64 // newest second delivered; 0 until the first update
	pending []Update
	err     error
	closed  bool
}

// Next waits for updates and returns them in order. It returns an error when the stream must
// end: the token was rejected, the hub closed, or ctx ended.
func (s *Subscription) Next(ctx context.Context) ([]Update, error) {
	for {
		s.p.mu.Lock()
		if len(s.pending) > 0 {
			out := s.pending
			s.pending = nil
			s.p.mu.Unlock()
			return out, nil
		}
		err := s.err
		s.p.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-s.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Close leaves the poller; the last subscription to leave stops it.
func (s *Subscription) Close() {
	p := s.p
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	delete(p.subs, s)
	if p.idleLocked() {
		p.restartLocked()
	}
}

// offerLocked turns a batch into this subscription's next update: seconds it has seen are
// dropped, seconds it can no longer get are reported lost. Batches decoded without all of its
// fields are skipped: the poller restarts with them right away.
func (s *Subscription) offerLocked(b *Batch, notice Notice) {
	if s.closed || s.err != nil {
		return
	}
	if b == nil || b.From > b.To {
		if notice.Text != "" {
			s.pushLocked(Update{Notice: notice})
		}
		return
	}
	if !covers(b.Fields, s.names) {
		return
	}
	if s.after == 0 {
		s.after = b.To - 1
	}
	if b.To <= s.after {
		return
	}
	u := Update{To: b.To, Fields: b.Fields, Notice: notice}
	start := s.after + 1
	if b.From > start {
		u.LostFrom, u.LostTo = start, b.From-1
		start = b.From
	}
	u.From = start
	k := 0
	for k < len(b.Seconds) && b.Seconds[k].Recorded < start {
		k++
	}
	u.Seconds = b.Seconds[k:]
	s.after = b.To
	s.pushLocked(u)
}

func (s *Subscription) pushLocked(u Update) {
	if len(s.pending) >= maxPending {
		dropped := s.pending[0]
		s.pending = s.pending[1:]
		head := &s.pending[0]
		from := dropped.From
		if dropped.LostTo > 0 {
			from = dropped.LostFrom
		}
		if head.LostTo == 0 {
			head.LostTo = head.From - 1
		}
		head.LostFrom = from
	}
	s.pending = append(s.pending, u)
	s.signal()
}

func (s *Subscription) finishLocked(err error) {
	if s.err == nil {
		s.err = err
	}
	s.signal()
}

func (s *Subscription) signal() {
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// covers reports whether f decodes every name.
func covers(f *fastly.RealtimeFields, names []string) bool {
	if f == nil {
		return len(names) == 0
	}
	for _, n := range names {
		if n == fastly.MissHistogramKey {
			if !f.Histogram() {
				return false
			}
			continue
		}
		if _, ok := f.Index(n); !ok {
			return false
		}
	}
	return true
}

// union adds names missing from have, keeping order; it reports whether any was added.
func union(have []string, names []string) ([]string, bool) {
	grew := false
	for _, n := range names {
		if !slices.Contains(have, n) {
			have = append(have, n)
			grew = true
		}
	}
	return have, grew
}
