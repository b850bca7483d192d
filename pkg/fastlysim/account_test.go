package fastlysim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuth(t *testing.T) {
	h := newHarness(t, Config{})
	for _, key := range []string{"", "wrong"} {
		for _, path := range []string{"/tokens/self", "/stats?by=hour", "/service", "/datacenters", "/v1/channel/" + ShopServiceID + "/ts/0"} {
			r := h.getKey(path, key)
			assert.Equal(t, http.StatusUnauthorized, r.status, path)
			assert.JSONEq(t, `{"msg":"Provided credentials are missing or invalid"}`, string(r.body))
		}
	}
	assert.Equal(t, http.StatusOK, h.get("/tokens/self").status)

	open := newRawHarness(t, Config{}) // no Token: any non-empty key is accepted
	assert.Equal(t, http.StatusOK, open.getKey("/tokens/self", "anything").status)
	assert.Equal(t, http.StatusUnauthorized, open.getKey("/tokens/self", "").status)
}

func TestTokenSelfShape(t *testing.T) {
	h := newHarness(t, Config{})
	var fx, got map[string]any
	fixture(t, "tokens_self.json", &fx)
	h.getOK("/tokens/self", &got)
	assert.Equal(t, keysOf(fx), keysOf(got))
	assert.Equal(t, "global:read", got["scope"])
	assert.Equal(t, []any{"global:read"}, got["scopes"])
	assert.Equal(t, []any{}, got["services"])
	assert.Nil(t, got["expires_at"])
}

var linkRE = regexp.MustCompile(`<([^>]+)>; rel="(\w+)"`)

func links(header string) map[string]string {
	out := map[string]string{}
	for _, m := range linkRE.FindAllStringSubmatch(header, -1) {
		out[m[2]] = m[1]
	}
	return out
}

func TestServiceListPagination(t *testing.T) {
	h := newHarness(t, Config{})
	var fx []map[string]any
	fixture(t, "services_list_page1_of_3.json", &fx)

	seen := map[string]int{}
	var order []string
	next := h.http.URL + "/service"
	pages := 0
	var lastURL string
	for next != "" {
		r := h.get(strings.TrimPrefix(next, h.http.URL))
		require.Equal(t, http.StatusOK, r.status)
		var items []map[string]any
		decodeExact(t, r.body, &items)
		for _, it := range items {
			assert.Equal(t, keysOf(fx[0]), keysOf(it), "item shape")
			seen[it["id"].(string)]++
			order = append(order, it["id"].(string))
		}
		pages++
		l := links(r.header.Get("Link"))
		if pages == 1 {
			lastURL = l["last"]
			assert.Len(t, items, 20, "default per_page is 20")
			assert.True(t, strings.HasPrefix(r.header.Get("Link"), "<"+h.http.URL+"/service?page=3&per_page=20>; rel=\"last\", <"))
		}
		if l["next"] == "" {
			assert.Equal(t, lastURL, next, "the chain ends on the last page")
		}
		next = l["next"]
	}
	assert.Equal(t, 3, pages)
	require.Len(t, seen, len(h.sim.Services()))
	for id, n := range seen {
		assert.Equal(t, 1, n, id)
	}
	for i, s := range h.sim.Services() {
		assert.Equal(t, s.ID, order[i], "Services() is in /service order")
	}

	var big []map[string]any
	r := h.getOK("/service?page=1&per_page=500", &big)
	assert.Len(t, big, len(h.sim.Services()), "per_page is capped at 100")
	assert.Empty(t, r.header.Get("Link"))

	small := newHarness(t, Config{PerPage: 7})
	r = small.getOK("/service", &big)
	assert.Len(t, big, 7)
	assert.Contains(t, r.header.Get("Link"), "page=7&per_page=7>; rel=\"last\"")
}

func TestServiceSearchAndDetails(t *testing.T) {
	h := newHarness(t, Config{})
	var found map[string]any
	h.getOK("/service/search?name=api.example.com", &found)
	assert.Equal(t, APIServiceID, found["id"])
	assert.Equal(t, http.StatusNotFound, h.get("/service/search?name=nope").status)

	var fx, got map[string]any
	fixture(t, "service_details.json", &fx)
	h.getOK("/service/"+ShopServiceID+"/details", &got)
	assert.Equal(t, keysOf(fx), keysOf(got))
	assert.Equal(t, keysOf(fx["version"].(map[string]any)), keysOf(got["version"].(map[string]any)))
	assert.Equal(t, keysOf(fx["versions"].([]any)[0].(map[string]any)), keysOf(got["versions"].([]any)[0].(map[string]any)))
	assert.Equal(t, "www.example-shop.com", got["name"])
	assert.Equal(t, json.Number("42"), got["active_version"].(map[string]any)["number"])
	assert.Equal(t, http.StatusNotFound, h.get("/service/nope/details").status)
}

// TestDatacentersAndRegions: /datacenters is the recorded list (its 89 POPs, every recorded
// field as recorded) with the stats_region and billing_region today's reference defines;
// /stats/regions has the recorded regions and the two Fastly's engineers list since.
func TestDatacentersAndRegions(t *testing.T) {
	h := newHarness(t, Config{})
	var recorded, got []map[string]any
	require.NoError(t, json.Unmarshal(datacentersJSON, &recorded))
	h.getOK("/datacenters", &got)
	require.Len(t, got, len(recorded))
	require.Len(t, got, 89)
	statsRegions := map[string]bool{}
	for i, p := range got {
		for k, v := range recorded[i] {
			assert.Equal(t, fmt.Sprint(v), fmt.Sprint(p[k]), "%v: %s as recorded", p["code"], k)
		}
		assert.Len(t, p, len(recorded[i])+2, "%v: stats_region and billing_region added", p["code"])
		region, _ := p["stats_region"].(string)
		assert.Contains(t, Regions, region, p["code"])
		assert.NotEmpty(t, p["billing_region"], p["code"])
		statsRegions[region] = true
	}
	assert.Len(t, statsRegions, 9, "the recorded POPs sit in nine of the eleven regions (none in mexico or saudi_arabia)")

	var fx, regions statsEnvelope[[]string]
	fixture(t, "historical_stats_regions.json", &fx)
	h.getOK("/stats/regions", &regions)
	assert.Subset(t, regions.Data, fx.Data, "every recorded region")
	assert.Equal(t, []string{"africa_std", "anzac", "asia", "asia_india", "asia_southkorea", "europe", "latam", "mexico",
		"saudi_arabia", "southamerica_std", "usa"}, regions.Data, "the eleven of Fastly's engineers' notes")
	assert.Equal(t, "success", regions.Status)
	assert.Equal(t, "all", regions.Meta.Region)
}

func TestUnknownPathIsJSON404(t *testing.T) {
	h := newHarness(t, Config{})
	r := h.get("/nope")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
}
