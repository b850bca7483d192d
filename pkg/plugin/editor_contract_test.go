package plugin

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// The editor's contract: what the editor knows of the query model and of each query type,
// written from the Go code by TestQueryTypesFileIsTheRegistry (-update rewrites the files).
// The editor builds on them and keeps no copy of its own: src/queryTypes.generated.json holds
// every type's spec with the fields its editor shows, and the limits, retention and default
// event types the editor says before a query runs; src/queryModel.generated.ts holds the query
// model as TypeScript (FastlyQuery in src/types.ts is it), with the unions a JSON import cannot
// type (type names, groupings, resolutions, editor fields).

var updateGenerated = flag.Bool("update", false, "rewrite the generated files the editor builds on and its tests read (src/*.generated.*, src/testing/*.json)")

const (
	generatedSpecs = "../../src/queryTypes.generated.json"
	generatedModel = "../../src/queryModel.generated.ts"
)

// editorRegistry is what the editor reads of the registry and the query model.
type editorRegistry struct {
	// DefaultType is the type of a query that names none, and of a new one.
	DefaultType string       `json:"defaultType"`
	Types       []editorType `json:"types"`
	// AdHocKeys are the dashboard ad-hoc filter keys some type takes, in the order offered.
	AdHocKeys []string     `json:"adHocKeys"`
	Limits    editorLimits `json:"limits"`
	// DefaultEventTypes are what an events query shows unless it turns them off.
	DefaultEventTypes []string `json:"defaultEventTypes"`
}

// editorType is a type's spec with what follows from it for the editor: the fields it shows,
// with live off and on; how each ad-hoc key narrows it; the labels its series carry, which a
// legend may name.
type editorType struct {
	models.TypeSpec
	// FieldDefaults are what the type's Defaults fill in where a query leaves its own fields
	// empty, by JSON name (a limit's default is in Limit).
	FieldDefaults map[string]any    `json:"defaults,omitempty"`
	Fields        []string          `json:"fields"`
	LiveFields    []string          `json:"liveFields,omitempty"`
	AdHoc         []models.AdHocKey `json:"adHoc"`
	Legend        []string          `json:"legend"`
	LiveLegend    []string          `json:"liveLegend,omitempty"`
}

// editorLimits are the backend's bounds the editor also shows.
type editorLimits struct {
	MaxTop          int `json:"maxTop"`          // a stats query's top (models.MaxTop)
	MaxLiveServices int `json:"maxLiveServices"` // services one streaming query may take
	// RetentionDays is how long Fastly keeps each resolution's buckets.
	RetentionDays map[string]int `json:"retentionDays"`
}

// seriesLabels are the labels every metric series may carry besides its grouping's: the
// metric's catalog label ({{label}}, which renderLegend knows), its name, and its service.
var seriesLabels = []string{"label", "metric", "service_name", "service"}

// adHocFields are the query fields the ad-hoc keys narrow unless a type says otherwise
// (TypeSpec.AdHoc), in the order the keys are offered.
var adHocFields = []models.AdHocKey{
	{Key: "service", Field: "services"},
	{Key: "pop", Field: "pops"},
	{Key: "region", Field: "region"},
	{Key: "origin", Field: "origins"},
	{Key: "domain", Field: "domains"},
}

// editorFields are the fields a type's editor shows besides its type and services: those its
// spec implies, then its own, with live on or off. A POP map adds the POPs and drops the
// grouping, the top list and the legend (the editor does that, src/queryTypes.ts).
func editorFields(s models.TypeSpec, live bool) []string {
	history := !live
	var out []string
	add := func(on bool, fields ...string) {
		if on {
			out = append(out, fields...)
		}
	}
	add(s.MetricFamily != "", "metrics")
	add(s.LiveSwitch, "live")
	add(s.Buckets && history, "resolution", "perSecond")
	add(s.Region && history, "region")
	add(s.POPMap, "format")
	add(len(groupings(s, live)) > 1, "groupBy")
	add(s.Limit != nil, "limit")
	for _, f := range s.OwnFields {
		add(history || !slices.Contains(s.HistoryOnly, f), f)
	}
	add(s.Kind != "", "legendFormat") // catalog series are named by frames/legend.go
	return out
}

// groupings are the type's groupings with live on or off.
func groupings(s models.TypeSpec, live bool) []string {
	if live && s.LiveSwitch {
		return s.LiveGroupBy
	}
	return s.GroupBy
}

