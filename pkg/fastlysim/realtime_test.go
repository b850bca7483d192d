package fastlysim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type rtAnswer struct {
	Timestamp      int64
	AggregateDelay int
	Error          string
	Data           []struct {
		Recorded   int64                     `json:"recorded"`
		Aggregated map[string]any            `json:"aggregated"`
		Datacenter map[string]map[string]any `json:"datacenter"`
	}
}

func rtPath(id, tail string) string { return "/v1/channel/" + id + "/ts/" + tail }

func TestRealtimeShape(t *testing.T) {
	h := newHarness(t, Config{})
	ts, newest := testNow.Unix()-1, testNow.Unix()-1-aggregateDelay
	r := h.get(rtPath(ShopServiceID, "0"))
	require.Equal(t, http.StatusOK, r.status)
	var raw map[string]any
	decodeExact(t, r.body, &raw)
	assert.Equal(t, []string{"AggregateDelay", "Data", "Timestamp"}, keysOf(raw))
	var got rtAnswer
	decodeExact(t, r.body, &got)
	assert.Equal(t, ts, got.Timestamp)
	require.Len(t, got.Data, 1)
	e := got.Data[0]
	assert.Equal(t, newest, e.Recorded, "the newest record trails the cursor by AggregateDelay")
	assert.Greater(t, len(e.Datacenter), 5)
	allowed := append(RealtimeFields(), "miss_histogram")
	for pop, m := range e.Datacenter {
		assert.Contains(t, popByCode, pop)
		for k, v := range m {
			assert.Contains(t, allowed, k)
			if n, ok := v.(json.Number); ok {
				assert.NotEqual(t, "0", n.String(), "zero-valued %s is omitted", k)
			}
			if strings.HasSuffix(k, "_sub_time") {
				_, err := v.(json.Number).Int64()
				assert.NoError(t, err, "%s is integer nanoseconds", k)
			}
		}
	}
	assert.NotContains(t, e.Aggregated, "bandwidth")
	assert.NotContains(t, e.Aggregated, "hit_ratio")
	assert.Equal(t, "max-age=1", r.header.Get("Cache-Control"))

	// An idle service answers like the recorded fixture.
	var fx, idle map[string]any
	fixture(t, "realtime_channel_no_data.json", &fx)
	h.getOK(rtPath(IdleServiceID, "0/limit/3"), &idle)
	assert.Equal(t, keysOf(fx), keysOf(idle))
	assert.Equal(t, fx["Error"], idle["Error"])
	assert.Equal(t, []any{}, idle["Data"])
	assert.Equal(t, json.Number(fmt.Sprint(ts)), idle["Timestamp"])
	assert.Equal(t, http.StatusNotFound, h.get(rtPath("nope", "0")).status)
	assert.Equal(t, http.StatusBadRequest, h.get(rtPath(ShopServiceID, "abc")).status)
}

func TestRealtimeAggregatedIsSumOfPOPs(t *testing.T) {
	h := newHarness(t, Config{})
	var got rtAnswer
	h.getOK(rtPath(ShopServiceID, "h/limit/5"), &got)
	require.Len(t, got.Data, 5)
	for _, e := range got.Data {
		sum := map[string]float64{}
		hist := map[string]int64{}
		for _, m := range e.Datacenter {
			var miss int64
			for k, v := range m {
				if k == "miss_histogram" {
					for b, n := range v.(map[string]any) {
						x, _ := n.(json.Number).Int64()
						hist[b] += x
						miss += x
					}
					continue
				}
				f, _ := v.(json.Number).Float64()
				sum[k] += f
			}
			assert.Equal(t, num(t, m, "miss"), miss, "histogram counts add up to miss")
			checkRealtimeIdentities(t, m)
		}
		for k, v := range e.Aggregated {
			if k == "miss_histogram" {
				for b, n := range v.(map[string]any) {
					x, _ := n.(json.Number).Int64()
					assert.Equal(t, hist[b], x)
				}
				continue
			}
			f, _ := v.(json.Number).Float64()
			assert.Equal(t, sum[k], f, k)
		}
		assert.Len(t, e.Aggregated, len(sum)+1)
	}
}

