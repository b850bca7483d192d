package e2e

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

type serviceJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

func decode[T any](t *testing.T, r resourceReply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("resource answer is not the expected JSON (%v): %s", err, r.Body)
	}
	return v
}

// errorText is the "error" of a JSON error answer; every resource error must be one.
func errorText(t *testing.T, r resourceReply) string {
	t.Helper()
	e := decode[map[string]string](t, r)
	if e["error"] == "" {
		t.Fatalf("error answer without an error message: %s", r.Body)
	}
	return e["error"]
}

// TestResourceServices checks the service picker: the whole account across every page of
// /service, and the name filter.
func TestResourceServices(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	want := f.sim.Services()
	if len(want) <= 20 {
		t.Fatalf("the simulator has %d services: too few to need paging, the test proves nothing", len(want))
	}

	r := f.p.callResource(t, pc, http.MethodGet, "services")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /services: status %d: %s", r.Status, r.Body)
	}
	got := decode[[]serviceJSON](t, r)
	byID := map[string]serviceJSON{}
	for _, s := range got {
		byID[s.ID] = s
	}
	if len(got) != len(want) || len(byID) != len(want) {
		t.Errorf("GET /services returned %d services (%d distinct), the simulator has %d", len(got), len(byID), len(want))
	}
	for _, w := range want {
		g, ok := byID[w.ID]
		if !ok {
			t.Errorf("service %s (%s) missing", w.ID, w.Name)
			continue
		}
		if g.Name != w.Name || g.Type != w.Type {
			t.Errorf("service %s = %+v, want name %q type %q", w.ID, g, w.Name, w.Type)
		}
	}
	if !slices.IsSortedFunc(got, func(a, b serviceJSON) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	}) {
		t.Errorf("services are not sorted by name for the picker")
	}

	// "shop" matches only www.example-shop.com; "EXAMPLE" (case-insensitive) matches both
	// example.* services.
	for needle, wantIDs := range map[string][]string{
		"shop":    {fastlysim.ShopServiceID},
		"EXAMPLE": {fastlysim.APIServiceID, fastlysim.ShopServiceID},
	} {
		r := f.p.callResource(t, pc, http.MethodGet, "services?query="+needle)
		if r.Status != http.StatusOK {
			t.Fatalf("GET /services?query=%s: status %d: %s", needle, r.Status, r.Body)
		}
		var ids []string
		for _, s := range decode[[]serviceJSON](t, r) {
			ids = append(ids, s.ID)
		}
		slices.Sort(ids)
		slices.Sort(wantIDs)
		if !slices.Equal(ids, wantIDs) {
			t.Errorf("GET /services?query=%s = %v, want %v", needle, ids, wantIDs)
		}
	}
}

// TestResourcePOPsAndRegions checks the lookups behind the POP and region pickers against what
// the simulator serves.
func TestResourcePOPsAndRegions(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()

	r := f.p.callResource(t, pc, http.MethodGet, "pops")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /pops: status %d: %s", r.Status, r.Body)
	}
	type popJSON struct {
		Code, Name, Group   string
		Latitude, Longitude float64
	}
	got := map[string]popJSON{}
	for _, p := range decode[[]popJSON](t, r) {
		got[p.Code] = p
	}
	want := fastlysim.POPs()
	if len(got) != len(want) {
		t.Errorf("GET /pops returned %d POPs, the simulator serves %d", len(got), len(want))
	}
	for _, w := range want {
		g, ok := got[w.Code]
		if !ok {
			t.Errorf("POP %s missing", w.Code)
			continue
		}
		if g.Name != w.Name || g.Group != w.Group || g.Latitude != w.Latitude || g.Longitude != w.Longitude {
			t.Errorf("POP %s = %+v, want %+v", w.Code, g, w)
		}
		if g.Latitude == 0 && g.Longitude == 0 {
			t.Errorf("POP %s has no coordinates", w.Code)
		}
	}

	r = f.p.callResource(t, pc, http.MethodGet, "regions")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /regions: status %d: %s", r.Status, r.Body)
	}
	regions := decode[[]string](t, r)
	if !slices.Equal(regions, fastlysim.Regions) {
		t.Errorf("GET /regions = %v, want %v", regions, fastlysim.Regions)
	}
}

// TestResourceMetricsAndRouting needs no Fastly call: the catalog is built in, and wrong
// methods, paths and query types must get JSON errors with the right status.
func TestResourceMetricsAndRouting(t *testing.T) {
	p := startPlugin(t)
	pc := dsConfig{ID: 2, APIURL: "http://127.0.0.1:1", RealtimeURL: "http://127.0.0.1:1", Token: simToken}.pluginContext()

	r := p.callResource(t, pc, http.MethodGet, "metrics?queryType=stats")
	if r.Status != http.StatusOK {
		t.Fatalf("GET /metrics?queryType=stats: status %d: %s", r.Status, r.Body)
	}
	type metricJSON struct {
		Name, Label, Unit string
		Kinds             []string
	}
	byName := map[string]metricJSON{}
	for _, m := range decode[[]metricJSON](t, r) {
		byName[m.Name] = m
		if !slices.Contains(m.Kinds, "historical") {
			t.Errorf("metric %s (kinds %v) listed for stats queries", m.Name, m.Kinds)
		}
	}
	for name, unit := range map[string]string{"requests": "short", "hit_ratio": "percentunit", "status_5xx": "short"} {
		m, ok := byName[name]
		switch {
		case !ok:
			t.Errorf("catalog for stats lacks %s", name)
		case m.Unit != unit || m.Label == "":
			t.Errorf("catalog entry %s = %+v, want unit %q and a label", name, m, unit)
		}
	}

	for _, c := range []struct {
		method, path string
		status       int
		says         string
	}{
		{http.MethodPost, "services", http.StatusMethodNotAllowed, "POST is not supported"},
		{http.MethodGet, "nope", http.StatusNotFound, `"/nope"`},
		{http.MethodGet, "metrics?queryType=bogus", http.StatusBadRequest, `"bogus"`},
	} {
		r := p.callResource(t, pc, c.method, c.path)
		if r.Status != c.status {
			t.Errorf("%s /%s: status %d, want %d: %s", c.method, c.path, r.Status, c.status, r.Body)
			continue
		}
		if msg := errorText(t, r); !strings.Contains(msg, c.says) {
			t.Errorf("%s /%s: error %q does not mention %s", c.method, c.path, msg, c.says)
		}
	}
}
