package fastlysim

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type eventsPage struct {
	Data []struct {
		ID         string         `json:"id"`
		Type       string         `json:"type"`
		Attributes map[string]any `json:"attributes"`
	} `json:"data"`
	Links map[string]string `json:"links"`
	Meta  map[string]any    `json:"meta"`
}

func TestEventsShapeAndPaging(t *testing.T) {
	h := newHarness(t, Config{})
	var fx map[string]any
	fixture(t, "events_list_page1.json", &fx)
	var raw map[string]any
	h.getOK("/events?page[number]=1&page[size]=1", &raw)
	assert.Equal(t, keysOf(fx), keysOf(raw))
	fxEvent := fx["data"].([]any)[0].(map[string]any)
	gotEvent := raw["data"].([]any)[0].(map[string]any)
	assert.Equal(t, keysOf(fxEvent), keysOf(gotEvent))
	assert.Equal(t, keysOf(fxEvent["attributes"].(map[string]any)), keysOf(gotEvent["attributes"].(map[string]any)))
	assert.Equal(t, keysOf(fx["meta"].(map[string]any)), keysOf(raw["meta"].(map[string]any)))

	// Follow links.next through every activation of the shop service in the last 30 days.
	since := testNow.AddDate(0, 0, -30).Format(time.RFC3339)
	q := url.Values{"filter[service_id]": {ShopServiceID}, "filter[event_type]": {"version.activate"},
		"filter[created_at][gte]": {since}, "page[size]": {"3"}}
	next := "/events?" + q.Encode()
	var all []time.Time
	versions := map[string]bool{}
	for next != "" {
		var p eventsPage
		h.getOK(strings.TrimPrefix(next, h.http.URL), &p)
		for _, e := range p.Data {
			assert.Equal(t, "event", e.Type)
			assert.Equal(t, ShopServiceID, e.Attributes["service_id"])
			assert.Equal(t, "version.activate", e.Attributes["event_type"])
			at, err := time.Parse(time.RFC3339, e.Attributes["created_at"].(string))
			require.NoError(t, err)
			assert.False(t, at.Before(testNow.AddDate(0, 0, -30)))
			assert.False(t, at.After(testNow))
			all = append(all, at)
			versions[e.Attributes["description"].(string)] = true
		}
		next = p.Links["next"]
	}
	assert.GreaterOrEqual(t, len(all), 5, "activations every few days")
	assert.Len(t, versions, len(all), "each activation names its own version")
	assert.True(t, versions["Version 42 was activated"], "the newest activation is the active version")
	for i := 1; i < len(all); i++ {
		assert.False(t, all[i].After(all[i-1]), "newest first")
	}

	var again eventsPage
	h.getOK("/events?"+q.Encode(), &again)
	assert.Equal(t, all[0].Format(time.RFC3339), again.Data[0].Attributes["created_at"], "deterministic")

	var purges eventsPage
	h.getOK("/events?filter[event_type]=service.purge_all&page[size]=100", &purges)
	assert.NotEmpty(t, purges.Data)
	assert.Equal(t, http.StatusBadRequest, h.get("/events?page[size]=1000").status)
}

func TestEnabledProducts(t *testing.T) {
	h := newHarness(t, Config{})
	var fx, got map[string]any
	fixture(t, "enabled_products_origin_inspector_enabled.json", &fx)
	h.getOK("/enabled-products/v1/origin_inspector/services/"+ShopServiceID, &got)
	assert.Equal(t, keysOf(fx), keysOf(got))
	assert.Equal(t, "/enabled-products/v1/origin_inspector/services/"+ShopServiceID, got["_links"].(map[string]any)["self"])
	h.getOK("/enabled-products/v1/domain_inspector/services/"+APIServiceID, &got)

	r := h.get("/enabled-products/v1/origin_inspector/services/" + StaticServiceID)
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, "application/problem+json", r.header.Get("Content-Type"))
	var fxOff, off map[string]any
	fixture(t, "enabled_products_origin_inspector_disabled_400.json", &fxOff)
	decodeExact(t, r.body, &off)
	assert.Equal(t, fxOff, off)
}

