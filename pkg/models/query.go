package models

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// Query types: the "queryType" of a saved query. Old names must keep working once released.
const (
	QueryTypeStats    = "stats"    // historical stats (/stats*)
	QueryTypeRealtime = "realtime" // real-time analytics, streamed through Grafana Live
	QueryTypeOrigins  = "origins"  // Origin Inspector
	QueryTypeDomains  = "domains"  // Domain Inspector
	QueryTypeUsage    = "usage"    // billing usage by region / service
	QueryTypeEvents   = "events"   // account events, for annotations
	// Log Explorer & Insights (sampled request logs), defined in observability.go.
	QueryTypeInsights  = "insights"  // a Log Insights ranking: top URLs, status codes, countries...
	QueryTypeLogs      = "logs"      // the sampled log records, for Explore and the Logs panel
	QueryTypeLogSeries = "logseries" // sampled log records counted or aggregated per time bucket
)

// Resolutions a stats query can ask for; auto picks one from the range and retention.
const (
	ResolutionAuto   = "auto"
	ResolutionMinute = "minute"
	ResolutionHour   = "hour"
	ResolutionDay    = "day"
)

// Resolutions are the values "resolution" takes, in the order the editor offers them.
var Resolutions = []string{ResolutionAuto, ResolutionMinute, ResolutionHour, ResolutionDay}

// FormatPOPMap asks for one table row per POP, with its name and coordinates, instead of time
// series: what Grafana's Geomap panel reads. Only the query types Fastly splits by POP take it.
const FormatPOPMap = "popmap"

// AllServices is the services entry that means every service the token can see.
const AllServices = "*"

// listLimits cap a query's lists. Each entry costs upstream calls or answer size, and a list
// longer than any real choice (Fastly has about 100 POPs; a panel shows a few dozen series at
// most) is an unexpanded variable over every id, or an attack.
var listLimits = []struct {
	name  string
	field string // the JSON name, for FieldError
	list  func(Query) []string
	max   int
	hint  string
}{
	{"services", "services", func(q Query) []string { return q.Services }, 100, "pick fewer, or All services"},
	{"metrics", "metrics", func(q Query) []string { return q.Metrics }, 50, "split them over several queries"},
	{"POPs", "pops", func(q Query) []string { return q.Pops }, 150, "pick fewer, or none for every POP"},
	{"origins", "origins", func(q Query) []string { return q.Origins }, 100, "pick fewer, or none for every origin"},
	{"domains", "domains", func(q Query) []string { return q.Domains }, 100, "pick fewer, or none for every domain"},
	{"event types", "eventTypes", func(q Query) []string { return q.EventTypes }, 20, "pick fewer, or none for the default types"},
	{"excluded event types", "excludeEventTypes", func(q Query) []string { return q.ExcludeEventTypes }, 20, "list only types the query would otherwise show"},
}

// maxNameLength bounds one entry of a list as it is echoed in an error message.
const maxNameLength = 64

