package fastly

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestSummaryReadsOneTotalPerPOP: one call answers every POP's totals, each as a one-record
// payload that agrees with the POP's own /stats answer.
func TestSummaryReadsOneTotalPerPOP(t *testing.T) {
	sim, c := newSimClient(t)
	from := simNow.Truncate(time.Hour).Add(-5 * time.Hour)
	to := from.Add(4 * time.Hour)
	fields := []FieldSpec{{Name: "requests"}, {Name: "compute_requests"}, {Name: "hit_ratio", Float: true, Ratio: true}}
	got, err := c.Summary(context.Background(), SummaryQuery{ServiceID: fastlysim.ShopServiceID, Fields: fields, From: from, To: to})
	require.NoError(t, err)
	require.Len(t, got, 24, "the shop's POPs")
	require.Len(t, sim.Requests(), 1, "one call")
	assert.Equal(t, "/service/"+fastlysim.ShopServiceID+"/stats/summary", sim.Requests()[0].Path)
	assert.Equal(t, fmt.Sprintf("end_time=%d&start_time=%d", to.Unix(), from.Unix()), sim.Requests()[0].RawQuery, "epoch seconds")
	lhr, err := c.Stats(context.Background(), StatsQuery{ServiceID: fastlysim.ShopServiceID, Fields: fields[:1], From: from, To: to, By: "hour", Datacenter: "LHR", Now: simNow})
	require.NoError(t, err)
	var want int64
	for _, n := range lhr.Services[0].Columns[0].Ints {
		want += n
	}
	p := got["LHR"]
	require.NotNil(t, p)
	assert.Equal(t, []int64{from.Unix()}, p.Services[0].StartTimes)
	assert.Equal(t, []int64{want}, p.Services[0].Columns[0].Ints, "LHR's total is the sum of its hours")
	assert.Equal(t, []int64{0}, p.Services[0].Columns[1].Ints, "a VCL service's compute_requests")
	assert.False(t, math.IsNaN(p.Services[0].Columns[2].Floats[0]))
}

// TestSummaryErrors: Fastly's refusal is an APIError with its message; an answer without the
// stats object, or with a value of the wrong kind, cannot be read.
func TestSummaryErrors(t *testing.T) {
	f, c := newFake(t)
	q := SummaryQuery{ServiceID: "svc1", Fields: []FieldSpec{{Name: "requests"}}, From: simNow.Add(-time.Hour), To: simNow}
	for body, want := range map[string]string{
		`{"status":"error","msg":"invalid start_time"}`: "Fastly answered with an error for /service/svc1/stats/summary: invalid start_time",
		`{"data":[]}`:                           "Fastly's answer for /service/svc1/stats/summary could not be read: it has no stats object",
		`{"stats":{"LHR":{"requests":"many"}}}`: `could not be read: LHR, requests: not a number: "\"many\""`,
		`{"stats":{"LHR":{"requests":1.5}}}`:    "LHR, requests: not a whole number",
	} {
		f.handlers["/service/svc1/stats/summary"] = func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }
		_, err := c.Summary(context.Background(), q)
		assert.ErrorContains(t, err, want, body)
	}
	f.handlers["/service/svc1/stats/summary"] = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"status":"error","msg":"start_time is too old"}`)
	}
	_, err := c.Summary(context.Background(), q)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.Status)
	assert.Equal(t, "start_time is too old", apiErr.Message)
}
