package plugin

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/internal/testclock"
)

// newInspectorLiveEnv is newLiveEnv with the data source's own fetcher, which routes the
// inspector products to their decoder.
func newInspectorLiveEnv(t *testing.T) *liveEnv {
	t.Helper()
	clock := testclock.New(liveStart)
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: clock.Now, After: clock.After})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	ds := newTestDatasource(t, srv.URL, simToken)
	ds.now = clock.Now
	useStepClock(ds, clock)
	return &liveEnv{sim: sim, ds: ds, clock: clock}
}

func (e *liveEnv) queryType(t *testing.T, q map[string]any) backend.DataResponse {
	t.Helper()
	raw, err := json.Marshal(q)
	require.NoError(t, err)
	resp, err := e.ds.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "fastly-test"}},
		Queries: []backend.DataQuery{{RefID: "A", QueryType: q["queryType"].(string), JSON: raw, MaxDataPoints: 1000,
			TimeRange: backend.TimeRange{From: liveStart.Add(-5 * time.Minute), To: liveStart}}},
	})
	require.NoError(t, err)
	return resp.Responses["A"]
}

func TestLiveDomainsWindowMatchesTheServiceTotal(t *testing.T) {
	e := newInspectorLiveEnv(t)
	id := fastlysim.APIServiceID
	r := e.queryType(t, map[string]any{"queryType": "domains", "live": true, "services": []string{id}, "metrics": []string{"edge_requests"}})
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	fr := r.Frames[0]
	assert.Equal(t, "ds/fastly-test/di/"+id+"/m=edge_requests", fr.Meta.Channel)
	assert.Equal(t, data.FrameTypeTimeSeriesWide, fr.Meta.Type)
	require.Equal(t, 120, fr.Rows())
	vals := fieldByName(fr, "edge_requests")
	require.NotNil(t, vals)
	busy := 0
	for i := range fr.Rows() {
		s := fr.Fields[0].At(i).(time.Time).Unix()
		want := simValue(e.sim, id, "", "requests", s)
		assert.Equal(t, want, *vals.At(i).(*float64), "second %d: the domains add up to the service's requests", s)
		if want > 0 {
			busy++
		}
	}
	assert.Greater(t, busy, 60)
}

func TestLiveOriginsByPOPWithPercentilesAndAStream(t *testing.T) {
	e := newInspectorLiveEnv(t)
	id := fastlysim.APIServiceID
	r := e.queryType(t, map[string]any{"queryType": "origins", "live": true, "services": []string{id}, "groupBy": "pop",
		"metrics": []string{"responses", "error_ratio", "origin_latency_p95"}})
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	fr := r.Frames[0]
	assert.True(t, strings.HasPrefix(fr.Meta.Channel, "ds/fastly-test/oi/"+id+"/m=responses.error_ratio.origin_latency_p95/g=pop"), fr.Meta.Channel)
	var p95s, ratios int
	for _, f := range fr.Fields[1:] {
		assert.NotEmpty(t, f.Labels["pop"])
		for i := 0; i < f.Len(); i++ {
			v, ok := f.ConcreteAt(i)
			if !ok {
				continue
			}
			switch f.Labels["metric"] {
			case "origin_latency_p95":
				p95s++
				assert.True(t, v.(float64) > 0 && v.(float64) <= 60000)
			case "error_ratio":
				ratios++
				assert.True(t, v.(float64) >= 0 && v.(float64) <= 1)
			}
		}
	}
	assert.Positive(t, p95s, "latency percentiles come from the origin latency buckets live too")
	assert.Positive(t, ratios)

	path := strings.TrimPrefix(fr.Meta.Channel, "ds/fastly-test/")
	sub, err := e.ds.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: path})
	require.NoError(t, err)
	assert.Equal(t, backend.SubscribeStreamStatusOK, sub.Status)
	ctx, cancel := context.WithCancel(context.Background())
	sender := newPacketSender()
	done := make(chan error, 1)
	go func() {
		done <- e.ds.RunStream(ctx, &backend.RunStreamRequest{Path: path}, backend.NewStreamSender(sender))
	}()
	<-sender.got
	cancel()
	require.NoError(t, <-done)
	sender.mu.Lock()
	first := sender.packets[0]
	sender.mu.Unlock()
	var packet struct {
		Schema struct {
			Fields []struct{ Name string } `json:"fields"`
		} `json:"schema"`
	}
	require.NoError(t, json.Unmarshal(first, &packet))
	require.NotEmpty(t, packet.Schema.Fields)
	assert.Equal(t, "time", packet.Schema.Fields[0].Name, "the stream continues the same frame")
}

func TestLiveInspectorRefusals(t *testing.T) {
	e := newInspectorLiveEnv(t)
	for name, tc := range map[string]struct {
		q    map[string]any
		want string
	}{
		"by origin":     {map[string]any{"groupBy": "origin"}, "group by pop or nothing"},
		"origin filter": {map[string]any{"origins": []string{"a"}}, "cannot filter by origin"},
		"region":        {map[string]any{"region": "europe"}, "cannot filter by region"},
		"heatmap":       {map[string]any{"metrics": []string{"origin_latency_heatmap"}}, "origin_latency_heatmap is a distribution drawn from history only"},
		"disabled":      {map[string]any{"services": []string{fastlysim.StaticServiceID}}, "Origin Inspector is not enabled"},
	} {
		q := map[string]any{"queryType": "origins", "live": true, "services": []string{fastlysim.APIServiceID}}
		for k, v := range tc.q {
			q[k] = v
		}
		r := e.queryType(t, q)
		require.Error(t, r.Error, name)
		assert.Contains(t, r.Error.Error(), tc.want, name)
		assert.Equal(t, backend.StatusBadRequest, r.Status, name)
	}
	r := e.queryType(t, map[string]any{"queryType": "domains", "live": true, "services": []string{fastlysim.APIServiceID}, "metrics": []string{"edge_hit_ratio"}})
	assert.ErrorContains(t, r.Error, "edge_hit_ratio: Fastly computes these ratios per domain")
}
