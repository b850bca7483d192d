package plugin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestProvisionedDashboardsQueryWithoutErrors runs every panel and annotation query of the
// dashboards scripts/run.sh provisions, so the demo cannot drift from what the backend accepts.
func TestProvisionedDashboardsQueryWithoutErrors(t *testing.T) {
	files, err := filepath.Glob("../../provisioning/dashboards/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	env := newEnv(t, simToken)
	from := simNow.Add(-2 * time.Hour)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var dash struct {
			Panels []struct {
				Title   string           `json:"title"`
				Targets []map[string]any `json:"targets"`
			} `json:"panels"`
			Annotations struct {
				List []struct {
					Name   string         `json:"name"`
					Target map[string]any `json:"target"`
				} `json:"list"`
			} `json:"annotations"`
		}
		require.NoError(t, json.Unmarshal(raw, &dash), file)
		queries := map[string]map[string]any{}
		for _, p := range dash.Panels {
			for _, target := range p.Targets {
				queries[p.Title] = target
			}
		}
		for _, a := range dash.Annotations.List {
			queries["annotation "+a.Name] = a.Target
		}
		for title, target := range queries {
			t.Run(filepath.Base(file)+"/"+title, func(t *testing.T) {
				expanded := expandVariable(t, target, "$service", fastlysim.ShopServiceID)
				r := env.query(t, from, from.Add(time.Hour), expanded).Responses["A"]
				require.NoError(t, r.Error)
				require.NotEmpty(t, r.Frames)
			})
		}
	}
}

// expandVariable does what Grafana's template service does before a query reaches the backend.
func expandVariable(t *testing.T, target map[string]any, name, value string) map[string]any {
	raw, err := json.Marshal(target)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(string(raw), name, value)), &out))
	return out
}
