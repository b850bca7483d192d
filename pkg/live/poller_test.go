package live

import (
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

func TestRetryAfter(t *testing.T) {
	assert.Equal(t, 7*time.Second, retryAfter(&fastly.APIError{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second}))
	assert.Equal(t, 5*time.Minute, retryAfter(&fastly.APIError{Status: http.StatusTooManyRequests, RetryAfter: 24 * time.Hour}), "capped")
	assert.Zero(t, retryAfter(&fastly.APIError{Status: http.StatusTooManyRequests, RateLimitReset: time.Unix(1732579200, 0)}))
	assert.Zero(t, retryAfter(&fastly.APIError{Status: http.StatusServiceUnavailable, RetryAfter: 7 * time.Second}))
}

// TestSettle checks which seconds an answer makes final under Fastly's cursor, which runs
// AggregateDelay (9) seconds ahead of the newest record (API.md §2).
func TestSettle(t *testing.T) {
	f := fastly.NewRealtimeFields([]string{"requests"})
	secs := func(ss ...int64) []fastly.RealtimeSecond {
		out := make([]fastly.RealtimeSecond, len(ss))
		for i, s := range ss {
			out[i] = fastly.RealtimeSecond{Recorded: s}
		}
		return out
	}
	resp := func(ts int64, ss ...int64) fastly.RealtimeResponse {
		return fastly.RealtimeResponse{Timestamp: ts, AggregateDelay: 9, Seconds: secs(ss...)}
	}
	for name, c := range map[string]struct {
		since, from int64
		resp        fastly.RealtimeResponse
		wantFrom    int64
		wantTo      int64
		n           int
		cursor      int64
	}{
		"window, busy":          {fastly.RealtimeHistory, 0, resp(1000, 872, 950, 991), 872, 991, 3, 1000},
		"window, sparse":        {fastly.RealtimeHistory, 0, resp(1000, 950), 881, 990, 1, 1000},
		"next second":           {1000, 992, resp(1001, 992), 992, 992, 1, 1001},
		"boundary repeated":     {1000, 992, resp(1001, 991, 992), 992, 992, 1, 1001},
		"idle seconds by clock": {1000, 992, resp(1010, 995), 992, 1000, 1, 1010},
		"newest second waits":   {1000, 992, resp(1003), 992, 993, 0, 1003},
		"nothing new yet":       {1000, 992, resp(1000), 992, 990, 0, 1000},
		"latest only":           {0, 1, resp(1000, 991), 991, 991, 1, 1000},
		"too far behind":        {509, 500, resp(1000, 880, 990), 880, 990, 2, 1000},
		"no cursor at all":      {fastly.RealtimeHistory, 0, fastly.RealtimeResponse{}, math.MaxInt64, 0, 0, 0},
		"no AggregateDelay":     {1000, 992, fastly.RealtimeResponse{Timestamp: 1005}, 992, 995, 0, 1005},
		"no Timestamp":          {1000, 992, fastly.RealtimeResponse{Seconds: secs(993, 994)}, 992, 994, 2, 994},
	} {
		p := newPoller(NewHub(nil, Options{Clock: newStepClock()}), shop)
		b := p.settle(plan{since: c.since, from: c.from, fields: f}, &c.resp)
		assert.Equal(t, [2]int64{c.wantFrom, c.wantTo}, [2]int64{b.From, b.To}, name)
		assert.Len(t, b.Seconds, c.n, name)
		assert.Equal(t, c.cursor, p.cursor, "%s: the cursor is Fastly's Timestamp, unchanged", name)
	}
}
