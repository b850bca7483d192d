package live

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/internal/testclock"
)

// lockstepFetcher answers each request at once with the next second of a 100-POP service,
// but only after every consumer has handled the previous one, so the benchmark measures the
// whole path of one second: poller -> 100 subscriptions -> 100 frames -> 100 JSON packets.
type lockstepFetcher struct {
	clock   *testclock.Step // the hub's: answers are for its current second, as Fastly's are
	mu      sync.Mutex
	cond    *sync.Cond
	done    map[int]int64 // consumer -> newest second handled
	want    int
	start   chan struct{} // closed once every channel has subscribed
	stopped bool          // the benchmark is over: answer at once
}

func newLockstep(consumers int, clock *testclock.Step) *lockstepFetcher {
	f := &lockstepFetcher{clock: clock, done: map[int]int64{}, want: consumers, start: make(chan struct{})}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *lockstepFetcher) handled(consumer int, second int64) {
	f.mu.Lock()
	if prev, seen := f.done[consumer]; !seen || second > prev { // a notice-only update names no second
		f.done[consumer] = second
	}
	f.mu.Unlock()
	f.cond.Broadcast()
}

func (f *lockstepFetcher) Realtime(ctx context.Context, _ fastly.RealtimeProduct, _ string, since int64, fields *fastly.RealtimeFields) (*fastly.RealtimeResponse, error) {
	select {
	case <-f.start:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	f.mu.Lock()
	for since > 0 && !f.stopped && ctx.Err() == nil && !f.allAt(since) {
		f.cond.Wait()
	}
	f.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The newest second by the hub's clock: the poller's waits move that clock, and a fixed
	// since+1 would fall more than 120 s behind it and be reported lost.
	next := max(since+1, f.clock.Now().Unix())
	sec := fastly.RealtimeSecond{Recorded: next, Aggregated: fastly.RealtimeStats{Values: make([]float64, fields.Len())}}
	for p := range 100 {
		st := fastly.RealtimeStats{Values: make([]float64, fields.Len())}
		for i := range st.Values {
			st.Values[i] = float64((p+1)*(i+3)) + float64(next%7)
			sec.Aggregated.Values[i] += st.Values[i]
		}
		st.MissHistogram = []fastly.HistogramBin{{UpperMs: 10, Count: 3}, {UpperMs: 20, Count: float64(p%5 + 1)}, {UpperMs: 150, Count: 1}}
		sec.POPs = append(sec.POPs, fastly.POPStats{POP: fmt.Sprintf("P%02d", p), RealtimeStats: st})
	}
	return &fastly.RealtimeResponse{Timestamp: next, Seconds: []fastly.RealtimeSecond{sec}}, nil
}

func (f *lockstepFetcher) allAt(second int64) bool {
	if len(f.done) < f.want {
		return false
	}
	for _, s := range f.done {
		if s < second {
			return false
		}
	}
	return true
}

// BenchmarkFanout100 is one second of a 100-POP service delivered to 100 live channels (five
// kinds of panel: totals, ratios, bandwidth, latency percentiles, one series per POP), each
// framed and encoded as Grafana Live would send it. ns/op is per second of data, for all 100.
func BenchmarkFanout100(b *testing.B) {
	panels := [][]string{{"requests"}, {"hit_ratio", "error_ratio"}, {"bandwidth_bps"}, {"miss_latency_p95"}, {"requests"}}
	const channels = 100
	clock := testclock.New(time.Unix(1_700_000_000, 0))
	f := newLockstep(channels, clock)
	hub := NewHub(f, Options{Clock: clock})
	defer hub.Close()
	key := Key{Product: fastly.RealtimeChannel, Service: "S"}
	var wg sync.WaitGroup
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var first int64
	var firstOnce sync.Once
	firstSet := make(chan struct{})
	for c := range channels {
		names := panels[c%len(panels)]
		ms, err := catalog.Resolve(names, catalog.KindRealtime)
		if err != nil {
			b.Fatal(err)
		}
		sub, err := hub.Subscribe(key, catalog.Fields(names, catalog.KindRealtime), 0)
		if err != nil {
			b.Fatal(err)
		}
		builder := frames.NewRealtimeBuilder(frames.RealtimeRequest{Metrics: ms, ServiceID: "S", ServiceName: "shop", ByPOP: c%len(panels) == 4})
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ups, err := sub.Next(ctx)
				if err != nil {
					return
				}
				var spans []frames.RealtimeSpan
				var newest int64
				for _, u := range ups {
					if u.Fields != nil {
						spans = append(spans, frames.RealtimeSpan{From: u.From, To: u.To, Seconds: u.Seconds, Fields: u.Fields})
						newest = u.To
					}
				}
				fr, _ := builder.Frame(spans)
				if _, err := data.FrameToJSON(fr, data.IncludeDataOnly); err != nil {
					panic(err)
				}
				firstOnce.Do(func() { first = newest; close(firstSet) })
				f.handled(c, newest)
			}
		}()
	}
	close(f.start)
	<-firstSet
	var ru0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	b.ResetTimer()
	start := time.Now()
	goal := first + int64(b.N)
	f.mu.Lock()
	for !f.allAt(goal) {
		f.cond.Wait()
	}
	f.mu.Unlock()
	elapsed := time.Since(start)
	b.StopTimer()
	var ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := time.Duration(ru1.Utime.Nano()+ru1.Stime.Nano()) - time.Duration(ru0.Utime.Nano()+ru0.Stime.Nano())
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N)/channels, "ns/channel")
	f.mu.Lock()
	f.stopped = true
	f.mu.Unlock()
	f.cond.Broadcast()
	cancel()
	hub.Close()
	wg.Wait()
}
