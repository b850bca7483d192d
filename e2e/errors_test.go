package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// failedResponse is the answer to refID, failing the test unless it is an error with status.
func failedResponse(t *testing.T, resp *backend.QueryDataResponse, refID string, status backend.Status) string {
	t.Helper()
	r, ok := resp.Responses[refID]
	if !ok {
		t.Fatalf("no response for %s", refID)
	}
	if r.Error == nil {
		t.Fatalf("%s succeeded with %d frames, want an error", refID, len(r.Frames))
	}
	if r.Status != status {
		t.Errorf("%s: status %d, want %d (%v)", refID, r.Status, status, r.Error)
	}
	msg := r.Error.Error()
	assertNoToken(t, refID+" error", msg)
	return msg
}

// wantContains fails for each phrase msg lacks.
func wantContains(t *testing.T, what, msg string, phrases ...string) {
	t.Helper()
	for _, p := range phrases {
		if !strings.Contains(msg, p) {
			t.Errorf("%s %q does not mention %q", what, msg, p)
		}
	}
}

// TestQueryErrorsAreIsolated: one bad query of a panel fails on its own with a message that
// names the problem, while its sibling in the same request is answered.
func TestQueryErrorsAreIsolated(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	unknownService := "ZZnotAFastlyService000"
	resp := f.p.queryData(t, f.cfg.pluginContext(),
		statsQuery("BADMETRIC", from, to, map[string]any{
			"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests", "no_such_metric"}, "resolution": "minute",
		}),
		statsQuery("BADSERVICE", from, to, map[string]any{
			"services": []string{unknownService}, "metrics": []string{"requests"}, "resolution": "minute",
		}),
		statsQuery("GOOD", from, to, map[string]any{
			"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}, "resolution": "minute",
		}))

	msg := failedResponse(t, resp, "BADMETRIC", backend.StatusBadRequest)
	wantContains(t, "unknown-metric error", msg, "no_such_metric")

	msg = failedResponse(t, resp, "BADSERVICE", backend.StatusNotFound)
	wantContains(t, "unknown-service error", msg, unknownService, "check the service id")

	good := okResponse(t, resp, "GOOD")
	if len(good.Frames) != 1 {
		t.Fatalf("the valid query got %d frames, want 1", len(good.Frames))
	}
	s := readSeries(t, good.Frames[0])
	s.checkGrid(t, from, time.Minute, 60)
	if want := f.recordCount(t, fastlysim.ShopServiceID, "minute", from, "requests"); s.values[0] == nil || int64(*s.values[0]) != want {
		t.Errorf("the valid query's first bucket = %v, the simulator served %d", deref(s.values[0]), want)
	}
}

// TestQueryFastlyFailures: Fastly failing (500) or rejecting the token (401) becomes a clear,
// token-free error for the query, and the plugin process keeps serving afterwards.
func TestQueryFastlyFailures(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	pc := f.cfg.pluginContext()
	q := statsQuery("A", from, to, map[string]any{
		"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}, "resolution": "minute",
	})

	// 500 is not retried by the plugin, so one faulty answer is enough.
	f.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Status: http.StatusInternalServerError, Times: 1})
	msg := failedResponse(t, f.p.queryData(t, pc, q), "A", backend.StatusBadGateway)
	wantContains(t, "500 error", msg, "Fastly answered 500", "Fastly-side failure")

	// A body cut off mid-JSON is Fastly's failure too (a bad gateway), not the user's query.
	f.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Malformed: true, Times: 1})
	msg = failedResponse(t, f.p.queryData(t, pc, q), "A", backend.StatusBadGateway)
	wantContains(t, "malformed-body error", msg, "could not be read")

	f.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Status: http.StatusUnauthorized, Times: 1})
	msg = failedResponse(t, f.p.queryData(t, pc, q), "A", backend.StatusUnauthorized)
	wantContains(t, "401 error", msg, "API token was rejected")

	// A data source whose token Fastly does not know: every call is a 401.
	wrong := simToken + "-revoked"
	msg = failedResponse(t, f.p.queryData(t, f.with(12, wrong).pluginContext(), q), "A", backend.StatusUnauthorized)
	wantContains(t, "wrong-token error", msg, "API token was rejected")

	// And with no token at all, nothing is sent and the user is told what to add.
	msg = failedResponse(t, f.p.queryData(t, f.with(13, "").pluginContext(), q), "A", backend.StatusUnauthorized)
	wantContains(t, "no-token error", msg, "no Fastly API token is configured")

	// The process survived all of that and answers with data again.
	r := okResponse(t, f.p.queryData(t, pc, q), "A")
	s := readSeries(t, r.Frames[0])
	if s.sum() == 0 {
		t.Errorf("after the faults, the query returns no traffic")
	}
	if f.p.client.Exited() {
		t.Errorf("the plugin process exited")
	}
}

// TestResourceErrors: resource routes report Fastly failures with the matching HTTP status
// and a JSON error that never carries the token.
func TestResourceErrors(t *testing.T) {
	f := newFixture(t)
	r := f.p.callResource(t, f.with(14, simToken+"-revoked").pluginContext(), http.MethodGet, "services")
	if r.Status != http.StatusUnauthorized {
		t.Errorf("GET /services with a rejected token: status %d, want 401: %s", r.Status, r.Body)
	}
	msg := errorText(t, r)
	wantContains(t, "/services error", msg, "API token was rejected")
	assertNoToken(t, "/services error", string(r.Body))

	r = f.p.callResource(t, f.with(15, "").pluginContext(), http.MethodGet, "pops")
	if r.Status != http.StatusUnauthorized {
		t.Errorf("GET /pops without a token: status %d, want 401: %s", r.Status, r.Body)
	}
	wantContains(t, "/pops error", errorText(t, r), "no Fastly API token")
}
