package fastlysim

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReferenceParamsAreTheReferencesTable: the parameters the simulator accepts per endpoint
// are those of the table kept with Fastly's reference (pkg/fastly/testdata/reference_params.txt,
// its sources named in its header), so the simulator cannot drift from what Fastly documents.
func TestReferenceParamsAreTheReferencesTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixtureDir, "reference_params.txt"))
	require.NoError(t, err)
	placeholder := regexp.MustCompile(`\{[a-z]+\}`)
	table := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "|")
		require.Len(t, cells, 3, line)
		method, path, _ := strings.Cut(strings.TrimSpace(cells[0]), " ")
		require.Equal(t, "GET", method, line)
		var params []string
		if f := strings.Fields(cells[2]); !slices.Equal(f, []string{"-"}) {
			params = slices.Sorted(slices.Values(f))
		}
		table[placeholder.ReplaceAllString(path, "{}")] = params
	}
	got := map[string][]string{}
	for path, params := range referenceParams {
		if len(params) > 0 {
			got[path] = slices.Sorted(slices.Values(params))
		} else {
			got[path] = nil
		}
	}
	assert.Equal(t, table, got)
}

// TestUnlistedParametersAreRefused: a parameter the reference does not list for the endpoint
// is a 400 in the endpoint family's error shape, unless the simulator is lenient.
func TestUnlistedParametersAreRefused(t *testing.T) {
	h := newHarness(t, Config{})
	for path, want := range map[string]string{
		"/stats/service/" + ShopServiceID + "?by=hour&service_id=x":                    `"msg":"Unknown parameter: service_id"`,
		"/stats/aggregate?by=hour&datacenter=LHR":                                      `"msg":"Unknown parameter: datacenter"`,
		"/metrics/origins/services/" + ShopServiceID + "?metric=responses&domain=x":    `"property":"domain"`,
		"/observability/timeseries?source=logs&service_id=" + ShopServiceID:            `"property":"service_id"`,
		"/observability/log-explorer?service_id=" + ShopServiceID + "&filter=x&x=1":    `"property":"x"`,
		"/service?page=1&per_page=20&include=versions":                                 `"detail":"Unknown parameter: include"`,
		"/v1/channel/" + ShopServiceID + "/ts/0?limit=3":                               `Unknown parameter: limit`,
		"/service/" + ShopServiceID + "/stats/summary?start_time=1&end_time=2&by=hour": `Unknown parameter: by`,
	} {
		r := h.get(path)
		assert.Equal(t, http.StatusBadRequest, r.status, path)
		assert.Contains(t, string(r.body), want, path)
	}
	assert.Equal(t, http.StatusOK, h.get("/observability/log-explorer?service_id="+ShopServiceID+"&filter[fastly_pop]=LHR&start=2026-01-01T00:00:00Z&end=2026-01-01T01:00:00Z").status,
		"filter[...] is the reference's filter parameter")
	h.sim.SetStrictParams(false)
	assert.Equal(t, http.StatusOK, h.get("/stats/service/"+ShopServiceID+"?by=hour&service_id=x").status, "lenient: ignored")
}
