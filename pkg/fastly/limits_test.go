package fastly

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// allocatedBy is how many bytes f allocated, all goroutines included. Unlike a peak-memory
// sample it does not depend on timing: an answer read whole would count its full size here.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// requireTooLarge checks that err is the limit error for path and names the limit.
func requireTooLarge(t *testing.T, err error, path string, limit int64) {
	t.Helper()
	var large *TooLargeError
	require.True(t, errors.As(err, &large), "got %v", err)
	assert.Equal(t, path, large.Path)
	assert.Equal(t, limit, large.Limit)
	assert.Contains(t, err.Error(), "limit of "+itoa(limit>>20)+" MiB")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func simClient(t *testing.T, fault fastlysim.Fault) *Client {
	t.Helper()
	sim := fastlysim.New(fastlysim.Config{Token: testToken})
	sim.InjectFault(fault)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return NewClient(Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: testToken})
}

// TestOversizeAnswerStopsAtTheLimit: reading stops at the endpoint's limit, whatever the
// answer's size: the server could send only what the socket buffers hold beyond it.
func TestOversizeAnswerStopsAtTheLimit(t *testing.T) {
	const body = 1 << 30
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte{' '}, 64<<10)
		for sent.Load() < body {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{APIURL: srv.URL, Token: testToken})
	var err error
	alloc := allocatedBy(func() {
		_, err = c.Events(context.Background(), EventsQuery{From: time.Unix(0, 0), To: time.Unix(60, 0)})
	})
	requireTooLarge(t, err, "/events", 8<<20)
	srv.Close() // waits for the handler: sent is final
	assert.Less(t, sent.Load(), int64(8<<20+64<<20), "the server stopped once the client hung up")
	assert.Less(t, alloc, uint64(64<<20), "memory bounded by the limit, not by the answer")
}

// TestGzipBombIsBoundedByDecompressedBytes: 1.5 GiB inflated from about 1.5 MB on the wire
// fails at the limit, on the project's own GETs, the long poll and go-fastly's calls alike.
func TestGzipBombIsBoundedByDecompressedBytes(t *testing.T) {
	const bomb = 3 << 29
	cases := map[string]struct {
		prefix, path string
		limit        int64
		call         func(context.Context, *Client) error
	}{
		"events (own GET)":     {"/events", "/events", 8 << 20, everyPath["events"]},
		"real-time long poll":  {"/v1/channel", "/v1/channel/svc1/ts/0", 64 << 20, everyPath["realtime"]},
		"token (go-fastly)":    {"/tokens/self", "/tokens/self", 1 << 20, everyPath["token"]},
		"services (go-fastly)": {"/service", "/service", 16 << 20, everyPath["services"]},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := simClient(t, fastlysim.Fault{PathPrefix: tc.prefix, GzipBomb: bomb})
			var err error
			alloc := allocatedBy(func() { err = tc.call(context.Background(), c) })
			requireTooLarge(t, err, tc.path, tc.limit)
			assert.Less(t, alloc, uint64(4*tc.limit+32<<20), "memory bounded by the limit, not by the bomb")
		})
	}
}

func TestEveryEndpointHasALimit(t *testing.T) {
	for _, path := range []string{"/stats/service/x", "/stats/field/requests", "/stats", "/stats/usage_by_service", "/stats/regions",
		"/metrics/origins/services/x", "/v1/channel/x/ts/0", "/events", "/service", "/datacenters", "/tokens/self", "/user/x", "/enabled-products/v1/x"} {
		limit := bodyLimit(path)
		assert.Positive(t, limit, path)
		assert.LessOrEqual(t, limit, int64(128<<20), path)
	}
	assert.Equal(t, int64(1<<20), bodyLimit("/stats/regions"), "the first matching prefix wins")
}
