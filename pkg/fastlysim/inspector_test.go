package fastlysim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type inspectorAnswer struct {
	Data []struct {
		Dimensions map[string]string `json:"dimensions"`
		Values     []map[string]any  `json:"values"`
	} `json:"data"`
	Meta   map[string]any `json:"meta"`
	Status string         `json:"status"`
}

func inspPath(kind, id string, q string) string {
	return "/metrics/" + kind + "/services/" + id + "?" + q
}

func TestDomainInspectorHistory(t *testing.T) {
	h := newHarness(t, Config{})
	start := testNow.Truncate(time.Hour).Add(-8 * time.Hour)
	end := start.Add(8 * time.Hour)
	base := fmt.Sprintf("start=%d&end=%d&downsample=hour", start.Unix(), end.Unix())

	var fx map[string]any
	fixture(t, "domain_inspector_historical_by_domain_hourly.json", &fx)
	var raw map[string]any
	h.getOK(inspPath("domains", ShopServiceID, base+"&group_by=domain&metric=resp_body_bytes,status_2xx&datacenter=SJC,LHR&region=usa,europe&domain=www.example-shop.com,m.example-shop.com&limit=10"), &raw)
	assert.Equal(t, keysOf(fx), keysOf(raw))
	assert.Equal(t, keysOf(fx["meta"].(map[string]any)), keysOf(raw["meta"].(map[string]any)))
	assert.Equal(t, keysOf(fx["meta"].(map[string]any)["filters"].(map[string]any)), keysOf(raw["meta"].(map[string]any)["filters"].(map[string]any)))
	fxItem := fx["data"].([]any)[0].(map[string]any)
	item := raw["data"].([]any)[0].(map[string]any)
	assert.Equal(t, keysOf(fxItem), keysOf(item))
	assert.Equal(t, keysOf(fxItem["values"].([]any)[0].(map[string]any)), keysOf(item["values"].([]any)[0].(map[string]any)))
	assert.Equal(t, start.Format(time.RFC3339), raw["meta"].(map[string]any)["start"])

	// Domains split the service's traffic exactly.
	var byDomain inspectorAnswer
	h.getOK(inspPath("domains", ShopServiceID, base+"&group_by=domain&metric=edge_requests,bandwidth,edge_hit_ratio"), &byDomain)
	require.Len(t, byDomain.Data, 4)
	sums := map[int64]int64{}
	for _, d := range byDomain.Data {
		require.Len(t, d.Values, 8)
		for _, v := range d.Values {
			sums[num(t, v, "timestamp")] += num(t, v, "edge_requests")
			r := flt(t, v, "edge_hit_ratio")
			assert.True(t, r > 0.8 && r < 1, "ratio %v", r)
		}
	}
	for ts, n := range sums {
		rec, ok := h.sim.Record(ShopServiceID, "hour", time.Unix(ts, 0), "")
		require.True(t, ok)
		assert.Equal(t, rec["requests"], n)
	}

	// Finer grouping adds up to the coarser one.
	var byPOP inspectorAnswer
	h.getOK(inspPath("domains", ShopServiceID, base+"&group_by=domain,datacenter&metric=edge_requests&limit=200"), &byPOP)
	fine := map[string]int64{}
	for _, d := range byPOP.Data {
		assert.Contains(t, popByCode, d.Dimensions["datacenter"])
		for _, v := range d.Values {
			fine[d.Dimensions["domain"]] += num(t, v, "edge_requests")
		}
	}
	for _, d := range byDomain.Data {
		var n int64
		for _, v := range d.Values {
			n += num(t, v, "edge_requests")
		}
		assert.Equal(t, n, fine[d.Dimensions["domain"]])
	}
}

