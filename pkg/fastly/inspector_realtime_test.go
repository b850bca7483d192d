package fastly

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeInspectorRealtimeOriginsFixture(t *testing.T) {
	body := fixture(t, "realtime_origins_with_data.json")
	fields := NewRealtimeFields([]string{"responses", "status_2xx", "latency_50_to_100ms", "not_sent"})
	// The hand-written fixture has no Timestamp or recorded: without either it says nothing
	// of when; with a cursor, its data is the newest second the cursor vouches for.
	none, err := DecodeInspectorRealtime(body, fields)
	require.NoError(t, err)
	assert.Empty(t, none.Seconds)
	body = append([]byte(`{"Timestamp":1700000009,`), body[1:]...)
	res, err := DecodeInspectorRealtime(body, fields)
	require.NoError(t, err)
	require.Len(t, res.Seconds, 1)
	s := res.Seconds[0]
	assert.Equal(t, int64(1700000000), s.Recorded, "Timestamp - AggregateDelay (9 when unsaid)")
	assert.Equal(t, []float64{10, 9, 6, 0}, s.Aggregated.Values, "testorigin's metrics; absent fields are 0")
	require.Len(t, s.POPs, 1)
	assert.Equal(t, "TYO", s.POPs[0].POP)
	assert.Equal(t, []float64{10, 9, 6, 0}, s.POPs[0].Values)
}

func TestDecodeInspectorRealtimeSumsNamesAndRefusesRatios(t *testing.T) {
	body := []byte(`{"Timestamp":1700000002,"AggregateDelay":9,"Data":[
		{"recorded":1700000001,"aggregated":{"a.com":{"edge_requests":3,"edge_hit_ratio":0.5},"b.com":{"edge_requests":4}},
		 "datacenter":{"LHR":{"a.com":{"edge_requests":1}},"AMS":{"a.com":{"edge_requests":2},"b.com":{"edge_requests":4}}}},
		{"recorded":1700000000,"aggregated":{"a.com":{"edge_requests":1}},"datacenter":{}}]}`)
	res, err := DecodeInspectorRealtime(body, NewRealtimeFields([]string{"edge_requests", "edge_hit_ratio"}))
	require.NoError(t, err)
	assert.Equal(t, int64(1700000002), res.Timestamp)
	assert.Equal(t, int64(9), res.AggregateDelay)
	require.Len(t, res.Seconds, 2)
	assert.Equal(t, int64(1700000000), res.Seconds[0].Recorded, "ascending")
	s := res.Seconds[1]
	assert.Equal(t, 7.0, s.Aggregated.Values[0], "a.com + b.com")
	assert.True(t, math.IsNaN(s.Aggregated.Values[1]), "a ratio cannot be summed over domains")
	require.Len(t, s.POPs, 2)
	assert.Equal(t, "AMS", s.POPs[0].POP)
	assert.Equal(t, 6.0, s.POPs[0].Values[0])
	assert.Equal(t, 1.0, s.POPs[1].Values[0])

	idle, err := DecodeInspectorRealtime([]byte(`{"Timestamp":5,"Data":[],"Error":"No data available, please retry"}`), NewRealtimeFields([]string{"edge_requests"}))
	require.NoError(t, err)
	assert.Empty(t, idle.Seconds)
	assert.Equal(t, "No data available, please retry", idle.Error)

	_, err = DecodeInspectorRealtime([]byte(`{"Data":[{"aggregated":[1]}]}`), NewRealtimeFields(nil))
	assert.Error(t, err)
}

func TestInspectorRealtimeCallsTheProductPath(t *testing.T) {
	rec, c := newFake(t)
	domains := fixture(t, "realtime_domains_with_data.json")
	rec.handlers["/v1/domains/svc1/ts/h"] = func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, `{"Timestamp":1700000000,%s`, domains[1:])
	}
	res, err := c.Realtime(context.Background(), RealtimeDomains, "svc1", RealtimeHistory, NewRealtimeFields([]string{"edge_requests", "bandwidth"}))
	require.NoError(t, err)
	require.Len(t, res.Seconds, 1)
	assert.Equal(t, []float64{10, 1048}, res.Seconds[0].Aggregated.Values)

	rec.handlers["/v1/origins/svc1/ts/1700000000"] = func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"msg":"no access"}`)
	}
	_, err = c.Realtime(context.Background(), RealtimeOrigins, "svc1", 1700000000, NewRealtimeFields([]string{"responses"}))
	assert.ErrorContains(t, err, "403")
	_, err = c.Realtime(context.Background(), RealtimeProduct("logs"), "svc1", 0, NewRealtimeFields(nil))
	assert.ErrorContains(t, err, `unknown real-time product "logs"`)
	_, err = c.Realtime(context.Background(), RealtimeOrigins, "../x", 0, NewRealtimeFields(nil))
	assert.ErrorContains(t, err, "not a Fastly service id")
}
