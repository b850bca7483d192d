// Package fastlysim is a Fastly API simulator: an http.Handler that answers the endpoints the
// plugin calls (historical stats, services, POPs, tokens, real-time channels, ...) with the
// real API's shapes and deterministic, internally consistent synthetic traffic. Tests use it
// to know exactly what the plugin was served (Record), what it asked for (Requests) and how it
// copes with failures (InjectFault); the demo runs it with cmd/fastlysim.
package fastlysim

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Config sets up a Server.
type Config struct {
	Token   string           // the only accepted Fastly-Key; "" accepts any non-empty key
	Now     func() time.Time // clock; nil = time.Now
	PerPage int              // default page size for /service (0 = 20, the API's default)
	// BusyServices adds that many generated services with quiet traffic (static-assets'
	// shape, each its own values) after the named ones: a large account, for benchmarks.
	BusyServices int
	// After waits for d on the simulator's clock (fault delays, real-time long polls). nil =
	// time.After when Now is nil; with an injected Now it polls that clock, so tests that move
	// their clock forward wake the waiters.
	After func(d time.Duration) <-chan time.Time
	// RealtimeRepeatBoundary makes /ts/{t} answer the second t - AggregateDelay again, besides
	// the newer ones. Fastly does not document whether it repeats that boundary second, so
	// the plugin is tested both ways.
	RealtimeRepeatBoundary bool
	// RealtimeCursorOnRecords sets Timestamp to the newest record + AggregateDelay even when
	// newer seconds passed without traffic, and holds a long poll until a record arrives, as
	// the real captures of a sparse service could also be read. Off: Timestamp follows the
	// clock, so idle seconds move it too.
	RealtimeCursorOnRecords bool
}

// Request is one request the simulator received, for tests that assert what the plugin asked.
type Request struct {
	Method, Path, RawQuery string
	At                     time.Time
}

// Server is the simulator. Its zero value is not usable; call New.
type Server struct {
	cfg      Config
	services []*svcInfo
	byID     map[string]*svcInfo
	mux      *http.ServeMux

	mu           sync.Mutex
	requests     []Request
	bytesOut     int64 // body bytes written since the last ResetRequests
	faults       []*Fault
	logBehaviour LogBehaviour
	dcFilter     DatacenterFilter
	minutes      MinuteRetention
	lenient      bool // SetStrictParams(false)
	// disabledInspectorEmpty: SetDisabledInspectorAnswer(true)
	disabledInspectorEmpty bool
	tokenSelf              TokenSelf
}

// New builds a simulator with the fixed set of services (see Services).
func New(cfg Config) *Server {
	if cfg.PerPage <= 0 {
		cfg.PerPage = 20
	}
	s := &Server{cfg: cfg, services: buildServices(cfg.BusyServices), byID: map[string]*svcInfo{}}
	for _, sv := range s.services {
		s.byID[sv.ID] = sv
	}
	s.routes()
	return s
}

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// wait blocks for d of simulated time, or until ctx ends (false).
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	var ch <-chan time.Time
	switch {
	case s.cfg.After != nil:
		ch = s.cfg.After(d)
	case s.cfg.Now == nil:
		t := time.NewTimer(d)
		defer t.Stop()
		ch = t.C
	default:
		ch = s.pollClock(ctx, s.now().Add(d))
	}
	select {
	case <-ch:
		return true
	case <-ctx.Done():
		return false
	}
}

// pollClock fires once the injected clock reaches deadline. It checks every millisecond of
// real time: the injected clock can only be observed, not subscribed to.
func (s *Server) pollClock(ctx context.Context, deadline time.Time) <-chan time.Time {
	ch := make(chan time.Time, 1)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if n := s.now(); !n.Before(deadline) {
				ch <- n
				return
			}
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// Services returns every service, in /service order.
func (s *Server) Services() []Service {
	out := make([]Service, len(s.services))
	for i, sv := range s.services {
		out[i] = sv.Service
	}
	return out
}

// Requests returns every request served so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests forgets the request log and the byte count.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	s.requests = nil
	s.bytesOut = 0
	s.mu.Unlock()
}

// BytesServed is how many body bytes (before any compression) the simulator has sent since it
// started or since ResetRequests: what a plan or a cache costs Fastly.
func (s *Server) BytesServed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytesOut
}

// countingWriter adds what a handler writes to the server's byte count. It counts before
// sending, so a client that has read an answer always finds it counted.
type countingWriter struct {
	http.ResponseWriter
	s *Server
}

func (w countingWriter) Write(b []byte) (int, error) {
	w.s.mu.Lock()
	w.s.bytesOut += int64(len(b))
	w.s.mu.Unlock()
	return w.ResponseWriter.Write(b)
}

// Flush passes through, so streamed answers still reach the client as they are written.
func (w countingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// ServeHTTP logs the request, applies any matching fault, checks the Fastly-Key and routes.
func (s *Server) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	w := countingWriter{ResponseWriter: rw, s: s}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, At: s.now()})
	s.mu.Unlock()
	if s.applyFault(w, r) {
		return
	}
	key := r.Header.Get("Fastly-Key")
	if key == "" || (s.cfg.Token != "" && key != s.cfg.Token) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"msg": "Provided credentials are missing or invalid"})
		return
	}
	if r.Method != http.MethodGet {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"msg": "Method not allowed", "detail": "the simulator serves GET only"})
		return
	}
	if s.refuseUnlisted(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /tokens/self", s.handleTokenSelf)
	m.HandleFunc("GET /service", s.handleServiceList)
	m.HandleFunc("GET /service/search", s.handleServiceSearch)
	m.HandleFunc("GET /service/{id}/details", s.handleServiceDetails)
	m.HandleFunc("GET /datacenters", s.handleDatacenters)
	m.HandleFunc("GET /stats/regions", s.handleRegions)
	m.HandleFunc("GET /stats", s.handleStatsAll)
	m.HandleFunc("GET /stats/aggregate", s.handleStatsAggregate)
	m.HandleFunc("GET /stats/field/{field}", s.handleStatsFieldAll)
	m.HandleFunc("GET /stats/service/{id}", s.handleStatsService)
	m.HandleFunc("GET /stats/service/{id}/field/{field}", s.handleStatsServiceField)
	s.extraRoutes(m)
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"msg": "Record not found", "detail": "Cannot find " + r.URL.Path})
	})
	s.mux = m
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, "application/json", b)
}

func writeRaw(w http.ResponseWriter, status int, ctype string, b []byte) {
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func (s *Server) service(w http.ResponseWriter, id string) *svcInfo {
	sv := s.byID[id]
	if sv == nil {
		writeJSON(w, http.StatusNotFound, map[string]any{"msg": "Record not found", "detail": "Couldn't find service '" + id + "'"})
	}
	return sv
}
