package fastlysim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDatacenterFilterHonouredPartitionsEveryField: with the filter honoured, the per-field map
// form (what the plugin's POP map asks for) split by POP adds up, minute by minute and service
// by service, to the unfiltered answer.
func TestDatacenterFilterHonouredPartitionsEveryField(t *testing.T) {
	h := newHarness(t, Config{})
	q := rangeQ("minute", testNow.Add(-40*time.Minute), testNow.Add(-10*time.Minute), "")
	var all statsEnvelope[map[string][]map[string]any]
	h.getOK("/stats/field/requests?"+q, &all)
	want := map[string]float64{}
	for id, recs := range all.Data {
		want[id] = sumRecords(t, recs)["requests"]
	}
	got := map[string]float64{}
	for _, p := range POPs() {
		var e statsEnvelope[map[string][]map[string]any]
		h.getOK("/stats/field/requests?"+q+"&datacenter="+p.Code, &e)
		for id, recs := range e.Data {
			got[id] += sumRecords(t, recs)["requests"]
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, got)
}

// TestDatacenterFilterSwitches: each setting answers the filter as it says.
func TestDatacenterFilterSwitches(t *testing.T) {
	h := newHarness(t, Config{})
	q := rangeQ("hour", testNow.Add(-5*time.Hour), testNow.Add(-2*time.Hour), "")
	requests := func(extra string) float64 {
		var e statsEnvelope[[]map[string]any]
		h.getOK("/stats/service/"+ShopServiceID+"/field/requests?"+q+extra, &e)
		return sumRecords(t, e.Data)["requests"]
	}
	total := requests("")
	lhr := requests("&datacenter=LHR")
	require.Positive(t, lhr)
	assert.Less(t, lhr, total)
	assert.Equal(t, 400, h.get("/stats/service/"+ShopServiceID+"/field/requests?"+q+"&datacenter=XYZ").status, "honoured: unknown codes refused")

	h.sim.SetDatacenterFilter(DatacenterUnknownEmpty)
	var empty statsEnvelope[[]map[string]any]
	h.getOK("/stats/service/"+ShopServiceID+"/field/requests?"+q+"&datacenter=XYZ", &empty)
	assert.Empty(t, empty.Data, "unknown codes match nothing")
	assert.Equal(t, lhr, requests("&datacenter=LHR"), "known codes still filter")

	h.sim.SetDatacenterFilter(DatacenterIgnored)
	assert.Equal(t, total, requests("&datacenter=LHR"), "ignored: every POP gets the total")
	assert.Equal(t, total, requests("&datacenter=XYZ"))
}
