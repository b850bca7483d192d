package fastlysim

import (
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
	q := rangeQ("day", day, day.Add(24*time.Hour), "")

	var fx, got statsEnvelope[map[string]map[string]any]
	fixture(t, "historical_usage_by_region.json", &fx)
	h.getOK("/stats/usage?"+q, &got)
	assert.Equal(t, keysOf(anyMap(fx.Data)), keysOf(anyMap(got.Data)))
	var reqs, bw int64
	for region, u := range got.Data {
		assert.Equal(t, keysOf(fx.Data[region]), keysOf(u))
		reqs += num(t, u, "requests")
		bw += num(t, u, "bandwidth")
	}
	var agg statsEnvelope[[]map[string]any]
	h.getOK("/stats/aggregate?"+q, &agg)
	require.Len(t, agg.Data, 1)
	assert.Equal(t, num(t, agg.Data[0], "requests"), reqs, "usage over regions = account total")
	assert.Equal(t, num(t, agg.Data[0], "bandwidth"), bw)

	var byService statsEnvelope[map[string]map[string]map[string]any]
	h.getOK("/stats/usage_by_service?"+q, &byService)
	assert.Equal(t, keysOf(anyMap(fx.Data)), keysOf(anyMap(byService.Data)))
	assert.Empty(t, byService.Data["africa_std"], "regions without traffic are empty maps")
	shopEU := byService.Data["europe"][ShopServiceID]
	rec, ok := h.sim.Record(ShopServiceID, "day", day, "europe")
	require.True(t, ok)
	assert.Equal(t, rec["requests"], num(t, shopEU, "requests"))
	assert.Equal(t, rec["bandwidth"], num(t, shopEU, "bandwidth"))
	assert.NotContains(t, byService.Data["europe"], IdleServiceID)
}

func anyMap[V any](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
