package models

import (
	"slices"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// TypeSpec is what the query model knows about one query type: where its metrics come from,
// what it may be grouped by, its defaults, its own checks and the fields the editor shows for
// it. Each type's spec is written once, in the plugin's registry; parsing reads it there, and
// the editor builds on src/queryTypes.generated.json, which a test writes from it.
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
	// Streams: every query of the type streams through Grafana Live (real-time), where a
	// LiveSwitch type streams only with "live": true.
	Streams bool `json:"streams"`
	// Buckets: the type reads history in buckets of a resolution (minute, hour or day), so a
	// query picks its resolution and may ask for rates per second.
	Buckets bool     `json:"buckets"`
	GroupBy []string `json:"groupBy"` // the groupings it offers, "" (no grouping) first
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
	// OneService: a query reads exactly one service, not several or All services.
	OneService bool `json:"oneService"`
	// Annotations: the type answers annotation queries, and the panel editor does not offer it.
	Annotations bool `json:"annotations"`
	// Limit bounds the type's "limit" field, which it fills in when a query leaves it empty;
	// nil when the type has none.
	Limit *Limit `json:"limit,omitempty"`
	// OwnFields are the query fields (JSON names) of the type's own that the editor shows,
	// beyond those the entries above imply (metrics, live, resolution, perSecond, region,
	// format, groupBy, limit, legendFormat); HistoryOnly are those of them live queries lack.
	OwnFields   []string `json:"-"`
	HistoryOnly []string `json:"-"`
	// AdHoc are the dashboard ad-hoc filter keys that narrow the type through another field
	// than the key's own (service: services, pop: pops, region, origin: origins, domain:
	// domains), such as a sampled-log type's POP, which is one of its filters.
	AdHoc []AdHocKey `json:"-"`
	// Defaults fills the type's own fields a query left empty; nil when it has none.
	Defaults func(q *Query) `json:"-"`
	// Validate checks the type's own fields, after the checks every type shares; nil when none.
	Validate func(q Query) error `json:"-"`
}

// Limit is how many rows, lines or series (Counts) a query of the type shows: Default when it
// leaves "limit" empty, at most Max.
type Limit struct {
	Default int    `json:"default"`
	Max     int    `json:"max"`
	Counts  string `json:"counts"`
}

// AdHocKey says how a dashboard's ad-hoc filter on Key narrows a query: through the query
// field Field, or, where Field is "filters", as a condition on the sampled-log field LogField.
type AdHocKey struct {
	Key      string `json:"key"`
	Field    string `json:"field"`
	LogField string `json:"logField,omitempty"`
}

// takes reports whether field is one of the type's own fields.
func (s TypeSpec) takes(field string) bool { return slices.Contains(s.OwnFields, field) }

// allowsGroupBy reports whether the type takes groupBy g. What live queries may use on top of
// that is the type's own check (Validate or its handler), which can say why.
func (s TypeSpec) allowsGroupBy(g string) bool {
	return slices.Contains(s.GroupBy, g) || slices.Contains(s.AlsoAccepts, g)
}
