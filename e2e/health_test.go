package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// TestCheckHealthWithoutToken is "Save & test" on a fresh data source: no call can work, and
// the message must tell the user what to add rather than show a Fastly error.
func TestCheckHealthWithoutToken(t *testing.T) {
	p := startPlugin(t)
	// No simulator is needed: the plugin must refuse before any network call. The URL points
	// at a closed port so that a call, if made, fails loudly instead of reaching anything.
	cfg := dsConfig{ID: 1, APIURL: "http://127.0.0.1:1", RealtimeURL: "http://127.0.0.1:1"}
	res := p.checkHealth(t, cfg.pluginContext())
	if res.Status != backend.HealthStatusError {
		t.Fatalf("status = %v, want ERROR; message %q", res.Status, res.Message)
	}
	if !strings.Contains(res.Message, "No Fastly API token") {
		t.Errorf("message %q does not say the token is missing", res.Message)
	}
	if !strings.Contains(string(res.JSONDetails), "API token field") {
		t.Errorf("details %s do not tell the user where to put a token", res.JSONDetails)
	}
}

// TestCheckHealthOK is "Save & test" with a good token: the message names the token and
// counts the services, both as the simulator serves them.
func TestCheckHealthOK(t *testing.T) {
	f := newFixture(t)
	var self struct {
		Name string `json:"name"`
	}
	f.simGet(t, "/tokens/self", &self)
	if self.Name == "" {
		t.Fatalf("the simulator's /tokens/self has no name")
	}

	res := f.p.checkHealth(t, f.cfg.pluginContext())
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("status = %v, want OK; message %q, details %s", res.Status, res.Message, res.JSONDetails)
	}
	for _, want := range []string{
		fmt.Sprintf("%q works", self.Name),
		fmt.Sprintf("It can see %d service(s)", len(f.sim.Services())),
	} {
		if !strings.Contains(res.Message, want) {
			t.Errorf("message %q lacks %q", res.Message, want)
		}
	}
	assertNoToken(t, "health message", res.Message, string(res.JSONDetails))
}

// TestCheckHealthWrongToken: a token Fastly rejects must be reported as such, and the rejected
// token must not be echoed back into the UI.
func TestCheckHealthWrongToken(t *testing.T) {
	f := newFixture(t)
	// The wrong token contains the right one, so a leak of either shows up in assertNoToken.
	wrong := simToken + "-revoked"
	res := f.p.checkHealth(t, f.with(11, wrong).pluginContext())
	if res.Status != backend.HealthStatusError {
		t.Fatalf("status = %v, want ERROR; message %q", res.Status, res.Message)
	}
	if !strings.Contains(res.Message, "rejected the API token") {
		t.Errorf("message %q does not say the token was rejected", res.Message)
	}
	assertNoToken(t, "health answer", res.Message, string(res.JSONDetails))

	// The same plugin process still serves the correctly configured data source.
	if ok := f.p.checkHealth(t, f.cfg.pluginContext()); ok.Status != backend.HealthStatusOk {
		t.Errorf("the good data source fails after the bad one: %q", ok.Message)
	}
}
