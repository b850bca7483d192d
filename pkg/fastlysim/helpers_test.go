package fastlysim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is a Friday afternoon, so the shop and API services are busy.
var testNow = time.Date(2026, 11, 20, 15, 30, 20, 0, time.UTC)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// step is an After on which waiting takes no real time: the clock jumps forward by d.
func (c *fakeClock) step(d time.Duration) <-chan time.Time {
	c.Add(d)
	ch := make(chan time.Time, 1)
	ch <- c.Now()
	return ch
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t     *testing.T
	sim   *Server
	http  *httptest.Server
	clock *fakeClock
}

// newHarness serves a simulator accepting "sim-token" on a fake clock at testNow.
func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = "sim-token"
	}
	return newRawHarness(t, cfg)
}

func newRawHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	clock := &fakeClock{t: testNow}
	if cfg.Now == nil {
		cfg.Now = clock.Now
	}
	h := &harness{t: t, sim: New(cfg), clock: clock}
	h.http = httptest.NewServer(h.sim)
	t.Cleanup(h.http.Close)
	return h
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (h *harness) getKey(path, key string) resp {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodGet, h.http.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Fastly-Key", key)
	}
	res, err := h.http.Client().Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (h *harness) get(path string) resp { h.t.Helper(); return h.getKey(path, "sim-token") }

// getOK fetches path, requires 200 and decodes the body with numbers kept exact.
func (h *harness) getOK(path string, into any) resp {
	h.t.Helper()
	r := h.get(path)
	if r.status != http.StatusOK {
		h.t.Fatalf("GET %s: status %d: %s", path, r.status, r.body)
	}
	decodeExact(h.t, r.body, into)
	return r
}

func decodeExact(t *testing.T, b []byte, into any) {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(into); err != nil {
		t.Fatalf("decode %.200s: %v", b, err)
	}
}

// fixtureDir holds the real Fastly answers every package's tests read: one copy, so the client
// and the simulator are checked against the same bytes.
const fixtureDir = "../fastly/testdata"

// fixture decodes a real Fastly answer into into, refusing fields it does not know.
func fixture(t *testing.T, name string, into any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	decodeExact(t, b, into)
}

// referenceNames reads a list of names from Fastly's API reference kept beside the fixtures
// (its header says which file of which version), as a set.
func referenceNames(t *testing.T, name string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out[line] = true
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s lists no name", name)
	}
	return out
}

func keysOf[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// statsEnvelope is the historical stats answer with records kept as generic maps.
type statsEnvelope[T any] struct {
	Data   T      `json:"data"`
	Status string `json:"status"`
	Msg    any    `json:"msg"`
	Meta   struct {
		From, To, By, Region string
		Datacenter           *string // absent unless the answer is filtered by POP
	} `json:"meta"`
}

func num(t *testing.T, rec map[string]any, key string) int64 {
	t.Helper()
	v, ok := rec[key]
	if !ok {
		return 0 // a missing key means 0
	}
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			t.Fatalf("%s=%v is not an integer", key, x)
		}
		return n
	case int64:
		return x
	}
	t.Fatalf("%s has type %T", key, v)
	return 0
}

func flt(t *testing.T, rec map[string]any, key string) float64 {
	t.Helper()
	switch x := rec[key].(type) {
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			t.Fatal(err)
		}
		return f
	case float64:
		return x
	case nil:
		return 0
	}
	t.Fatalf("%s has type %T", key, rec[key])
	return 0
}
