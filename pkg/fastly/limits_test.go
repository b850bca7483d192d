package fastly

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// countingTransport counts the bytes the client pulled out of every answer, after net/http's
// gzip decoding: what the plugin could have held in memory. Unlike a memory sample it does not
// depend on timing or on other goroutines.
type countingTransport struct{ read atomic.Int64 }

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil {
		resp.Body = countingBody{resp.Body, &c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
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

// simClient is a client of a simulator with fault injected, and the count of answer bytes it
// read.
func simClient(t *testing.T, fault fastlysim.Fault) (*Client, *countingTransport) {
	t.Helper()
	sim := fastlysim.New(fastlysim.Config{Token: testToken})
	sim.InjectFault(fault)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	counter := &countingTransport{}
	return NewClient(Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: testToken, HTTPClient: &http.Client{Transport: counter}}), counter
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
	counter := &countingTransport{}
	c := NewClient(Config{APIURL: srv.URL, Token: testToken, HTTPClient: &http.Client{Transport: counter}})
	_, err := c.Events(context.Background(), EventsQuery{From: time.Unix(0, 0), To: time.Unix(60, 0)})
	requireTooLarge(t, err, "/events", 8<<20)
	assert.Equal(t, int64(8<<20+1), counter.read.Load(), "the client read the limit and one byte more")
	srv.Close() // waits for the handler: sent is final
	assert.Less(t, sent.Load(), int64(8<<20+64<<20), "the server stopped once the client hung up")
}

// TestLimitsApplyBehindAProxyPrefix: an API URL with a path of its own (a proxy's prefix)
// keeps each endpoint's limit, not the small default for unknown paths.
func TestLimitsApplyBehindAProxyPrefix(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte{' '}, 64<<10)
		for range 16 << 4 { // 16 MiB, more than the events limit
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{APIURL: srv.URL + "/proxy", Token: testToken, HTTPClient: srv.Client()})
	_, err := c.Events(context.Background(), EventsQuery{From: time.Unix(0, 0), To: time.Unix(60, 0)})
	requireTooLarge(t, err, "/proxy/events", 8<<20)
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
			c, counter := simClient(t, fastlysim.Fault{PathPrefix: tc.prefix, GzipBomb: bomb})
			err := tc.call(context.Background(), c)
			requireTooLarge(t, err, tc.path, tc.limit)
			// The plugin inflates itself (gzipTransport), so the transport below counts gzip bytes:
			// what inflates to the limit is ~1/1000 of it, the whole bomb ~1.5 MB.
			assert.Less(t, counter.read.Load(), tc.limit/100, "the client inflated the limit, not the bomb")
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

// TestAnswerAnnouncedTooLargeFailsAtOnce: a Content-Length above the limit fails at the first
// byte, without reading up to the limit.
func TestAnswerAnnouncedTooLargeFailsAtOnce(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(2<<20))
		_, _ = w.Write(bytes.Repeat([]byte{' '}, 2<<20))
	}))
	t.Cleanup(srv.Close)
	counter := &countingTransport{}
	c := NewClient(Config{APIURL: srv.URL, Token: testToken, HTTPClient: &http.Client{Transport: counter}})
	_, err := c.TokenSelf(context.Background())
	requireTooLarge(t, err, "/tokens/self", 1<<20)
	assert.Equal(t, int64(1), counter.read.Load(), "one byte read, not a mebibyte")
}