// legendLabels are the labels a type's series carry, which its legend may name; none when it
// has no legend.
func legendLabels(s models.TypeSpec, live bool) []string {
	if !slices.Contains(editorFields(s, live), "legendFormat") {
		return []string{}
	}
	out := slices.Clone(seriesLabels)
	for _, g := range groupings(s, live) {
		if !slices.Contains(out, g) && g != "" {
			out = append(out, g)
		}
	}
	return out
}

// adHocKeys say how each ad-hoc key narrows the type: its own ways first, then the key's own
// field wherever the type shows it (with live on or off, or on a POP map).
func adHocKeys(s models.TypeSpec) []models.AdHocKey {
	shown := append(editorFields(s, false), editorFields(s, true)...)
	if s.POPMap {
		shown = append(shown, "pops")
	}
	out := slices.Clone(s.AdHoc)
	for _, k := range adHocFields {
		own := slices.ContainsFunc(out, func(o models.AdHocKey) bool { return o.Key == k.Key })
		if !own && (k.Key == "service" || slices.Contains(shown, k.Field)) {
			out = append(out, k)
		}
	}
	return out
}

// fieldDefaults are the fields the type's Defaults set on an empty query, with their values.
func fieldDefaults(s models.TypeSpec) (map[string]any, error) {
	if s.Defaults == nil {
		return nil, nil
	}
	var q models.Query
	s.Defaults(&q)
	empty, err := asJSONMap(models.Query{})
	if err != nil {
		return nil, err
	}
	filled, err := asJSONMap(q)
	out := map[string]any{}
	for k, v := range filled {
		if !reflect.DeepEqual(v, empty[k]) {
			out[k] = v
		}
	}
	return out, err
}

func asJSONMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// editorContract is the registry as the editor reads it, types in registry order.
func editorContract(t *testing.T) editorRegistry {
	t.Helper()
	c, err := buildEditorContract()
	require.NoError(t, err)
	return c
}

func buildEditorContract() (editorRegistry, error) {
	c := editorRegistry{
		DefaultType: models.QueryTypeStats,
		Limits: editorLimits{MaxTop: models.MaxTop, MaxLiveServices: maxRealtimeServices, RetentionDays: map[string]int{
			models.ResolutionMinute: int(models.MinuteRetention.Hours() / 24),
			models.ResolutionHour:   int(models.HourRetention.Hours() / 24),
		}},
		DefaultEventTypes: defaultEventTypes,
	}
	for _, t := range queryTypes {
		defaults, err := fieldDefaults(t.TypeSpec)
		if err != nil {
			return c, err
		}
		e := editorType{TypeSpec: t.TypeSpec, FieldDefaults: defaults, Fields: editorFields(t.TypeSpec, false),
			AdHoc: adHocKeys(t.TypeSpec), Legend: legendLabels(t.TypeSpec, false)}
		if t.LiveSwitch {
			e.LiveFields, e.LiveLegend = editorFields(t.TypeSpec, true), legendLabels(t.TypeSpec, true)
		}
		c.Types = append(c.Types, e)
	}
	for _, k := range adHocFields {
		if slices.ContainsFunc(c.Types, func(e editorType) bool {
			return slices.ContainsFunc(e.AdHoc, func(a models.AdHocKey) bool { return a.Key == k.Key })
		}) {
			c.AdHocKeys = append(c.AdHocKeys, k.Key)
		}
	}
	return c, nil
}

// checkGenerated fails when the checked-in file at path is not v as indented JSON; with -update
// it rewrites the file first. rerun says how to regenerate it and what to run next.
func checkGenerated(t *testing.T, path string, v any, rerun string) {
	t.Helper()
	want, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	checkGeneratedText(t, path, string(want)+"\n", rerun)
}

// checkGeneratedText is checkGenerated for a file written as text.
func checkGeneratedText(t *testing.T, path, want, rerun string) {
	t.Helper()
	if *updateGenerated {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
	}
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, want, string(got), rerun)
}

// TestQueryTypesFileIsTheRegistry fails when the checked-in files the editor builds on are not
// what the Go code says; `go test ./pkg/plugin -run QueryTypesFile -update` rewrites them.
func TestQueryTypesFileIsTheRegistry(t *testing.T) {
	const rerun = "run go test ./pkg/plugin -run QueryTypesFile -update, then the editor's tests"
	checkGenerated(t, generatedSpecs, editorContract(t), rerun)
	module, err := queryModelModule(editorContract(t))
	require.NoError(t, err)
	checkGeneratedText(t, generatedModel, module, rerun)
}

