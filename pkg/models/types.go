package models

import (
	"slices"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// TypeSpec is what the query model knows about one query type: where its metrics come from,
// what it may be grouped by, its defaults and its own checks. Each type's spec is written once,
// in the plugin's registry; parsing, the editor's /query-types resource and the editor's drift
// test all read it from there.
type TypeSpec struct {
	Name        string         `json:"name"`
	Label       string         `json:"label"`             // what users see it called (the editor's type picker)
	Description string         `json:"description"`       // one line on what it answers, shown under the label
	Kind        catalog.Kind   `json:"kind,omitempty"`    // catalog kind of its metrics; "" when it has none
	Product     fastly.Product `json:"product,omitempty"` // the paid product it needs enabled; "" when every service has it
	// MetricFamily says what its metric names mean: types of one family mean the same thing by
	// one name (historical and real-time edge metrics), so the editor keeps a query's metrics
	// when it switches between them. "" when the type takes no metrics.
	MetricFamily string `json:"metricFamily,omitempty"`
	// Realtime is the rt.fastly.com family it streams from: always for realtime, with
	// "live": true for the inspectors (LiveSwitch); "" when it never streams.
	Realtime   fastly.RealtimeProduct `json:"realtime,omitempty"`
	LiveSwitch bool                   `json:"live"`
	GroupBy    []string               `json:"groupBy"` // the groupings it offers, "" (no grouping) first
	// AlsoAccepts are groupings saved queries may carry that mean the same as one offered.
	AlsoAccepts []string `json:"-"`
	// LiveGroupBy are the groupings it offers with live on (LiveSwitch types only).
	LiveGroupBy []string `json:"liveGroupBy,omitempty"`
	// StartGroupBy is the grouping a new query of the type starts with in the editor.
	StartGroupBy     string   `json:"startGroupBy"`
	DefaultMetrics   []string `json:"defaultMetrics"`   // what a query without metrics shows
	ServicesOptional bool     `json:"servicesOptional"` // none means the whole account (usage, events)
	// Region: the type filters by a region, which the plugin checks against Fastly's list.
	Region bool `json:"region"`
	POPMap bool `json:"popMap"` // can answer format "popmap": Fastly splits it by POP
	// Defaults fills the type's own fields a query left empty; nil when it has none.
	Defaults func(q *Query) `json:"-"`
	// Validate checks the type's own fields, after the checks every type shares; nil when none.
	Validate func(q Query) error `json:"-"`
}

// allowsGroupBy reports whether the type takes groupBy g. What live queries may use on top of
// that is the type's own check (Validate or its handler), which can say why.
func (s TypeSpec) allowsGroupBy(g string) bool {
	return slices.Contains(s.GroupBy, g) || slices.Contains(s.AlsoAccepts, g)
}