// Query is the JSON model shared by the query editor and the backend: what Grafana stores in
// dashboards and sends to QueryData. The editor's FastlyQuery (src/types.ts) is generated from
// it, comments included, so they are written for both.
type Query struct {
	// QueryType names a registered query type; a query without one reads historical stats.
	QueryType string `json:"queryType"`
	// Services are Fastly service ids, template variables ($service) or "*" for every service
	// the token can see.
	Services []string `json:"services"`
	// Metrics are catalog metric names, derived ones such as hit_ratio included; none takes the
	// type's defaults.
	Metrics []string `json:"metrics"`
	// Resolution is the bucket size of history; auto picks minute, hour or day from the time
	// range and how long Fastly keeps each.
	Resolution string `json:"resolution"`
	// Region is a Fastly region code (usa, europe, ...); empty means every region.
	Region string `json:"region"`
	// Pops are the POP codes to keep; empty keeps every POP.
	Pops []string `json:"pops"`
	// GroupBy is the dimension the series are split by; empty keeps one series per metric.
	GroupBy string `json:"groupBy"`
	// PerSecond divides counts by the bucket length, so they read as rates.
	PerSecond bool `json:"perSecond"`
	// LegendFormat is the series name template, e.g. {{service_name}} {{pop}}; empty gives the
	// default names.
	LegendFormat string `json:"legendFormat"`
	// Origins are the origin hosts to keep (Origin Inspector); none keeps every origin.
	Origins []string `json:"origins,omitempty"`
	// Domains are the domains to keep (Domain Inspector); none keeps every domain.
	Domains []string `json:"domains,omitempty"`
	// EventTypes are event types an events query shows besides the defaults, e.g.
	// version.create.
	EventTypes []string `json:"eventTypes,omitempty"`
	// Format is empty for time series, or "popmap" (FormatPOPMap): one table row per POP with
	// its name, latitude and longitude, for the Geomap panel.
	Format string `json:"format,omitempty"`
	// Live streams an origins or domains query through Grafana Live instead of reading history.
	// A flag rather than a resolution keeps the historical resolution when a panel is toggled.
	Live bool `json:"live,omitempty"`
	// Top keeps the N services (1 to MaxTop) with the most of the first metric and sums every
	// other one into one series, "other" (top.go); 0 keeps every service.
	Top int `json:"top,omitempty"`
	// ExcludeEventTypes turns event types off, the defaults included. A list of its own, not
	// a new meaning of eventTypes, so queries saved when eventTypes only added keep their events.
	ExcludeEventTypes []string `json:"excludeEventTypes,omitempty"`
	ObservabilityFields
}

// legacyQuery holds single-value fields an early editor saved; ParseQuery folds them in.
type legacyQuery struct {
	Service string `json:"service"`
	Metric  string `json:"metric"`
}

// wireQuery is a query's JSON as saved: the model plus the single-value fields an early
// editor wrote, decoded together in one pass.
type wireQuery struct {
	Query
	legacyQuery
}

// DecodeQuery reads a query's JSON once and folds in legacy fields. What it means (defaults and
// checks) depends on its type: see Prepare. Template variables are expanded by Grafana before
// the JSON reaches the plugin.
func DecodeQuery(raw json.RawMessage) (Query, error) {
	var w wireQuery
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &w); err != nil {
			return Query{}, fmt.Errorf("the query is not valid JSON: %w", err)
		}
	}
	q := w.Query
	if len(q.Services) == 0 && w.Service != "" {
		q.Services = []string{w.Service}
	}
	if len(q.Metrics) == 0 && w.Metric != "" {
		q.Metrics = []string{w.Metric}
	}
	return q, nil
}

// UnknownTypeError names a query type no registration answers, and the ones that exist.
func UnknownTypeError(queryType string, known []string) error {
	return fieldErrorf("queryType", "unknown query type %q: use one of %s", safetext.Clip(queryType, maxNameLength), HumanList(known, "or"))
}

// Prepare applies the type's defaults and validates the query against it. Metric names are
// checked later against the catalog kind of the type.
func (q *Query) Prepare(spec TypeSpec) error {
	q.applyDefaults(spec)
	return q.validate(spec)
}

func (q *Query) applyDefaults(spec TypeSpec) {
	q.QueryType = spec.Name
	if q.Resolution == "" {
		q.Resolution = ResolutionAuto
	}
	q.Services = cleanList(q.Services)
	q.Metrics = cleanList(q.Metrics)
	q.Pops = cleanList(q.Pops)
	q.Origins = cleanList(q.Origins)
	q.Domains = cleanList(q.Domains)
	q.EventTypes = cleanList(q.EventTypes)
	q.ExcludeEventTypes = cleanList(q.ExcludeEventTypes)
	q.Region = strings.TrimSpace(q.Region)
	q.Format = strings.TrimSpace(q.Format)
	q.Live = q.Live && spec.LiveSwitch // a flag left over from another type means nothing here
	if q.Format == FormatPOPMap && q.GroupBy == "" {
		q.GroupBy = "pop"
	}
	if len(q.Metrics) == 0 && spec.Kind != "" {
		q.Metrics = append([]string(nil), spec.DefaultMetrics...)
	}
	q.trim()
	if spec.Limit != nil && q.Limit == 0 {
		q.Limit = spec.Limit.Default
	}
	if spec.Defaults != nil {
		spec.Defaults(q)
	}
}