// TestEditorFieldsAreQueryFields: every field the contract names is a field of the query
// model, by its JSON name, so the editor's field table and error placement meet the backend's.
func TestEditorFieldsAreQueryFields(t *testing.T) {
	names := map[string]bool{}
	for _, f := range modelFields(reflect.TypeFor[models.Query]()) {
		names[f.json] = true
	}
	for _, e := range editorContract(t).Types {
		for _, f := range append(append(slices.Clone(e.Fields), e.LiveFields...), e.HistoryOnly...) {
			assert.True(t, names[f], "%s shows %q, which models.Query lacks", e.Name, f)
		}
		for _, k := range e.AdHoc {
			assert.True(t, names[k.Field], "%s narrows %s through %q, which models.Query lacks", e.Name, k.Key, k.Field)
		}
		for f := range e.FieldDefaults {
			assert.Contains(t, e.Fields, f, "%s fills in %s, which its editor shows with the default", e.Name, f)
		}
	}
}

// TestEditorContract pins what follows from the registry for a few types, as the editor reads it.
func TestEditorContract(t *testing.T) {
	byName := map[string]editorType{}
	for _, e := range editorContract(t).Types {
		byName[e.Name] = e
	}
	stats, origins, logs := byName["stats"], byName["origins"], byName["logs"]
	assert.Equal(t, []string{"metrics", "resolution", "perSecond", "region", "format", "groupBy", "top", "legendFormat"}, stats.Fields)
	assert.Equal(t, []string{"label", "metric", "service_name", "service"}, stats.Legend)
	assert.Equal(t, []string{"service", "pop", "region"}, adHocKeyNames(stats.AdHoc), "a POP map takes POPs")
	assert.Equal(t, []string{"metrics", "live", "resolution", "perSecond", "format", "groupBy", "pops", "origins", "legendFormat"}, origins.Fields)
	assert.Equal(t, []string{"metrics", "live", "format", "groupBy", "pops", "legendFormat"}, origins.LiveFields)
	assert.Equal(t, []string{"label", "metric", "service_name", "service", "origin", "pop", "region"}, origins.Legend)
	assert.Equal(t, []string{"label", "metric", "service_name", "service", "pop"}, origins.LiveLegend)
	assert.Equal(t, []string{"limit", "filters"}, logs.Fields)
	assert.Empty(t, logs.Legend, "sampled logs name their own series")
	assert.Equal(t, []models.AdHocKey{{Key: "pop", Field: "filters", LogField: "fastly_pop"}, {Key: "domain", Field: "filters", LogField: "domain"}, {Key: "service", Field: "services"}}, logs.AdHoc)
	assert.Equal(t, []string{"service", "pop", "region", "origin", "domain"}, editorContract(t).AdHocKeys)
}

func adHocKeyNames(ks []models.AdHocKey) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.Key
	}
	return out
}

// TestLegendPlaceholdersAreTheSeriesLabels runs every type with a legend through the simulator,
// once per grouping: the labels its series carry are the placeholders the contract lists, so
// the editor's legend tooltip names what a legend can use.
func TestLegendPlaceholdersAreTheSeriesLabels(t *testing.T) {
	e := newInspectorLiveEnv(t)
	for _, qt := range queryTypes {
		for _, live := range []bool{false, true} {
			want := legendLabels(qt.TypeSpec, live)
			if len(want) == 0 || (live && !qt.LiveSwitch) {
				continue
			}
			seen := map[string]bool{"label": true} // the catalog's, not a series label
			for _, g := range groupings(qt.TypeSpec, live) {
				q := map[string]any{"queryType": qt.Name, "services": []string{fastlysim.APIServiceID}, "groupBy": g, "live": live}
				r := e.queryType(t, q)
				require.NoError(t, r.Error, "%v", q)
				for _, fr := range r.Frames {
					for _, f := range fr.Fields[1:] {
						for k := range f.Labels {
							seen[k] = true
						}
					}
				}
			}
			assert.ElementsMatch(t, want, sortedKeys(seen), "%s (live %v)", qt.Name, live)
		}
	}
}
