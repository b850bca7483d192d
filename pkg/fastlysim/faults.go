package fastlysim

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault makes the simulator misbehave for matching requests, so tests can check retries,
// rate-limit handling, timeouts and decoding errors. The next Times matching requests (0 =
// until ClearFaults) get the fault; faults apply before authentication and routing.
type Fault struct {
	PathPrefix string        // e.g. "/stats", "/tokens/self", "/v1/channel"
	Status     int           // HTTP status to answer with (with a realistic Fastly JSON error body), 0 = normal status
	Body       string        // overrides the body
	Malformed  bool          // send a truncated/invalid JSON body with status 200
	Delay      time.Duration // wait before answering (respect the request context)
	RetryAfter string        // sets Retry-After (e.g. with 429)
	RedirectTo string        // answer 307 to this base URL plus the request's path and query (a proxy sending the client elsewhere)
	Oversize   int64         // answer 200 with a JSON body this many bytes long (mostly whitespace)
	GzipBomb   int64         // answer 200 with a gzip body that inflates to this many bytes (a few KB per MiB on the wire)
	Times      int
}

// InjectFault adds a fault; earlier faults win when several match.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault returns the first matching fault and counts it against its Times.
func (s *Server) takeFault(path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if !strings.HasPrefix(path, f.PathPrefix) {
			continue
		}
		got := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &got
	}
	return nil
}

// applyFault answers r according to a matching fault and reports whether it did; a fault that
// only delays lets normal handling continue afterwards.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request) bool {
	f := s.takeFault(r.URL.Path)
	if f == nil {
		return false
	}
	if f.Delay > 0 && !s.wait(r.Context(), f.Delay) {
		return true // the client gave up; nobody reads an answer
	}
	if f.RetryAfter != "" {
		w.Header().Set("Retry-After", f.RetryAfter)
	}
	switch {
	case f.RedirectTo != "":
		http.Redirect(w, r, f.RedirectTo+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		return true
	case f.Oversize > 0:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		writeRepeated(w, []byte(`{"status":"success","data":[`), f.Oversize, spaces(64<<10))
		return true
	case f.GzipBomb > 0:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusOK)
		member := gzippedMiB()
		for n := int64(0); n < f.GzipBomb; n += 1 << 20 {
			if _, err := w.Write(member); err != nil {
				return true // the client stopped reading
			}
		}
		return true
	case f.Malformed:
		writeRaw(w, http.StatusOK, "application/json", []byte(`{"status":"success","meta":{"from":"2024-03-12 15:39:42 UTC","to":`))
		return true
	case f.Status != 0:
		body := f.Body
		if body == "" {
			body = errorBody(f.Status)
		}
		if f.Status == http.StatusTooManyRequests {
			w.Header().Set("Fastly-RateLimit-Remaining", "0")
		}
		writeRaw(w, f.Status, "application/json", []byte(body))
		return true
	case f.Body != "":
		writeRaw(w, http.StatusOK, "application/json", []byte(f.Body))
		return true
	}
	return false
}

// writeRepeated writes head, then chunk again and again until total bytes are out or the
// client stops reading.
func writeRepeated(w http.ResponseWriter, head []byte, total int64, chunk []byte) {
	if _, err := w.Write(head); err != nil {
		return
	}
	for n := int64(len(head)); n < total; n += int64(len(chunk)) {
		if _, err := w.Write(chunk[:min(int64(len(chunk)), total-n)]); err != nil {
			return
		}
	}
}

func spaces(n int) []byte { return bytes.Repeat([]byte{' '}, n) }

// gzippedMiB is one gzip member holding a MiB of spaces. Members concatenate into one valid
// gzip stream, so a bomb of any size costs the simulator nothing to build.
var gzippedMiB = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(spaces(1 << 20))
	_ = zw.Close()
	return buf.Bytes()
})

// errorBody is the JSON Fastly sends with an error status.
func errorBody(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return `{"msg":"Provided credentials are missing or invalid"}`
	case http.StatusForbidden:
		return `{"msg":"You are not authorized to perform this action","detail":"The token does not have the required scope"}`
	case http.StatusNotFound:
		return `{"msg":"Record not found","detail":"Cannot find what you asked for"}`
	case http.StatusTooManyRequests:
		return `{"msg":"Too many requests","detail":"Rate limit exceeded, please retry later"}`
	case http.StatusBadRequest:
		return `{"status":"error","msg":"Bad request","detail":"The request was invalid"}`
	case http.StatusServiceUnavailable:
		return `{"msg":"Service Unavailable","detail":"The service is temporarily unavailable, please retry"}`
	case http.StatusGatewayTimeout:
		return `{"msg":"Gateway Timeout","detail":"The upstream did not answer in time"}`
	}
	if status >= 500 {
		return `{"msg":"Internal Server Error","detail":"An unexpected error occurred"}`
	}
	return `{"msg":"` + http.StatusText(status) + `"}`
}
