package plugin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// grafanaDataSource is one data source of a Grafana, as its data source service lists it.
type grafanaDataSource struct {
	UID  string `yaml:"uid"`
	Name string `yaml:"name"`
	Type string `yaml:"type"`
}

// dataSourceVariable is the `datasource` variable every provisioned dashboard declares.
type dataSourceVariable struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	Query   string `json:"query"`
	Regex   string `json:"regex"`
	Multi   bool   `json:"multi"`
	All     bool   `json:"includeAll"`
	Current struct {
		Text  string `json:"text"`
		Value string `json:"value"`
	} `json:"current"`
}

// resolveDataSourceVariable picks the variable's value as Grafana does when a dashboard loads:
// the options are the data sources of the variable's plugin type, sorted by name without case
// (DatasourceSrv.getList), valued by uid; the current value is kept when an option has it as
// uid, or else as name; otherwise the first option is taken (scenes' MultiValueVariable).
func resolveDataSourceVariable(v dataSourceVariable, sources []grafanaDataSource) string {
	var options []grafanaDataSource
	for _, ds := range sources {
		if ds.Type == v.Query {
			options = append(options, ds)
		}
	}
	slices.SortFunc(options, func(a, b grafanaDataSource) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	for _, o := range options {
		if o.UID == v.Current.Value {
			return o.UID
		}
	}
	for _, o := range options {
		if o.Name == v.Current.Text {
			return o.UID
		}
	}
	if len(options) == 0 {
		return ""
	}
	return options[0].UID
}

// dataSourceRef is where a reference leads once its variables are replaced: Grafana looks the
// result up by uid, then by name (DatasourceSrv.getInstanceSettings).
func dataSourceRef(ref any, variable, value string, sources []grafanaDataSource) (grafanaDataSource, bool) {
	obj, _ := ref.(map[string]any)
	key, _ := obj["uid"].(string)
	for _, form := range []string{"${" + variable + "}", "$" + variable, "[[" + variable + "]]"} {
		key = strings.ReplaceAll(key, form, value)
	}
	for _, byName := range []bool{false, true} {
		for _, ds := range sources {
			if (!byName && ds.UID == key) || (byName && ds.Name == key) {
				return ds, obj["type"] == ds.Type
			}
		}
	}
	return grafanaDataSource{}, false
}

// dataSourceRefs lists every data source reference in a dashboard's JSON with where it is:
// panels, rows' panels, targets, variables and annotations, and anything else that has one.
func dataSourceRefs(node any, where string, out map[string]any) {
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			if k == "datasource" {
				out[where] = v
				continue
			}
			dataSourceRefs(v, where+"/"+k, out)
		}
	case []any:
		for i, v := range n {
			dataSourceRefs(v, where+"/"+strconv.Itoa(i), out)
		}
	}
}

