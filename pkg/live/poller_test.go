package live

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

func TestRetryAfter(t *testing.T) {
	assert.Equal(t, 7*time.Second, retryAfter(&fastly.APIError{Status: http.StatusTooManyRequests, RetryAfter: "7s"}))
	assert.Equal(t, 5*time.Minute, retryAfter(&fastly.APIError{Status: http.StatusTooManyRequests, RetryAfter: "86400s"}), "capped")
	assert.Zero(t, retryAfter(&fastly.APIError{Status: http.StatusTooManyRequests, RetryAfter: "Unix time 1732579200"}))
	assert.Zero(t, retryAfter(&fastly.APIError{Status: http.StatusServiceUnavailable, RetryAfter: "7s"}))
}

// TestSettle checks which seconds an answer settles.
func TestSettle(t *testing.T) {
	p := newPoller(NewHub(nil, Options{Clock: newStepClock()}), shop)
	f := fastly.NewRealtimeFields([]string{"requests"})
	sec := func(s int64) fastly.RealtimeSecond { return fastly.RealtimeSecond{Recorded: s} }
	for name, c := range map[string]struct {
		since    int64
		resp     fastly.RealtimeResponse
		from, to int64
		n        int
	}{
		"window":              {fastly.RealtimeHistory, fastly.RealtimeResponse{Timestamp: 1000, Seconds: []fastly.RealtimeSecond{sec(950)}}, 881, 1000, 1},
		"after a second":      {990, fastly.RealtimeResponse{Timestamp: 995, Seconds: []fastly.RealtimeSecond{sec(992)}}, 991, 995, 1},
		"latest only":         {0, fastly.RealtimeResponse{Timestamp: 995, Seconds: []fastly.RealtimeSecond{sec(995)}}, 995, 995, 1},
		"idle, time moved on": {990, fastly.RealtimeResponse{Timestamp: 993, Error: "No data available, please retry"}, 991, 993, 0},
		"long poll cut off":   {990, fastly.RealtimeResponse{Timestamp: 990}, 991, 990, 0},
		"too far behind":      {500, fastly.RealtimeResponse{Timestamp: 1000, Seconds: []fastly.RealtimeSecond{sec(900)}}, 881, 1000, 1},
		"no cursor at all":    {fastly.RealtimeHistory, fastly.RealtimeResponse{}, 1, 0, 0},
		"repeats dropped":     {990, fastly.RealtimeResponse{Timestamp: 995, Seconds: []fastly.RealtimeSecond{sec(989), sec(990), sec(993)}}, 991, 995, 1},
	} {
		b := p.settle(plan{since: c.since, fields: f}, &c.resp)
		assert.Equal(t, [2]int64{c.from, c.to}, [2]int64{b.From, b.To}, name)
		assert.Len(t, b.Seconds, c.n, name)
	}
}