func checkRealtimeIdentities(t *testing.T, m map[string]any) {
	t.Helper()
	n := func(k string) int64 { return num(t, m, k) }
	assert.Equal(t, n("requests"), n("hits")+n("miss")+n("pass")+n("errors")+n("synth"))
	assert.Equal(t, n("requests"), n("status_1xx")+n("status_2xx")+n("status_3xx")+n("status_4xx")+n("status_5xx"))
}

func TestRealtimeSecondsAddUpToTheMinute(t *testing.T) {
	h := newHarness(t, Config{})
	minute := testNow.Truncate(time.Minute).Add(-3 * time.Minute)
	for _, id := range []string{ShopServiceID, APIServiceID, ComputeServiceID} {
		rec, ok := h.sim.Record(id, "minute", minute, "")
		require.True(t, ok)
		ints := map[string]int64{}
		floats := map[string]float64{}
		for i := 0; i < 60; i++ {
			agg, _ := h.sim.RealtimeSecond(id, minute.Add(time.Duration(i)*time.Second))
			for k, v := range agg {
				switch x := v.(type) {
				case int64:
					ints[k] += x
				case float64:
					floats[k] += x
				}
			}
		}
		for k, v := range rec {
			switch {
			case k == "start_time" || k == "service_id" || notRealtime[k]:
			case strings.HasSuffix(k, "_sub_time"):
				// seconds in history, nanoseconds (rounded down per POP-second) in real time
				assert.InDelta(t, v.(float64)*1e9, float64(ints[k]), 60*25, k)
			default:
				switch x := v.(type) {
				case int64:
					assert.Equal(t, x, ints[k], "%s %s", id, k)
				case float64:
					assert.Equal(t, x, floats[k], "%s %s", id, k)
				}
			}
		}
		assert.Greater(t, ints["requests"]+ints["compute_requests"], int64(0))
		if id == ComputeServiceID {
			assert.Zero(t, ints["requests"], "a Compute service's real-time requests are compute_requests")
			assert.Equal(t, ints["compute_requests"], ints["all_status_2xx"]+ints["all_status_3xx"]+ints["all_status_4xx"]+ints["all_status_5xx"]+ints["all_status_1xx"])
		}
	}
}

// TestRealtimeCursorContinuation follows the cursor as a client would, in both boundary
// modes: the records after each cursor, the boundary second again only when asked to repeat it.
func TestRealtimeCursorContinuation(t *testing.T) {
	for _, repeat := range []bool{false, true} {
		t.Run(fmt.Sprintf("repeat=%v", repeat), func(t *testing.T) {
			h := newHarness(t, Config{RealtimeRepeatBoundary: repeat})
			var first rtAnswer
			h.getOK(rtPath(APIServiceID, "0"), &first)
			cursor := first.Timestamp
			seen := []int64{first.Data[0].Recorded}
			repeats := 0
			for step := 0; step < 4; step++ {
				h.clock.Add(time.Duration(step+2) * time.Second)
				var next rtAnswer
				h.getOK(rtPath(APIServiceID, fmt.Sprint(cursor)), &next)
				assert.Equal(t, next.Data[len(next.Data)-1].Recorded+aggregateDelay, next.Timestamp, "cursor = newest recorded + AggregateDelay")
				for _, e := range next.Data {
					if e.Recorded == seen[len(seen)-1] {
						repeats++
						continue
					}
					seen = append(seen, e.Recorded)
				}
				cursor = next.Timestamp
			}
			for i := 1; i < len(seen); i++ {
				assert.Equal(t, seen[i-1]+1, seen[i], "no gaps")
			}
			assert.Equal(t, cursor, seen[len(seen)-1]+aggregateDelay)
			assert.Len(t, seen, 1+2+3+4+5)
			if repeat {
				assert.Equal(t, 4, repeats, "each answer repeats the boundary second")
			} else {
				assert.Zero(t, repeats)
			}
		})
	}

	h := newHarness(t, Config{})
	cursor := testNow.Unix() - 1
	// A limit on a cursor returns the oldest records and moves the cursor only that far.
	var lim rtAnswer
	h.getOK(rtPath(APIServiceID, fmt.Sprint(cursor-10)+"/limit/4"), &lim)
	require.Len(t, lim.Data, 4)
	assert.Equal(t, cursor-10-aggregateDelay+1, lim.Data[0].Recorded)
	assert.Equal(t, lim.Data[3].Recorded+aggregateDelay, lim.Timestamp)

	// A stale cursor gets what is still kept: the last 120 seconds.
	var stale rtAnswer
	h.getOK(rtPath(APIServiceID, fmt.Sprint(cursor-1000)), &stale)
	require.Len(t, stale.Data, 120)
	assert.Equal(t, cursor-aggregateDelay-119, stale.Data[0].Recorded)

	var hist rtAnswer
	h.getOK(rtPath(APIServiceID, "h"), &hist)
	assert.Len(t, hist.Data, 120)
	assert.Equal(t, cursor, hist.Timestamp)
	assert.Equal(t, stale.Data, hist.Data, "ts/h and a cursor agree on every second")
}

