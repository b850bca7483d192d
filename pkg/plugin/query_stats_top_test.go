package plugin

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func TestTopKeepsTheBusiestServicesAndSumsTheRestAsOther(t *testing.T) {
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }, BusyServices: 20})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	env := &testEnv{sim: sim, url: srv.URL, ds: newTestDatasource(t, srv.URL, simToken)}
	from := simNow.Add(-3 * time.Hour)
	r := env.query(t, from, from.Add(time.Hour), map[string]any{
		"queryType": "stats", "services": []string{"*"}, "metrics": []string{"requests"}, "resolution": "minute", "top": 3,
	}).Responses["A"]
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 4, "three services and other")

	inTop := map[string]bool{}
	var totals []int64
	for _, f := range r.Frames[:3] {
		id := f.Fields[1].Labels["service"]
		inTop[id] = true
		var total int64
		for row := 0; row < f.Rows(); row++ {
			v, _ := f.Fields[1].ConcreteAt(row)
			total += asInt(t, v)
		}
		totals = append(totals, total)
	}
	assert.True(t, inTop[fastlysim.ShopServiceID], "the busiest service leads")
	assert.GreaterOrEqual(t, totals[0], totals[1])
	assert.GreaterOrEqual(t, totals[1], totals[2])

	other := r.Frames[3]
	assert.Equal(t, "other", other.Fields[1].Labels["service"])
	require.Equal(t, 60, other.Rows())
	for _, row := range []int{0, 29, 59} {
		start := from.Add(time.Duration(row) * time.Minute)
		var want int64
		for _, s := range sim.Services() {
			if inTop[s.ID] {
				continue
			}
			if rec, ok := sim.Record(s.ID, "minute", start, ""); ok {
				want += asInt(t, rec["requests"])
			}
		}
		got, _ := other.Fields[1].ConcreteAt(row)
		require.Positive(t, want)
		assert.Equal(t, want, got, "other at %s is every other service's requests", start)
	}
}
