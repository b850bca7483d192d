package live

// The rules of Fastly's real-time cursor (API.md §2): which seconds an answer makes final,
// what Fastly still holds, and when its data is late.

import (
	"fmt"
	"math"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// staleAfter is how old the newest final second may get before subscribers are told that
// Fastly's real-time data is late (it normally trails the clock by about ten seconds).
const staleAfter = 30 * time.Second

// settle turns an answer into the batch of seconds it makes final, and keeps its cursor.
//
// Fastly's Timestamp is not a recorded second: it runs AggregateDelay seconds ahead of the
// data (API.md §2). A second is final once a record for it or a later second has arrived, or
// once it is older than Timestamp - AggregateDelay; later seconds wait for the next answer.
// Records at or below the newest final second are dropped, so an answer that repeats the
// boundary second neither loses nor doubles it. Seconds Fastly no longer holds are left out
// of the batch (subscribers report them lost).
func (p *poller) settle(pl plan, resp *fastly.RealtimeResponse) *Batch {
	secs := resp.Seconds
	b := &Batch{Fields: pl.fields, To: finalSecond(resp)}
	held := heldFrom(resp)
	switch {
	case pl.since == 0: // ts/0: the latest second only
		b.From = b.To
	case pl.since == fastly.RealtimeHistory, resp.Timestamp > 0 && pl.from < held:
		b.From = held
	default:
		b.From = pl.from
	}
	k := 0
	for k < len(secs) && secs[k].Recorded < b.From {
		k++
	}
	b.Seconds = secs[k:]
	p.mu.Lock()
	switch {
	case resp.Timestamp > p.cursor:
		p.cursor = resp.Timestamp
	case resp.Timestamp <= 0 && b.To > p.cursor: // no cursor sent: the newest record is a safe one
		p.cursor = b.To
	}
	if b.To > p.lastTo {
		p.lastTo = b.To
	}
	p.mu.Unlock()
	return b
}

// aggregateDelay is the answer's AggregateDelay, or Fastly's usual 9 s when it sent none.
func aggregateDelay(resp *fastly.RealtimeResponse) int64 {
	if resp.AggregateDelay > 0 {
		return resp.AggregateDelay
	}
	return fastly.DefaultAggregateDelay
}

// finalSecond is the newest second an answer makes final (0: none).
func finalSecond(resp *fastly.RealtimeResponse) int64 {
	var to int64
	if n := len(resp.Seconds); n > 0 {
		to = resp.Seconds[n-1].Recorded
	}
	if resp.Timestamp > 0 {
		to = max(to, resp.Timestamp-aggregateDelay(resp)-1)
	}
	return to
}

// heldFrom is the oldest second an answer vouches for: Fastly keeps 120 s, counted either
// from its cursor or from the newest data, so only seconds after Timestamp - 120 are surely
// still held; an older record shows that Fastly held more. With neither, nothing is known
// (and an answer without a Timestamp says nothing of what Fastly dropped).
func heldFrom(resp *fastly.RealtimeResponse) int64 {
	from := int64(math.MaxInt64)
	if resp.Timestamp > 0 {
		from = resp.Timestamp - int64(fastly.RealtimeRetention/time.Second) + 1
	}
	if len(resp.Seconds) > 0 {
		from = min(from, resp.Seconds[0].Recorded)
	}
	return from
}

// freshness tells subscribers once when the newest final second falls more than staleAfter
// behind the clock, and once when it catches up again.
func (p *poller) freshness() Notice {
	now := p.hub.opts.Clock.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lastTo <= 0 {
		return Notice{}
	}
	newest := time.Unix(p.lastTo, 0)
	lag := now.Sub(newest).Truncate(time.Second)
	switch {
	case lag > staleAfter && !p.behind:
		p.behind = true
		return Notice{Text: fmt.Sprintf("Fastly's real-time data is %s behind: the newest complete second is %s UTC. The panel fills in as Fastly catches up.",
			lag, newest.UTC().Format("15:04:05"))}
	case lag <= staleAfter && p.behind:
		p.behind = false
		return Notice{Text: "Fastly's real-time data has caught up.", Good: true}
	}
	return Notice{}
}
