package plugin

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// dashboard is the part of a provisioned dashboard the tests read.
type dashboard struct {
	UID         string          `json:"uid"`
	Title       string          `json:"title"`
	Panels      []dashboardItem `json:"panels"`
	Annotations struct {
		List []struct {
			Name   string         `json:"name"`
			Target map[string]any `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
}

type dashboardItem struct {
	ID      int                      `json:"id"`
	Type    string                   `json:"type"`
	Title   string                   `json:"title"`
	Targets []map[string]any         `json:"targets"`
	GridPos struct{ X, Y, W, H int } `json:"gridPos"`
	Options struct {
		Layers []struct {
			Location map[string]string `json:"location"`
			Config   struct {
				Style map[string]json.RawMessage `json:"style"`
			} `json:"config"`
		} `json:"layers"`
		SortBy []struct {
			DisplayName string `json:"displayName"`
		} `json:"sortBy"` // a table's sorted column
		XField string `json:"xField"` // a bar chart's categories
	} `json:"options"`
	FieldConfig struct {
		Overrides []struct {
			Matcher struct {
				ID      string          `json:"id"`
				Options json.RawMessage `json:"options"`
			} `json:"matcher"`
		} `json:"overrides"`
	} `json:"fieldConfig"`
	Transformations []transformation `json:"transformations"`
	Panels          []dashboardItem  `json:"panels"` // a collapsed row's panels
}

func loadDashboards(t *testing.T) map[string]dashboard {
	t.Helper()
	files, err := filepath.Glob("../../provisioning/dashboards/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]dashboard{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var d dashboard
		require.NoError(t, json.Unmarshal(raw, &d), file)
		out[filepath.Base(file)] = d
	}
	return out
}

// panels lists every panel, rows' own panels included, without the rows.
func (d dashboard) panels() []dashboardItem {
	var out []dashboardItem
	for _, p := range d.Panels {
		if p.Type == "row" {
			out = append(out, p.Panels...)
			continue
		}
		out = append(out, p)
	}
	return out
}

// TestProvisionedDashboardsAnswerWhatTheirPanelsRead runs every target of every panel and every
// annotation of the provisioned dashboards through the plugin against the simulator, and checks
// the answer holds what the panel reads: each metric with known values, time for time series,
// coordinates and the fields a Geomap layer names, heatmap buckets, annotation fields, display
// names with no placeholder left, and every field the panel names (panelFieldProblems).
func TestProvisionedDashboardsAnswerWhatTheirPanelsRead(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-time.Hour)
	for file, dash := range loadDashboards(t) {
		for _, p := range dash.panels() {
			require.NotEmpty(t, p.Targets, "%s: panel %q has no query", file, p.Title)
			for _, target := range p.Targets {
				ref, _ := target["refId"].(string)
				t.Run(fmt.Sprintf("%s/%d %s/%s", file, p.ID, p.Title, ref), func(t *testing.T) {
					expanded := expandVariable(t, target, "$service", fastlysim.ShopServiceID)
					r := env.query(t, from, simNow, expanded).Responses["A"]
					require.NoError(t, r.Error)
					require.NotEmpty(t, r.Frames)
					checkPanelFields(t, p, expanded, r.Frames)
					assert.Empty(t, panelFieldProblems(p, r.Frames), "fields the panel names but the answer lacks")
				})
			}
		}
		for _, a := range dash.Annotations.List {
			t.Run(file+"/annotation "+a.Name, func(t *testing.T) {
				expanded := expandVariable(t, a.Target, "$service", fastlysim.ShopServiceID)
				r := env.query(t, simNow.Add(-7*24*time.Hour), simNow, expanded).Responses["A"]
				require.NoError(t, r.Error)
				require.NotEmpty(t, r.Frames)
				for _, name := range []string{"time", "title", "text"} {
					assert.NotNil(t, fieldByName(r.Frames[0], name), "annotation field %s", name)
				}
				assert.Positive(t, r.Frames[0].Rows(), "a week of the shop's history has changes to show")
			})
		}
	}
}

// checkPanelFields checks one target's answer against what its panel type reads.
func checkPanelFields(t *testing.T, p dashboardItem, target map[string]any, got data.Frames) {
	t.Helper()
	for _, fr := range got {
		for _, f := range fr.Fields {
			if f.Config != nil {
				assert.NotContains(t, f.Config.DisplayNameFromDS, "{{", "legend placeholder left in %q", f.Config.DisplayNameFromDS)
			}
		}
	}
	metrics, _ := target["metrics"].([]any)
	for _, m := range metrics {
		name := m.(string)
		if m, _ := catalog.Lookup(name); m.Histogram {
			checkHeatmap(t, got)
			continue
		}
		assert.True(t, hasKnownValue(got, name, p.Type != "geomap" && target["format"] != "popmap"),
			"no known value of %s in the answer", name)
	}
	if p.Type != "geomap" {
		return
	}
	require.Len(t, got, 1, "a map reads one table")
	for _, layer := range p.Options.Layers {
		for _, key := range []string{"latitude", "longitude"} {
			assert.True(t, hasKnownValue(got, layer.Location[key], false), "the layer reads %s from %q", key, layer.Location[key])
		}
		for _, style := range []string{"size", "color", "text"} {
			var dim struct {
				Field string `json:"field"`
			}
			require.NoError(t, json.Unmarshal(layer.Config.Style[style], &dim))
			if dim.Field != "" {
				assert.NotNil(t, fieldByName(got[0], dim.Field), "the layer's %s reads %q", style, dim.Field)
			}
		}
	}
}

// hasKnownValue reports whether some field for metric (by its label, or its name in a table)
// holds a non-null value, in a frame that also has a time field when series are asked for.
func hasKnownValue(got data.Frames, metric string, series bool) bool {
	for _, fr := range got {
		if series && !slices.ContainsFunc(fr.Fields, func(f *data.Field) bool { return f.Type().Time() }) {
			continue
		}
		for _, f := range fr.Fields {
			if f.Labels["metric"] != metric && f.Name != metric {
				continue
			}
			for i := range f.Len() {
				if v, err := f.NullableFloatAt(i); err == nil && v != nil {
					return true
				}
				if s, ok := f.At(i).(string); ok && s != "" {
					return true
				}
			}
		}
	}
	return false
}

func checkHeatmap(t *testing.T, got data.Frames) {
	t.Helper()
	fr := got[0]
	require.NotNil(t, fr.Meta)
	assert.Equal(t, data.FrameType("heatmap-rows"), fr.Meta.Type)
	// Origin Inspector's latency buckets by upper bound in ms, the open last one as +Inf: the
	// names Grafana's heatmap reads as pre-bucketed "le" bounds
	for _, name := range []string{"1", "5", "10", "50", "100", "250", "500", "1000", "5000", "10000", "60000", "+Inf"} {
		assert.NotNil(t, fieldByName(fr, name), "heatmap bucket %s", name)
	}
}

// TestProvisionedDashboardsAreWellFormed: unique uids and titles, unique panel ids, no panels
// on top of each other, and the live incident dashboard's promises (1 s refresh, shared
// crosshair, activation and purge annotations).
func TestProvisionedDashboardsAreWellFormed(t *testing.T) {
	dashes := loadDashboards(t)
	uids, titles := map[string]string{}, map[string]string{}
	for file, d := range dashes {
		require.NotEmpty(t, d.UID, file)
		assert.Empty(t, uids[d.UID], "uid %s in %s and %s", d.UID, file, uids[d.UID])
		assert.Empty(t, titles[d.Title], "title %s in %s and %s", d.Title, file, titles[d.Title])
		uids[d.UID], titles[d.Title] = file, file
		ids := map[int]bool{}
		var placed []dashboardItem
		for _, p := range d.Panels {
			assert.False(t, ids[p.ID], "%s: panel id %d twice", file, p.ID)
			ids[p.ID] = true
			for _, q := range placed {
				overlap := p.GridPos.X < q.GridPos.X+q.GridPos.W && q.GridPos.X < p.GridPos.X+p.GridPos.W &&
					p.GridPos.Y < q.GridPos.Y+q.GridPos.H && q.GridPos.Y < p.GridPos.Y+p.GridPos.H
				assert.False(t, overlap, "%s: %q overlaps %q", file, p.Title, q.Title)
			}
			placed = append(placed, p)
		}
	}
	raw, err := os.ReadFile("../../provisioning/dashboards/fastly-live-incident.json")
	require.NoError(t, err)
	var live struct {
		Refresh      string `json:"refresh"`
		GraphTooltip int    `json:"graphTooltip"`
	}
	require.NoError(t, json.Unmarshal(raw, &live))
	assert.Equal(t, "1s", live.Refresh)
	assert.Equal(t, 1, live.GraphTooltip, "shared crosshair")
	types := dashes["fastly-live-incident.json"].Annotations.List[0].Target["eventTypes"]
	assert.ElementsMatch(t, []any{"version.activate", "service.purge_all"}, types)
}

// expandVariable does what Grafana's template service does before a query reaches the backend.
func expandVariable(t *testing.T, target map[string]any, name, value string) map[string]any {
	raw, err := json.Marshal(target)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(string(raw), name, value)), &out))
	return out
}

// TestProvisionedHistoricalPOPMapsAddUp: every historical POP map provisioned shows, over its
// POPs, the same requests as the same query drawn as time series: the map splits the
// service's traffic by POP and neither loses nor repeats any of it.
func TestProvisionedHistoricalPOPMapsAddUp(t *testing.T) {
	env := newEnv(t, simToken)
	from := simNow.Add(-time.Hour)
	found := 0
	for file, dash := range loadDashboards(t) {
		for _, p := range dash.panels() {
			for _, target := range p.Targets {
				if target["queryType"] != "stats" || target["format"] != "popmap" {
					continue
				}
				found++
				expanded := expandVariable(t, target, "$service", fastlysim.ShopServiceID)
				m := env.query(t, from, simNow, expanded).Responses["A"]
				require.NoError(t, m.Error, "%s: %q", file, p.Title)
				var mapped float64
				requests := fieldByName(m.Frames[0], "all_requests")
				require.NotNil(t, requests, "%s: %q shows every source's requests", file, p.Title)
				for i := range requests.Len() {
					if v := requests.At(i).(*float64); v != nil {
						mapped += *v
					}
				}
				delete(expanded, "format")
				expanded["metrics"] = []string{"all_requests"}
				s := env.query(t, from, simNow, expanded).Responses["A"]
				require.NoError(t, s.Error)
				var series float64
				for _, v := range seriesOf(s.Frames) {
					for _, x := range v {
						if !math.IsNaN(x) {
							series += x
						}
					}
				}
				assert.Positive(t, mapped, "%s: %q", file, p.Title)
				assert.Equal(t, series, mapped, "%s: %q", file, p.Title)
			}
		}
	}
	assert.Positive(t, found, "a historical POP map is provisioned")
}
