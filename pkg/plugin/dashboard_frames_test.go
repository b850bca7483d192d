package plugin

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// dashboardFramesDir is where TestWriteDashboardFrames writes the panels' answers; `npm run
// screenshots` sets it and renders the README's dashboard pictures from what it writes.
var dashboardFramesDir = flag.String("dashboard-frames", "",
	"write every provisioned dashboard panel's answer against the simulator to this directory")

// dashboardFrames is one dashboard's answers as tests/browser/dashboards.tsx reads them.
type dashboardFrames struct {
	From        time.Time                    `json:"from"`
	To          time.Time                    `json:"to"`
	Service     string                       `json:"service"`     // $service's value
	ServiceName string                       `json:"serviceName"` // ${service:text}
	Frames      map[string][]json.RawMessage `json:"frames"`      // "<panel id>/<refId>" -> frames
}

// TestWriteDashboardFrames runs every target of every provisioned dashboard through QueryData
// against the simulator, over the dashboard's own default time range ending at simNow, and
// checks that each answers frames that encode as Grafana's data frame JSON. It writes them,
// one file per dashboard, to -dashboard-frames (`npm run screenshots` draws the README's
// pictures from them), or to a temporary directory.
func TestWriteDashboardFrames(t *testing.T) {
	dir := *dashboardFramesDir
	if dir == "" {
		dir = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	env := newEnv(t, simToken)
	shop := env.sim.Services()[slices.IndexFunc(env.sim.Services(), func(s fastlysim.Service) bool {
		return s.ID == fastlysim.ShopServiceID
	})]
	for file, dash := range loadDashboards(t) {
		span := dashboardSpan(t, file)
		out := dashboardFrames{
			From: simNow.Add(-span), To: simNow, Service: shop.ID, ServiceName: shop.Name,
			Frames: map[string][]json.RawMessage{},
		}
		for _, p := range dash.panels() {
			for _, target := range p.Targets {
				expanded := expandVariable(t, target, "$service", fastlysim.ShopServiceID)
				r := env.query(t, out.From, out.To, expanded).Responses["A"]
				require.NoError(t, r.Error, "%s: panel %q", file, p.Title)
				key := fmt.Sprintf("%d/%s", p.ID, target["refId"])
				require.NotEmpty(t, r.Frames, "%s: panel %q target %s answered no frame", file, p.Title, target["refId"])
				for _, fr := range r.Frames {
					raw, err := data.FrameToJSON(fr, data.IncludeAll)
					require.NoError(t, err)
					out.Frames[key] = append(out.Frames[key], raw)
				}
			}
		}
		raw, err := json.Marshal(out)
		require.NoError(t, err)
		name := strings.TrimSuffix(file, ".json") + ".frames.json"
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), raw, 0o644))
	}
}

// dashboardSpan reads a dashboard's default time range ("now-6h" to "now") as a duration.
func dashboardSpan(t *testing.T, file string) time.Duration {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("../../provisioning/dashboards", file))
	require.NoError(t, err)
	var d struct {
		Time struct{ From, To string } `json:"time"`
	}
	require.NoError(t, json.Unmarshal(raw, &d))
	require.Equal(t, "now", d.Time.To, file)
	span, err := time.ParseDuration(strings.TrimPrefix(d.Time.From, "now-"))
	require.NoError(t, err, "%s: time.from %q", file, d.Time.From)
	return span
}