func TestInspectorPagingAndRefusals(t *testing.T) {
	h := newHarness(t, Config{})
	q := "downsample=hour&group_by=host&metric=responses,latency_50_to_100ms"
	seen := map[string]int{}
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		var a inspectorAnswer
		h.getOK(inspPath("origins", ShopServiceID, q+"&limit=1&cursor="+cursor), &a)
		require.Len(t, a.Data, 1)
		seen[a.Data[0].Dimensions["host"]]++
		for _, v := range a.Data[0].Values {
			assert.LessOrEqual(t, num(t, v, "latency_50_to_100ms"), num(t, v, "responses"))
		}
		cursor = a.Meta["next_cursor"].(string)
		if cursor == "" {
			break
		}
	}
	assert.Equal(t, map[string]int{"images-bucket.s3.amazonaws.com": 1, "shop-origin-eu.example.net": 1, "shop-origin-us.example.net": 1}, seen)

	many := strings.Repeat("responses,", 10) + "status_2xx"
	for _, bad := range []string{"metric=" + many, "limit=201", "metric=nope", "group_by=domain", "downsample=week"} {
		r := h.get(inspPath("origins", ShopServiceID, bad))
		assert.Equal(t, http.StatusBadRequest, r.status, bad)
	}
	r := h.get(inspPath("origins", ShopServiceID, "downsample=second"))
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), "downsample must be minute, hour or day", "the inspectors keep no per-second history")
	r = h.get(inspPath("origins", ShopServiceID, "metric=responsez"))
	assert.JSONEq(t, `{"type":"https://fastly.help/metrics/validation-error","title":"Request parameters were invalid.","status":400,`+
		`"detail":"Parameters with invalid values: 'metric'","errors":[{"property":"metric","reason":"Unrecognized metric names: 'responsez'"}]}`,
		string(r.body), "an RFC 7807 body, the cause in errors[].reason, as Fastly's engineers describe it")
	r = h.get(inspPath("origins", StaticServiceID, "metric=responses"))
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), "no product on service")
	assert.Equal(t, http.StatusBadRequest, h.get("/v1/domains/"+StaticServiceID+"/ts/0").status)

	// As Fastly's engineers saw it: no product answers like a service without traffic.
	h.sim.SetDisabledInspectorAnswer(true)
	var empty inspectorAnswer
	h.getOK(inspPath("origins", StaticServiceID, "metric=responses"), &empty)
	assert.Empty(t, empty.Data)
	assert.Equal(t, http.StatusBadRequest, h.get("/enabled-products/v1/origin_inspector/services/"+StaticServiceID).status,
		"the enablement endpoint still tells")
}

func TestInspectorRealtime(t *testing.T) {
	h := newHarness(t, Config{})
	var fx map[string]any
	fixture(t, "realtime_domains_with_data.json", &fx)
	var got struct {
		Timestamp int64
		Data      []struct {
			Recorded   int64                                `json:"recorded"`
			Aggregated map[string]map[string]any            `json:"aggregated"`
			Datacenter map[string]map[string]map[string]any `json:"datacenter"`
		}
	}
	r := h.get("/v1/domains/" + APIServiceID + "/ts/0")
	require.Equal(t, http.StatusOK, r.status)
	decodeExact(t, r.body, &got)
	require.Len(t, got.Data, 1)
	var channel rtAnswer
	h.getOK(rtPath(APIServiceID, "0"), &channel)
	var total int64
	for domain, m := range got.Data[0].Aggregated {
		assert.Contains(t, domainsKind.names[APIServiceID], domain)
		total += num(t, m, "edge_requests")
		var perPOP int64
		for _, pops := range got.Data[0].Datacenter {
			if pm, ok := pops[domain]; ok {
				perPOP += num(t, pm, "edge_requests")
			}
		}
		assert.Equal(t, num(t, m, "edge_requests"), perPOP, "aggregated is the sum of POPs")
	}
	assert.Equal(t, num(t, channel.Data[0].Aggregated, "requests"), total, "domains split the channel's requests")

	var origins map[string]any
	h.getOK("/v1/origins/"+ShopServiceID+"/ts/h/limit/2", &origins)
	data := origins["Data"].([]any)
	require.Len(t, data, 2)
	entry := data[0].(map[string]any)
	assert.ElementsMatch(t, []string{"recorded", "aggregated", "datacenter"}, keysOf(entry))
	for host, m := range entry["aggregated"].(map[string]any) {
		assert.Contains(t, originsKind.names[ShopServiceID], host)
		mm := m.(map[string]any)
		n, _ := mm["responses"].(json.Number).Int64()
		var lat int64
		for k, v := range mm {
			if strings.HasPrefix(k, "latency_") {
				x, _ := v.(json.Number).Int64()
				lat += x
			}
		}
		assert.Equal(t, n, lat, "latency buckets add up to responses")
	}
}
