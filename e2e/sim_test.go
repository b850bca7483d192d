package e2e

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// simToken is the only key the simulator accepts. It is distinctive so that a leak into any
// message the plugin returns is easy to spot.
const simToken = "e2e-Tok3n-0f-the-simulator-7c1d2b"

// fixture is a running plugin and a simulator it is configured against.
type fixture struct {
	p   *pluginProc
	sim *fastlysim.Server
	url string
	cfg dsConfig // a working data source: right URL, right token
}

// newFixture starts the simulator on a loopback port and a plugin process. The simulator runs
// on the real clock because the plugin does: both must agree on which buckets are settled.
// Tests query ranges that ended well in the past, so results do not move under them.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: time.Now})
	srv := httptest.NewServer(sim) // binds 127.0.0.1:0
	t.Cleanup(srv.Close)
	return &fixture{
		p:   startPlugin(t),
		sim: sim,
		url: srv.URL,
		cfg: dsConfig{ID: 10, APIURL: srv.URL, RealtimeURL: srv.URL, Token: simToken},
	}
}

// with returns another data source on the same simulator; each needs its own ID.
func (f *fixture) with(id int64, token string) dsConfig {
	c := f.cfg
	c.ID, c.Token = id, token
	return c
}

// assertNoToken fails when any text the plugin returned carries the simulator's token.
func assertNoToken(t *testing.T, where string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(s, simToken) {
			t.Errorf("%s leaks the API token: %q", where, s)
		}
	}
}

// num reads a number from a simulator record, whatever Go type it was kept as.
func num(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return math.NaN(), false
}

// recordCount is an integer field of the record the simulator serves for one bucket; a bucket
// or field it leaves out counts as zero, as the plugin must show it once settled.
func (f *fixture) recordCount(t *testing.T, serviceID, by string, start time.Time, field string) int64 {
	t.Helper()
	rec, ok := f.sim.Record(serviceID, by, start, "")
	if !ok {
		return 0
	}
	v, ok := num(rec[field])
	if !ok {
		return 0
	}
	return int64(v)
}

// simGet reads an endpoint of the simulator directly, to learn what it serves the plugin.
func (f *fixture) simGet(t *testing.T, path string, into any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Fastly-Key", simToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s from the simulator: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s from the simulator: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("GET %s from the simulator: %v", path, err)
	}
}