func (q Query) validate(spec TypeSpec) error {
	if !slices.Contains(Resolutions, q.Resolution) {
		return fieldErrorf("resolution", "unknown resolution %q: use %s", safetext.Clip(q.Resolution, maxNameLength), HumanList(Resolutions, "or"))
	}
	if err := q.validateFormat(spec); err != nil {
		return InField("format", err)
	}
	if err := q.validateTop(spec); err != nil {
		return InField("top", err)
	}
	if !spec.allowsGroupBy(q.GroupBy) {
		return fieldErrorf("groupBy", "a %s query cannot be grouped by %q: use one of %s", q.QueryType, safetext.Clip(q.GroupBy, maxNameLength), quoteList(spec.GroupBy[1:]))
	}
	for _, l := range listLimits {
		if n := len(l.list(q)); n > l.max {
			return fieldErrorf(l.field, "the query lists %d %s, more than the %d allowed: %s", n, l.name, l.max, l.hint)
		}
	}
	for _, p := range q.Pops {
		if !popCode(p) {
			return fieldErrorf("pops", "%q is not a POP code: use Fastly's codes for its points of presence, like LHR or FRA", safetext.Clip(p, maxNameLength))
		}
	}
	if !spec.ServicesOptional && len(q.Services) == 0 {
		return fieldErrorf("services", "no service selected: pick one or more Fastly services, or All services")
	}
	if slices.Contains(q.Services, AllServices) && len(q.Services) > 1 {
		return fieldErrorf("services", "choose either All services or a list of services, not both")
	}
	if spec.OneService && (len(q.Services) != 1 || q.AllServices()) {
		return fieldErrorf("services", "a %s query reads one service: pick exactly one service (not All services or several)", q.QueryType)
	}
	for _, id := range q.Services {
		if id != AllServices && !fastly.ValidID(id) {
			return fieldErrorf("services", "%q is not a Fastly service id: ids are letters and digits, like SU1Z0isxPaozGVKXdv0eY (was a template variable left unexpanded?)", safetext.Clip(id, maxNameLength))
		}
	}
	if l := spec.Limit; l != nil && (q.Limit < 1 || q.Limit > l.Max) {
		return fieldErrorf("limit", "limit is the number of %s: between 1 and %d, not %d", l.Counts, l.Max, q.Limit)
	}
	if spec.Validate != nil {
		return spec.Validate(q)
	}
	return nil
}

// validateFormat accepts a POP map only where Fastly splits traffic by POP.
func (q Query) validateFormat(spec TypeSpec) error {
	switch {
	case q.Format == "":
		return nil
	case q.Format != FormatPOPMap:
		return fmt.Errorf("unknown format %q: leave it empty for time series, or use %q for a table of POPs", safetext.Clip(q.Format, maxNameLength), FormatPOPMap)
	case !spec.POPMap:
		return fmt.Errorf("a %s query cannot draw a POP map: use a stats (historical), realtime, origins or domains query", q.QueryType)
	case q.GroupBy != "pop":
		return fmt.Errorf("a POP map has one row per POP, so it cannot be grouped by %q: leave the grouping empty or set it to \"pop\"", safetext.Clip(q.GroupBy, maxNameLength))
	}
	return nil
}

// popCode reports whether s can be a POP code: Fastly's are three letters, and a live channel
// path carries up to eight letters or digits.
func popCode(s string) bool {
	if len(s) > 8 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// AllServices reports whether the query asks for every service the token can see.
func (q Query) AllServices() bool {
	return len(q.Services) == 1 && q.Services[0] == AllServices
}

// cleanList trims entries and drops empty ones and repeats, keeping the user's order (in
// linear time: the list is not capped yet).
func cleanList(in []string) []string {
	out := make([]string, 0, len(in))
	seen := make(map[string]bool, len(in))
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func quoteList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(quoted, ", ")
}

// HumanList joins items as "a, b, c or d" (last is the final word), for messages that list
// what a user may choose.
func HumanList(items []string, last string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + last + " " + items[len(items)-1]
}