func TestUsage(t *testing.T) {
	h := newHarness(t, Config{})
	day := testNow.Truncate(24*time.Hour).AddDate(0, 0, -1)
	q := fmt.Sprintf("from=%d&to=%d", day.Unix(), day.Add(24*time.Hour).Unix()) // the reference lists only these

	var fx, got statsEnvelope[map[string]map[string]any]
	fixture(t, "historical_usage_by_region.json", &fx)
	h.getOK("/stats/usage?"+q, &got)
	assert.Subset(t, keysOf(anyMap(got.Data)), keysOf(anyMap(fx.Data)), "every recorded region")
	assert.Equal(t, Regions, keysOf(anyMap(got.Data)), "and the eleven of today")
	var reqs, compute, bw int64
	for region, u := range got.Data {
		assert.Equal(t, keysOf(fx.Data["usa"]), keysOf(u), region)
		reqs += num(t, u, "requests")
		compute += num(t, u, "compute_requests")
		bw += num(t, u, "bandwidth")
	}
	var agg statsEnvelope[[]map[string]any]
	h.getOK("/stats/aggregate?by=day&"+q, &agg)
	require.Len(t, agg.Data, 1)
	assert.Equal(t, num(t, agg.Data[0], "requests"), reqs, "usage requests count VCL only, as the account's requests do")
	assert.Equal(t, num(t, agg.Data[0], "compute_requests"), compute, "Compute's are beside them")
	assert.Positive(t, compute)
	assert.Equal(t, num(t, agg.Data[0], "bandwidth"), bw)

	var byService statsEnvelope[map[string]map[string]map[string]any]
	h.getOK("/stats/usage_by_service?"+q, &byService)
	assert.Equal(t, Regions, keysOf(anyMap(byService.Data)))
	assert.Empty(t, byService.Data["africa_std"], "regions without traffic are empty maps")
	shopEU := byService.Data["europe"][ShopServiceID]
	rec, ok := h.sim.Record(ShopServiceID, "day", day, "europe")
	require.True(t, ok)
	assert.Equal(t, rec["requests"], num(t, shopEU, "requests"))
	assert.Equal(t, rec["bandwidth"], num(t, shopEU, "bandwidth"))
	assert.NotContains(t, byService.Data["europe"], IdleServiceID)
	computeUSA := byService.Data["usa"][ComputeServiceID]
	assert.Zero(t, num(t, computeUSA, "requests"), "a Compute service's usage requests are 0")
	assert.Positive(t, num(t, computeUSA, "compute_requests"))
}

// TestUsageRegionParameter: the reference lists no region for the usage endpoints. Strict, the
// simulator refuses it; lenient, it ignores it as Fastly's engineers saw the live API do: every
// region comes back, the data the same as unfiltered, meta.region echoing what was sent.
func TestUsageRegionParameter(t *testing.T) {
	h := newHarness(t, Config{})
	day := testNow.Truncate(24*time.Hour).AddDate(0, 0, -1)
	q := fmt.Sprintf("from=%d&to=%d", day.Unix(), day.Add(24*time.Hour).Unix())
	for _, path := range []string{"/stats/usage", "/stats/usage_by_service"} {
		assert.Equal(t, http.StatusBadRequest, h.get(path+"?"+q+"&region=europe").status, "strict: %s refuses region", path)
	}
	h.sim.SetStrictParams(false)
	for _, path := range []string{"/stats/usage", "/stats/usage_by_service"} {
		var all, europe statsEnvelope[map[string]any]
		h.getOK(path+"?"+q, &all)
		h.getOK(path+"?"+q+"&region=europe", &europe)
		assert.Equal(t, all.Data, europe.Data, "%s ignores region", path)
		assert.Len(t, europe.Data, len(Regions))
		assert.Equal(t, "europe", europe.Meta.Region)
	}
}

func anyMap[V any](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
