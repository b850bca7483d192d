package fastly

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClientBoundsCallsAcrossNestedLoops: however the calls nest (here three inspector queries
// at once, each split into metric groups and day-long chunks that run in parallel), one client
// has at most MaxConcurrent calls open with Fastly. The server holds every call until the
// limit is reached, so a call beyond it would be seen, whatever the machine's speed.
func TestClientBoundsCallsAcrossNestedLoops(t *testing.T) {
	const limit = 2
	body := fixture(t, "origin_inspector_historical_empty.json")
	var open, most, calls atomic.Int64
	full := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := open.Add(1)
		defer open.Add(-1)
		calls.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if n == limit {
			once.Do(func() { close(full) })
		}
		select {
		case <-full:
		case <-r.Context().Done():
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{APIURL: srv.URL, Token: "t", MaxConcurrent: limit})

	metrics := make([]string, 25) // three groups of at most ten
	for i := range metrics {
		metrics[i] = fmt.Sprintf("m%d", i)
	}
	end := time.Unix(1700000000, 0).Truncate(24 * time.Hour)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = c.Inspector(context.Background(), InspectorQuery{
				Product: ProductOriginInspector, ServiceID: fmt.Sprintf("svc%d", i), Metrics: metrics,
				Start: end.Add(-3 * 24 * time.Hour), End: end, Downsample: "minute",
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int64(3*3*3), calls.Load(), "3 queries x 3 metric groups x 3 days")
	assert.Equal(t, int64(limit), most.Load(), "never more than the client's limit at once")
}

// TestLongPollsTakeNoSlot: a real-time long poll waiting on Fastly does not hold up the API
// calls of the same client, even when it would fill every slot.
func TestLongPollsTakeNoSlot(t *testing.T) {
	polling := make(chan struct{})
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/tokens/self" {
			polling <- struct{}{}
			<-release
		}
		_, _ = w.Write(fixture(t, "tokens_self.json"))
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: "t", MaxConcurrent: 1})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = c.Realtime(context.Background(), RealtimeChannel, "svc1", 0, NewRealtimeFields([]string{"requests"}))
	}()
	<-polling
	_, err := c.getAPI(context.Background(), "/tokens/self", nil)
	require.NoError(t, err, "the API call went through while the long poll held its connection")
	close(release)
	<-done
}
