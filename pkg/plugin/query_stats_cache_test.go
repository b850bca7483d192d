package plugin

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/internal/testclock"
)

// newMovingEnv is a data source and simulator on one clock that the test moves on (each
// testclock.Step.After moves it at once).
func newMovingEnv(t *testing.T) (*testEnv, *testclock.Step) {
	t.Helper()
	clock := testclock.New(simNow)
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: clock.Now})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	env := &testEnv{sim: sim, url: srv.URL, ds: newTestDatasource(t, srv.URL, simToken)}
	env.ds.now = clock.Now
	return env, clock
}

// lastDay runs the day-long minute panel at the clock's now and returns its answer and what
// it cost the simulator.
func lastDay(t *testing.T, env *testEnv, clock *testclock.Step) (backend.DataResponse, int64) {
	t.Helper()
	env.sim.ResetRequests()
	now := clock.Now()
	r := env.query(t, now.Add(-24*time.Hour), now, dayMinutePanel).Responses["A"]
	require.NoError(t, r.Error)
	return r, env.sim.BytesServed()
}

func TestARefreshFetchesOnlyTheUnsettledTailAndAnswersTheSame(t *testing.T) {
	env, clock := newMovingEnv(t)
	_, first := lastDay(t, env, clock)
	for _, step := range []time.Duration{30 * time.Second, 7 * time.Minute, 31 * time.Minute, 2 * time.Hour} {
		<-clock.After(step)
		got, refresh := lastDay(t, env, clock)
		t.Logf("after %v: first load %d bytes, refresh %d bytes", step, first, refresh)
		if step < time.Hour {
			assert.Less(t, refresh*10, first, "a refresh costs a small fraction of the first load")
		}
		// A data source with nothing cached, at the same moment, answers exactly the same.
		cold := &testEnv{sim: env.sim, url: env.url, ds: newTestDatasource(t, env.url, simToken)}
		cold.ds.now = clock.Now
		now := clock.Now()
		want := cold.query(t, now.Add(-24*time.Hour), now, dayMinutePanel).Responses["A"]
		require.NoError(t, want.Error)
		require.Len(t, got.Frames, len(want.Frames))
		for i := range want.Frames {
			require.Equal(t, want.Frames[i].Rows(), got.Frames[i].Rows())
			for f := range want.Frames[i].Fields {
				for row := 0; row < want.Frames[i].Rows(); row++ {
					require.Equal(t, want.Frames[i].Fields[f].At(row), got.Frames[i].Fields[f].At(row), "frame %d field %d row %d after %v", i, f, row, step)
				}
			}
			assert.Equal(t, want.Frames[i].Meta.Notices, got.Frames[i].Meta.Notices)
		}
	}
}

// overviewStatsTargets are the stats panels of the provisioned overview dashboard, for the
// busy service. Its real-time panel shares one poller per channel already, and its insights and
// logs panels ask other endpoints.
func overviewStatsTargets(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, p := range loadDashboards(t)["fastly-overview.json"].panels() {
		for _, target := range p.Targets {
			if target["queryType"] == "stats" {
				out = append(out, expandVariable(t, target, "$service", fastlysim.ShopServiceID))
			}
		}
	}
	require.NotEmpty(t, out)
	return out
}

func TestTenViewersRefreshingTheOverviewCostAboutOneFirstLoadAMinute(t *testing.T) {
	env, clock := newMovingEnv(t)
	targets := overviewStatsTargets(t)
	view := func() {
		now := clock.Now()
		for _, target := range targets { // Grafana sends one request per panel
			resp := env.query(t, now.Add(-6*time.Hour), now, target)
			require.NoError(t, resp.Responses["A"].Error)
		}
	}
	env.sim.ResetRequests()
	view()
	firstLoad := env.sim.BytesServed()

	env.sim.ResetRequests()
	for round := 0; round < 12; round++ { // every 5 s for a minute
		for viewer := 0; viewer < 10; viewer++ {
			if round > 0 || viewer > 0 {
				view()
			}
		}
		<-clock.After(5 * time.Second)
	}
	minute := env.sim.BytesServed()
	t.Logf("%d stats panels: one viewer's first load %d bytes; 10 viewers refreshing every 5 s for a minute %d bytes in %d calls",
		len(targets), firstLoad, minute, len(env.sim.Requests()))
	assert.Less(t, minute, 2*firstLoad, "a minute of ten viewers costs less than two first loads")
}
