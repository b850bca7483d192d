package plugin

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// transformation is one step of a panel's transformations, as the dashboard JSON holds it.
type transformation struct {
	ID      string          `json:"id"`
	Options json.RawMessage `json:"options"`
}

// reducerColumns are the columns Grafana's reduce transformation names after each reducer (its
// fieldReducers' names).
var reducerColumns = map[string]string{
	"mean": "Mean", "sum": "Total", "max": "Max", "min": "Min", "count": "Count",
	"last": "Last", "lastNotNull": "Last *", "first": "First", "firstNotNull": "First *",
}

// panelFieldProblems lists every field a panel names that the plugin's answer does not give it:
// names read by its transformations (each step sees what the previous one left), and after them
// the fields its byName overrides, a table's sort column and a bar chart's categories name. A
// panel with no metric to look for (insights, log series) is also checked for the shape its type
// draws. A field is named by its name or its display name, as Grafana matches them.
func panelFieldProblems(p dashboardItem, got data.Frames) []string {
	names := answerFieldNames(got)
	var problems []string
	need := func(who, name string) {
		if !slices.Contains(names, name) {
			problems = append(problems, fmt.Sprintf("%s names %q; the fields are %q", who, name, names))
		}
	}
	for i, tr := range p.Transformations {
		var err error
		names, err = applyTransformation(tr, names, func(name string) { need(fmt.Sprintf("transformation %d (%s)", i, tr.ID), name) })
		if err != nil {
			return append(problems, err.Error())
		}
	}
	for _, o := range p.FieldConfig.Overrides {
		if o.Matcher.ID != "byName" {
			continue
		}
		var name string
		if err := json.Unmarshal(o.Matcher.Options, &name); err != nil {
			problems = append(problems, fmt.Sprintf("a byName override's options are not a field name: %s", o.Matcher.Options))
			continue
		}
		need("an override", name)
	}
	for _, s := range p.Options.SortBy {
		need("the table's sort", s.DisplayName)
	}
	if p.Options.XField != "" {
		need("the bar chart's x field", p.Options.XField)
	}
	return append(problems, shapeProblems(p.Type, got)...)
}

// answerFieldNames are the names a panel can match the answer's fields by: each field's name,
// and its display name when the plugin sets one.
func answerFieldNames(got data.Frames) []string {
	var names []string
	add := func(n string) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, fr := range got {
		for _, f := range fr.Fields {
			add(f.Name)
			if f.Config != nil {
				add(f.Config.DisplayName)
				add(f.Config.DisplayNameFromDS)
			}
		}
	}
	return names
}

// applyTransformation checks the names one step reads (calling need for each) and returns the
// names it leaves. A step it does not know is an error, so a new one is taught here rather than
// passed unchecked.
func applyTransformation(tr transformation, names []string, need func(name string)) ([]string, error) {
	switch tr.ID {
	case "limit":
		return names, nil
	case "reduce":
		var o struct {
			Reducers []string `json:"reducers"`
			Mode     string   `json:"mode"`
		}
		if err := json.Unmarshal(tr.Options, &o); err != nil {
			return nil, err
		}
		if o.Mode == "reduceFields" {
			return names, nil
		}
		out := []string{"Field"} // seriesToRows: one row per series, named in "Field"
		for _, r := range o.Reducers {
			col, ok := reducerColumns[r]
			if !ok {
				return nil, fmt.Errorf("reducer %q: add its column name to reducerColumns", r)
			}
			out = append(out, col)
		}
		return out, nil
	case "sortBy":
		var o struct {
			Sort []struct {
				Field string `json:"field"`
			} `json:"sort"`
		}
		if err := json.Unmarshal(tr.Options, &o); err != nil {
			return nil, err
		}
		for _, s := range o.Sort {
			need(s.Field)
		}
		return names, nil
	case "organize":
		var o struct {
			ExcludeByName map[string]bool   `json:"excludeByName"`
			RenameByName  map[string]string `json:"renameByName"`
			IndexByName   map[string]int    `json:"indexByName"`
		}
		if err := json.Unmarshal(tr.Options, &o); err != nil {
			return nil, err
		}
		for _, m := range []map[string]bool{o.ExcludeByName, keysOf(o.RenameByName), keysOf(o.IndexByName)} {
			for _, n := range sortedKeys(m) {
				need(n)
			}
		}
		var out []string
		for _, n := range names {
			if o.ExcludeByName[n] {
				continue
			}
			if r := o.RenameByName[n]; r != "" {
				n = r
			}
			out = append(out, n)
		}
		return out, nil
	}
	return nil, fmt.Errorf("transformation %q: teach applyTransformation what it reads and leaves", tr.ID)
}