// provisionedDataSource is the data source scripts/run.sh provisions.
func provisionedDataSource(t *testing.T) grafanaDataSource {
	t.Helper()
	raw, err := os.ReadFile("../../provisioning/datasources/fastly.yaml")
	require.NoError(t, err)
	var file struct {
		Datasources []grafanaDataSource `yaml:"datasources"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &file))
	require.Len(t, file.Datasources, 1)
	return file.Datasources[0]
}

// TestProvisionedDashboardsFollowTheirDataSourceVariable loads each provisioned dashboard as
// three Grafanas would: the one scripts/run.sh provisions (uid `fastly`), one where the user
// added Fastly in the UI (another uid, beside a default data source of another type), and the
// same one with the second Fastly data source picked. In each, every panel, target, variable
// and annotation must lead to the Fastly data source the `datasource` variable holds, and no
// reference may name a uid itself: the dashboards work whatever uid the data source has.
func TestProvisionedDashboardsFollowTheirDataSourceVariable(t *testing.T) {
	provisioned := provisionedDataSource(t)
	require.Equal(t, PluginID, provisioned.Type)
	production := grafanaDataSource{UID: "bf3k2m9xq7", Name: "Fastly production", Type: PluginID}
	staging := grafanaDataSource{UID: "a01staging", Name: "Fastly staging", Type: PluginID}
	prometheus := grafanaDataSource{UID: "prom01", Name: "A Prometheus", Type: "prometheus"}
	grafanas := []struct {
		name    string
		sources []grafanaDataSource
		picked  string // the variable's value chosen in the dashboard; empty keeps the file's
		want    grafanaDataSource
	}{
		{"provisioned by scripts/run.sh", []grafanaDataSource{provisioned}, "", provisioned},
		{"added in the UI", []grafanaDataSource{staging, prometheus, production}, "", production},
		{"second Fastly picked", []grafanaDataSource{staging, prometheus, production}, staging.UID, staging},
	}
	files, err := filepath.Glob("../../provisioning/dashboards/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, json.Unmarshal(raw, &doc))
		var dash struct {
			Inputs     []any `json:"__inputs"`
			Templating struct {
				List []json.RawMessage `json:"list"`
			} `json:"templating"`
		}
		require.NoError(t, json.Unmarshal(raw, &dash))
		name := filepath.Base(file)
		// Grafana's import replaces ${DS_...} inputs only on import, never when provisioning
		// from files, and refuses an import that lacks one (its plugin dashboard updater sends none)
		assert.Empty(t, dash.Inputs, "%s: __inputs", name)
		require.NotEmpty(t, dash.Templating.List, name)
		var first struct {
			Name string `json:"name"`
		}
		require.NoError(t, json.Unmarshal(dash.Templating.List[0], &first))
		require.Equal(t, "datasource", first.Name, "%s: the first variable is the data source", name)
		var v dataSourceVariable
		require.NoError(t, json.Unmarshal(dash.Templating.List[0], &v))
		assert.Equal(t, "datasource", v.Type, name)
		assert.Equal(t, PluginID, v.Query, "%s: the variable lists this plugin's data sources", name)
		assert.False(t, v.Multi || v.All || v.Regex != "", "%s: one data source, any name", name)

		refs := map[string]any{}
		dataSourceRefs(doc, "", refs)
		checkEveryQueryHasARef(t, name, doc, refs)
		for where, ref := range refs {
			obj, _ := ref.(map[string]any)
			assert.Equal(t, map[string]any{"type": PluginID, "uid": "${datasource}"}, obj, "%s%s", name, where)
		}
		for _, g := range grafanas {
			chosen := v
			if g.picked != "" {
				chosen.Current.Value = g.picked
			}
			value := resolveDataSourceVariable(chosen, g.sources)
			for where, ref := range refs {
				got, typed := dataSourceRef(ref, "datasource", value, g.sources)
				assert.Equal(t, g.want, got, "%s, %s: %s", g.name, name, where)
				assert.True(t, typed, "%s, %s: %s names the plugin's type", g.name, name, where)
			}
		}
	}
}

// checkEveryQueryHasARef: every panel (rows' panels too), target, query variable and annotation
// names its data source, so none falls back to Grafana's default, which may be of another type.
func checkEveryQueryHasARef(t *testing.T, name string, doc map[string]any, refs map[string]any) {
	t.Helper()
	has := func(where string) {
		_, ok := refs[where]
		assert.True(t, ok, "%s%s has no data source", name, where)
	}
	count := 0
	var panels func(list []any, where string)
	panels = func(list []any, where string) {
		for i, p := range list {
			pm := p.(map[string]any)
			at := where + "/" + strconv.Itoa(i)
			if pm["type"] == "row" {
				inner, _ := pm["panels"].([]any)
				panels(inner, at+"/panels")
				continue
			}
			has(at)
			targets, _ := pm["targets"].([]any)
			for j := range targets {
				has(at + "/targets/" + strconv.Itoa(j))
				count++
			}
		}
	}
	top, _ := doc["panels"].([]any)
	panels(top, "/panels")
	vars, _ := doc["templating"].(map[string]any)["list"].([]any)
	for i, v := range vars {
		if v.(map[string]any)["type"] == "query" {
			has("/templating/list/" + strconv.Itoa(i))
			count++
		}
	}
	if annotations, ok := doc["annotations"].(map[string]any); ok {
		list, _ := annotations["list"].([]any)
		for i := range list {
			has("/annotations/list/" + strconv.Itoa(i))
			count++
		}
	}
	assert.Positive(t, count, name)
}

// TestPluginIncludesEveryProvisionedDashboard: plugin.json lists each provisioned dashboard
// once, by its title, so the data source's Dashboards tab offers every one of them for import.
// The build ships provisioning/<path> as <path> (webpack.config.ts).
func TestPluginIncludesEveryProvisionedDashboard(t *testing.T) {
	raw, err := os.ReadFile("../../plugin.json")
	require.NoError(t, err)
	var manifest struct {
		Includes []struct{ Type, Name, Path string } `json:"includes"`
	}
	require.NoError(t, json.Unmarshal(raw, &manifest))
	included := map[string]string{}
	for _, inc := range manifest.Includes {
		require.Equal(t, "dashboard", inc.Type, inc.Name)
		require.NotContains(t, included, inc.Path, "included twice")
		included[inc.Path] = inc.Name
	}
	for file, d := range loadDashboards(t) {
		path := "dashboards/" + file
		assert.Equal(t, d.Title, included[path], "plugin.json includes %s by its title", path)
		delete(included, path)
	}
	assert.Empty(t, included, "included, but not in provisioning/dashboards")
}
