package fastly

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// bodyLimits bound the decompressed size of one answer, per endpoint (the first matching path
// prefix wins). Each is far above what Fastly sends for the largest query the plugin makes
// (for stats, maxWholeRecords records of ~5 KB) and far below what would exhaust memory, since
// a body is held whole while it is decoded.
var bodyLimits = []struct {
	prefix string
	limit  int64
}{
	{"/stats/regions", 1 << 20},
	{"/stats/usage", 16 << 20}, // regions × services × months
	{"/stats", 128 << 20},
	{"/metrics/", 64 << 20}, // one inspector page: 200 series of up to 10 metrics
	{"/v1/", 64 << 20},      // one real-time answer: 120 s of every POP
	{"/events", 8 << 20},    // one page of 100 events
	{"/service", 16 << 20},  // one page of 100 services
	{"/datacenters", 4 << 20},
	// a page of log records or a top-100 ranking is kilobytes; a per-minute series of many
	// URLs over a day is a few megabytes
	{"/observability/", 32 << 20},
}

// defaultBodyLimit covers the small answers: /tokens/self, /user, /enabled-products, errors.
const defaultBodyLimit = 1 << 20

// bodyLimit is the most the plugin reads of an answer for path.
func bodyLimit(path string) int64 {
	for _, l := range bodyLimits {
		if strings.HasPrefix(path, l.prefix) {
			return l.limit
		}
	}
	return defaultBodyLimit
}

// TooLargeError is an answer longer than the plugin's limit for its endpoint. Reading stopped
// at the limit, so a runaway or hostile answer (a gzip bomb included: the limit counts
// decompressed bytes) cannot exhaust memory.
type TooLargeError struct {
	Path  string
	Limit int64 // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("Fastly's answer for %s is larger than the plugin's limit of %d MiB for that endpoint: ask for a shorter time range, fewer services or fewer metrics",
		e.Path, e.Limit>>20)
}

// limitTransport caps every answer's body at its endpoint's limit. It wraps the transport that
// Grafana configured, whose transparent gzip decoding has already happened, so it counts the
// decompressed bytes the plugin would hold in memory; it serves the project's own calls, the
// long poll and go-fastly's calls alike.
type limitTransport struct {
	next     http.RoundTripper
	basePath string // the configured URL's own path (a proxy's prefix), which the table leaves out
}

func (t limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	limit := bodyLimit(strings.TrimPrefix(req.URL.Path, t.basePath))
	left := limit
	if resp.ContentLength > limit {
		left = 0 // announced too large: fail at the first read rather than after the limit
	}
	resp.Body = &limitedBody{rc: resp.Body, left: left, err: &TooLargeError{Path: req.URL.Path, Limit: limit}}
	return resp, nil
}

// limitedBody reads up to left bytes, then fails with err if the answer goes on.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
	err  *TooLargeError
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, err := b.rc.Read(one[:]); n == 0 {
			return 0, err
		}
		return 0, b.err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
