package fastly

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// simNow is the simulator's clock in this package's tests.
var simNow = time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)

// newSimClient is a Client of a Fastly simulator with a fixed clock, the simulator at hand to
// switch its behaviours and read what it was asked.
func newSimClient(t *testing.T) (*fastlysim.Server, *Client) {
	t.Helper()
	sim := fastlysim.New(fastlysim.Config{Token: testToken, Now: func() time.Time { return simNow }})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, NewClient(Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: testToken, HTTPClient: srv.Client()})
}
