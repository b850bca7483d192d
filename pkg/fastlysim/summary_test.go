package fastlysim

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSummaryIsOneTotalPerPOP: /service/{id}/stats/summary answers {"stats": {POP: record}},
// no envelope, each POP's record the sum of what /stats says for that POP over the window;
// epoch seconds only, within 35 days.
func TestSummaryIsOneTotalPerPOP(t *testing.T) {
	h := newHarness(t, Config{})
	from := testNow.Truncate(time.Hour).Add(-6 * time.Hour)
	to := from.Add(4 * time.Hour)
	var got map[string]map[string]map[string]any
	h.getOK(fmt.Sprintf("/service/%s/stats/summary?start_time=%d&end_time=%d", ShopServiceID, from.Unix(), to.Unix()), &got)
	require.Len(t, got, 1, "only stats: no data, meta or status")
	stats := got["stats"]
	require.Len(t, stats, 24, "one entry per POP with traffic")
	for pop, rec := range stats {
		var perPOP statsEnvelope[[]map[string]any]
		h.getOK(svcPath(ShopServiceID, rangeQ("hour", from, to, "datacenter="+pop)), &perPOP)
		want := sumRecords(t, perPOP.Data)
		for _, k := range []string{"requests", "bandwidth", "all_hit_requests", "all_status_2xx"} {
			assert.Equal(t, want[k], float64(num(t, rec, k)), "%s %s", pop, k)
		}
		assert.NotContains(t, rec, "start_time")
	}

	var compute map[string]map[string]map[string]any
	h.getOK(fmt.Sprintf("/service/%s/stats/summary?start_time=%d&end_time=%d", ComputeServiceID, from.Unix(), to.Unix()), &compute)
	for pop, rec := range compute["stats"] {
		assert.Zero(t, num(t, rec, "requests"), pop)
		assert.Positive(t, num(t, rec, "compute_requests"), pop)
	}

	for _, q := range []string{
		"start_time=2026-01-01T00:00:00Z&end_time=" + fmt.Sprint(to.Unix()),
		fmt.Sprintf("start_time=%d&end_time=%d", testNow.Add(-36*24*time.Hour).Unix(), to.Unix()),
	} {
		r := h.get("/service/" + ShopServiceID + "/stats/summary?" + q)
		assert.Equal(t, http.StatusBadRequest, r.status, q)
		assert.Contains(t, string(r.body), `"status":"error"`, q)
	}
}

// TestMinuteRetentionSettings: the reference's 35 days, and the engineers' "roughly one day"
// either refused or answered without the older minutes; hours are kept either way.
func TestMinuteRetentionSettings(t *testing.T) {
	h := newHarness(t, Config{})
	from := testNow.Truncate(time.Hour).Add(-3 * 24 * time.Hour)
	q := rangeQ("minute", from, from.Add(time.Hour), "")
	summary := fmt.Sprintf("/service/%s/stats/summary?start_time=%d&end_time=%d", ShopServiceID, from.Unix(), testNow.Unix())
	var kept statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ShopServiceID, q), &kept)
	assert.Len(t, kept.Data, 60, "35 days: three-day-old minutes are there")
	var full map[string]map[string]map[string]any
	h.getOK(summary, &full)

	h.sim.SetMinuteRetention(MinutesRefusedAfterADay)
	r := h.get(svcPath(ShopServiceID, q))
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, string(r.body), "Minutely data is only available for the last day")
	assert.Equal(t, http.StatusBadRequest, h.get(summary).status)
	h.getOK(svcPath(ShopServiceID, rangeQ("hour", from, from.Add(time.Hour), "")), &kept)
	assert.Len(t, kept.Data, 1, "hours are kept")

	h.sim.SetMinuteRetention(MinutesMissingAfterADay)
	var missing statsEnvelope[[]map[string]any]
	h.getOK(svcPath(ShopServiceID, q), &missing)
	assert.Empty(t, missing.Data, "an old minute range answers 200 with nothing in it")
	var partial map[string]map[string]map[string]any
	h.getOK(summary, &partial)
	assert.Less(t, num(t, partial["stats"]["LHR"], "requests"), num(t, full["stats"]["LHR"], "requests"), "the summary sums only the last day's minutes")

	_, err := ParseMinuteRetention("missing-after-a-day")
	require.NoError(t, err)
	_, err = ParseMinuteRetention("forever")
	assert.ErrorContains(t, err, "35-days")
}