func TestRealtimeLongPollWakesOnNextSecond(t *testing.T) {
	after := newManualAfter()
	h := newHarness(t, Config{After: after.After})
	h.clock.Add(400 * time.Millisecond) // 15:30:20.4
	ts := testNow.Unix() - 1
	done := make(chan rtAnswer, 1)
	go func() {
		var a rtAnswer
		h.getOK(rtPath(ShopServiceID, fmt.Sprint(ts)), &a)
		done <- a
	}()
	d := <-after.called
	assert.Equal(t, 600*time.Millisecond, d, "sleeps until the next second is complete")
	select {
	case <-done:
		t.Fatal("answered before a newer second existed")
	default:
	}
	h.clock.Add(d)
	after.fire <- h.clock.Now()
	a := <-done
	require.Len(t, a.Data, 1)
	assert.Equal(t, ts+1-aggregateDelay, a.Data[0].Recorded)
	assert.Equal(t, ts+1, a.Timestamp)
}

func TestRealtimeLongPollCutOff(t *testing.T) {
	after := newManualAfter()
	h := newHarness(t, Config{After: after.After})
	future := testNow.Unix() + 3600
	done := make(chan rtAnswer, 1)
	go func() {
		var a rtAnswer
		h.getOK(rtPath(ShopServiceID, fmt.Sprint(future)), &a)
		done <- a
	}()
	total := time.Duration(0)
	for total < rtLongPollMax {
		d := <-after.called
		total += d
		h.clock.Add(d)
		after.fire <- h.clock.Now()
	}
	a := <-done
	assert.Equal(t, rtLongPollMax, total)
	assert.Equal(t, future, a.Timestamp, "the cursor is handed back unchanged")
	assert.Empty(t, a.Data)
	assert.Equal(t, noDataError, a.Error)
}

func TestRealtimeLongPollHonoursCancellation(t *testing.T) {
	after := newManualAfter()
	sim := New(Config{After: after.After, Now: func() time.Time { return testNow }})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodGet, rtPath(ShopServiceID, fmt.Sprint(testNow.Unix())), nil).WithContext(ctx)
	req.Header.Set("Fastly-Key", "k")
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { sim.ServeHTTP(rec, req); close(done) }()
	<-after.called
	cancel()
	<-done
	assert.Empty(t, rec.Body.String())
}

func TestRealtimeWithRealClock(t *testing.T) {
	sim := New(Config{Token: "k"})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	get := func(path string) rtAnswer {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Fastly-Key", "k")
		res, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		var a rtAnswer
		require.NoError(t, json.NewDecoder(res.Body).Decode(&a))
		return a
	}
	first := get(rtPath(ShopServiceID, "0"))
	next := get(rtPath(ShopServiceID, fmt.Sprint(first.Timestamp))) // blocks until the next second
	require.NotEmpty(t, next.Data)
	assert.Equal(t, first.Data[0].Recorded+1, next.Data[0].Recorded)
}

// With an injected clock and no After hook the long poll watches the clock itself: however
// the request and the clock move interleave, the answer is the next second.
func TestRealtimeLongPollWatchesInjectedClock(t *testing.T) {
	h := newHarness(t, Config{})
	ts := testNow.Unix() - 1
	done := make(chan rtAnswer, 1)
	go func() {
		var a rtAnswer
		h.getOK(rtPath(ShopServiceID, fmt.Sprint(ts)), &a)
		done <- a
	}()
	h.clock.Add(time.Second)
	a := <-done
	require.Len(t, a.Data, 1)
	assert.Equal(t, ts+1-aggregateDelay, a.Data[0].Recorded)
}
