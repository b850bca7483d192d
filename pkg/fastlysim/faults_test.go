package fastlysim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultStatusAndTimes(t *testing.T) {
	h := newHarness(t, Config{})
	h.sim.InjectFault(Fault{PathPrefix: "/stats", Status: http.StatusTooManyRequests, RetryAfter: "7", Times: 2})
	for i := 0; i < 2; i++ {
		r := h.get("/stats/service/" + ShopServiceID + "?by=hour")
		require.Equal(t, http.StatusTooManyRequests, r.status)
		assert.Equal(t, "7", r.header.Get("Retry-After"))
		var body map[string]any
		decodeExact(t, r.body, &body)
		assert.Equal(t, "Too many requests", body["msg"])
	}
	assert.Equal(t, http.StatusOK, h.get("/stats/service/"+ShopServiceID+"?by=hour").status, "Times=2 is used up")
	assert.Equal(t, http.StatusOK, h.get("/tokens/self").status, "other paths are untouched")

	h.sim.InjectFault(Fault{PathPrefix: "/tokens/self", Status: http.StatusServiceUnavailable})
	for i := 0; i < 3; i++ {
		assert.Equal(t, http.StatusServiceUnavailable, h.get("/tokens/self").status, "Times=0 lasts until cleared")
	}
	h.sim.ClearFaults()
	assert.Equal(t, http.StatusOK, h.get("/tokens/self").status)

	h.sim.InjectFault(Fault{PathPrefix: "/service", Status: http.StatusInternalServerError, Body: `{"msg":"custom"}`, Times: 1})
	r := h.get("/service")
	assert.Equal(t, http.StatusInternalServerError, r.status)
	assert.JSONEq(t, `{"msg":"custom"}`, string(r.body))

	// Faults come before authentication, as an outage would.
	h.sim.InjectFault(Fault{PathPrefix: "/", Status: http.StatusBadGateway, Times: 1})
	assert.Equal(t, http.StatusBadGateway, h.getKey("/tokens/self", "").status)
}

func TestFaultMalformed(t *testing.T) {
	h := newHarness(t, Config{})
	h.sim.InjectFault(Fault{PathPrefix: "/stats", Malformed: true, Times: 1})
	r := h.get("/stats/aggregate?by=hour")
	assert.Equal(t, http.StatusOK, r.status)
	var v any
	assert.Error(t, json.Unmarshal(r.body, &v))
	assert.Equal(t, http.StatusOK, h.get("/stats/aggregate?by=hour").status)
}

// manualAfter is an After hook the test fires by hand.
type manualAfter struct {
	called chan time.Duration
	fire   chan time.Time
}

func newManualAfter() *manualAfter {
	return &manualAfter{called: make(chan time.Duration, 8), fire: make(chan time.Time, 8)}
}

func (m *manualAfter) After(d time.Duration) <-chan time.Time {
	m.called <- d
	return m.fire
}

func TestFaultDelayWaitsOnTheClock(t *testing.T) {
	after := newManualAfter()
	h := newHarness(t, Config{After: after.After})
	h.sim.InjectFault(Fault{PathPrefix: "/tokens", Delay: 30 * time.Second, Times: 1})
	done := make(chan resp, 1)
	go func() { done <- h.get("/tokens/self") }()
	assert.Equal(t, 30*time.Second, <-after.called)
	select {
	case <-done:
		t.Fatal("answered before the delay passed")
	default:
	}
	after.fire <- testNow.Add(30 * time.Second)
	assert.Equal(t, http.StatusOK, (<-done).status, "a pure delay then answers normally")
}

func TestFaultDelayHonoursCancellation(t *testing.T) {
	after := newManualAfter()
	sim := New(Config{After: after.After, Now: func() time.Time { return testNow }})
	sim.InjectFault(Fault{PathPrefix: "/stats", Delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest(http.MethodGet, "/stats?by=hour", nil).WithContext(ctx)
	req.Header.Set("Fastly-Key", "k")
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { sim.ServeHTTP(rec, req); close(done) }()
	<-after.called
	cancel()
	<-done // returns without the hour passing
	assert.Empty(t, rec.Body.String())
}

func TestRequestLog(t *testing.T) {
	h := newHarness(t, Config{})
	h.get("/tokens/self")
	h.get("/stats/service/" + ShopServiceID + "?by=minute&from=1+hour+ago")
	h.getKey("/service", "")
	reqs := h.sim.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, Request{Method: "GET", Path: "/stats/service/" + ShopServiceID, RawQuery: "by=minute&from=1+hour+ago", At: testNow}, reqs[1])
	assert.Equal(t, "/service", reqs[2].Path, "refused requests are logged too")
	h.sim.ResetRequests()
	assert.Empty(t, h.sim.Requests())
}

func TestFaultRedirectToSendsTheClientElsewhere(t *testing.T) {
	h := newHarness(t, Config{})
	h.sim.InjectFault(Fault{PathPrefix: "/stats", RedirectTo: "https://elsewhere.example", Times: 1})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodGet, h.http.URL+"/stats/aggregate?by=hour", nil)
	require.NoError(t, err)
	req.Header.Set("Fastly-Key", "sim-token")
	res, err := noFollow.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusTemporaryRedirect, res.StatusCode)
	assert.Equal(t, "https://elsewhere.example/stats/aggregate?by=hour", res.Header.Get("Location"))
	assert.Equal(t, http.StatusOK, h.get("/stats/aggregate?by=hour").status, "Times=1 is used up")
}

func TestFaultOversizeAndGzipBombServeTheirSize(t *testing.T) {
	h := newHarness(t, Config{})
	h.sim.InjectFault(Fault{PathPrefix: "/stats", Oversize: 3<<20 + 5, Times: 1})
	r := h.get("/stats/aggregate?by=hour")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Len(t, r.body, 3<<20+5)
	assert.True(t, bytes.HasPrefix(r.body, []byte(`{"status":"success","data":[`)))

	h.sim.InjectFault(Fault{PathPrefix: "/events", GzipBomb: 5 << 20, Times: 1})
	r = h.get("/events")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Len(t, r.body, 5<<20, "the client inflated the bomb to its full size")
	assert.Empty(t, bytes.TrimSpace(r.body))
	assert.Less(t, len(gzippedMiB()), 8<<10, "a MiB costs a few KB on the wire")
}
