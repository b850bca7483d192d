package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/internal/testclock"
	"github.com/opsdeck/fastly-datasource/pkg/live"
)

const simToken = "sim-SECRET-token"

// simNow is the simulator's and the plugin's clock in these tests: every bucket before it is
// settled data, so values can be compared exactly.
var simNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// testEnv is a data source instance wired to a simulator.
type testEnv struct {
	sim *fastlysim.Server
	url string
	ds  *Datasource
}

func newEnv(t *testing.T, token string) *testEnv {
	t.Helper()
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &testEnv{sim: sim, url: srv.URL, ds: newTestDatasource(t, srv.URL, token)}
}

func newTestDatasource(t testing.TB, url, token string) *Datasource {
	t.Helper()
	return newTestDatasourceUID(t, url, token, "fastly-test")
}

// newTestDatasourceUID is a data source of its own uid: its metrics are its own series.
func newTestDatasourceUID(t testing.TB, url, token, uid string) *Datasource {
	t.Helper()
	settings := backend.DataSourceInstanceSettings{
		UID:                     uid,
		Name:                    "Fastly",
		Type:                    PluginID,
		JSONData:                []byte(fmt.Sprintf(`{"apiUrl":%q,"realtimeUrl":%q}`, url, url)),
		DecryptedSecureJSONData: map[string]string{"apiToken": token},
	}
	inst, err := NewDatasource(context.Background(), settings)
	require.NoError(t, err)
	ds := inst.(*Datasource)
	ds.now = func() time.Time { return simNow }
	t.Cleanup(ds.Dispose)
	return ds
}

// query runs one QueryData call with the given queries over [from, to).
func (e *testEnv) query(t *testing.T, from, to time.Time, queries ...map[string]any) *backend.QueryDataResponse {
	t.Helper()
	req := &backend.QueryDataRequest{PluginContext: backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "fastly-test"}}}
	for i, q := range queries {
		raw, err := json.Marshal(q)
		require.NoError(t, err)
		refID := fmt.Sprintf("%c", 'A'+i)
		qt, _ := q["queryType"].(string)
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: refID, QueryType: qt, JSON: raw, MaxDataPoints: 1000, Interval: time.Minute,
			TimeRange: backend.TimeRange{From: from, To: to},
		})
	}
	resp, err := e.ds.QueryData(context.Background(), req)
	require.NoError(t, err)
	return resp
}

// livePollerCount is the plugin's pollers metric for the test data source, as Grafana would
// collect it.
func livePollerCount(t *testing.T) int {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	require.NoError(t, err)
	for _, f := range families {
		if f.GetName() != "fastly_datasource_live_pollers" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "datasource" && l.GetValue() == "fastly-test" {
					return int(m.GetGauge().GetValue())
				}
			}
		}
	}
	return 0
}

// useStepClock swaps the instance's hub for one on a step clock, so streams run at full speed,
// and keeps the pollers metric reading the hub in use.
func useStepClock(ds *Datasource, clock *testclock.Step) {
	ds.hub.Close()
	liveGauges.remove(ds.hub)
	ds.hub = live.NewHub(ds.client, live.Options{Clock: clock})
	liveGauges.add(ds.hub, "fastly-test") // newTestDatasource's uid
}