func keysOf[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// shapeProblems checks the answer has what the panel type draws: a time series needs a time
// field beside a number with a known value; a stat or a bar chart, a number with a known value;
// a table, a row.
func shapeProblems(panelType string, got data.Frames) []string {
	switch panelType {
	case "timeseries":
		for _, fr := range got {
			if slices.ContainsFunc(fr.Fields, func(f *data.Field) bool { return f.Type().Time() }) && hasKnownNumber(fr) {
				return nil
			}
		}
		return []string{"a time series panel, but no frame has a time field and a known number"}
	case "stat", "barchart":
		if slices.ContainsFunc(got, hasKnownNumber) {
			return nil
		}
		return []string{fmt.Sprintf("a %s panel, but the answer has no known number", panelType)}
	case "table":
		if slices.ContainsFunc(got, func(fr *data.Frame) bool { return fr.Rows() > 0 }) {
			return nil
		}
		return []string{"a table panel, but the answer has no row"}
	}
	return nil
}

// hasKnownNumber reports a numeric field, not time, holding a non-null value.
func hasKnownNumber(fr *data.Frame) bool {
	for _, f := range fr.Fields {
		if f.Type().Time() || !f.Type().Numeric() {
			continue
		}
		for i := range f.Len() {
			if v, err := f.NullableFloatAt(i); err == nil && v != nil {
				return true
			}
		}
	}
	return false
}

// TestPanelFieldProblemsFindsEachKindOfReference: the check behind the dashboard test reports a
// name each kind of reference gets wrong, follows transformations step by step, and accepts a
// display name.
func TestPanelFieldProblemsFindsEachKindOfReference(t *testing.T) {
	requests := data.NewField("requests", nil, []float64{12})
	requests.Config = &data.FieldConfig{DisplayNameFromDS: "Requests"}
	table := data.Frames{data.NewFrame("", data.NewField("status_code", nil, []string{"200"}), requests)}
	var p dashboardItem
	require.NoError(t, json.Unmarshal([]byte(`{
		"type": "barchart",
		"options": {"xField": "status", "sortBy": [{"displayName": "Requests"}]},
		"fieldConfig": {"overrides": [{"matcher": {"id": "byName", "options": "Share"}}, {"matcher": {"id": "byType", "options": "number"}}]},
		"transformations": [{"id": "organize", "options": {"excludeByName": {"latitude": true}, "renameByName": {"requests": "Hits"}}}]
	}`), &p))
	names := `["status_code" "Hits" "Requests"]`
	assert.Equal(t, []string{
		`transformation 0 (organize) names "latitude"; the fields are ["status_code" "requests" "Requests"]`,
		`an override names "Share"; the fields are ` + names,
		`the bar chart's x field names "status"; the fields are ` + names,
	}, panelFieldProblems(p, table))

	var reduced dashboardItem
	require.NoError(t, json.Unmarshal([]byte(`{
		"type": "table",
		"options": {"sortBy": [{"displayName": "Requests/s"}]},
		"transformations": [
			{"id": "reduce", "options": {"reducers": ["mean"], "mode": "seriesToRows"}},
			{"id": "sortBy", "options": {"sort": [{"field": "Mean"}]}},
			{"id": "organize", "options": {"renameByName": {"Field": "Service", "Mean": "Requests/s"}}}
		]
	}`), &reduced))
	series := data.Frames{data.NewFrame("", data.NewField("time", nil, []time.Time{simNow}), data.NewField("requests", nil, []float64{3}))}
	assert.Empty(t, panelFieldProblems(reduced, series), "names made by reduce, renamed by organize")

	reduced.Transformations = append(reduced.Transformations, transformation{ID: "joinByField"})
	assert.Equal(t, []string{`transformation "joinByField": teach applyTransformation what it reads and leaves`}, panelFieldProblems(reduced, series))

	assert.Equal(t, []string{"a time series panel, but no frame has a time field and a known number"},
		panelFieldProblems(dashboardItem{Type: "timeseries"}, table))
}
