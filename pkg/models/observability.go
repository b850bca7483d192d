package models

import (
	"slices"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// ObservabilityFields are the query fields of the Log Explorer & Insights types (insights,
// logs, logseries); other query types leave them empty. Each type's Defaults and Validate
// below are named in its registration.
type ObservabilityFields struct {
	// Insight is the Log Insights ranking of an insights query, e.g. top-url-by-requests.
	Insight string `json:"insight,omitempty"`
	// Limit is how many rows (insights), lines (logs) or series (logseries) a query shows.
	Limit int `json:"limit,omitempty"`
	// Filters are conditions on the sampled records (logs, logseries), all of which must hold.
	Filters []fastly.LogFilter `json:"filters,omitempty"`
	// Domain keeps only the requests to this domain (insights): a part of the name, or all of
	// it with DomainExact.
	Domain      string `json:"domain,omitempty"`
	DomainExact bool   `json:"domainExact,omitempty"`
	// Series is what a logseries query counts: count, or an aggregation such as
	// avg[response_time].
	Series string `json:"series,omitempty"`
	// Dimension is the log field a logseries query splits by, e.g. request_path; empty gives
	// one series.
	Dimension string `json:"dimension,omitempty"`
}

// How many rows, lines and series the observability query types show (their TypeSpec.Limit).
var (
	InsightsLimit  = Limit{Default: 10, Max: fastly.MaxInsightsLimit, Counts: "rows"}
	LogsLimit      = Limit{Default: 100, Max: fastly.MaxLogLines, Counts: "lines"}
	LogSeriesLimit = Limit{Default: 10, Max: 100, Counts: "series"}
)

// maxLogFilters bounds the conditions of one sampled-log query.
const maxLogFilters = 20

// trim tidies the free-text fields; the type's Defaults fill in what is missing.
func (o *ObservabilityFields) trim() {
	o.Insight = strings.TrimSpace(o.Insight)
	o.Domain = strings.TrimSpace(o.Domain)
	o.Series = strings.TrimSpace(o.Series)
	o.Dimension = strings.TrimSpace(o.Dimension)
}

// InsightsDefaults ranks top URLs by requests.
func InsightsDefaults(q *Query) {
	if q.Insight == "" {
		q.Insight = catalog.DefaultInsight
	}
}

// LogSeriesDefaults asks the average response time, the series Fastly's reference shows first.
func LogSeriesDefaults(q *Query) {
	if q.Series == "" {
		q.Series = catalog.DefaultLogSeries
	}
}

// validateFilters checks what the types that filter sampled records share (logs, logseries).
func validateFilters(q Query) error {
	if q.Domain != "" || len(q.Pops) > 0 {
		return fieldErrorf("filters", "a %s query narrows records with filters (fastly_pop, domain), not the pops or domain fields", q.QueryType)
	}
	if len(q.Filters) > maxLogFilters {
		return fieldErrorf("filters", "at most %d filters, not %d", maxLogFilters, len(q.Filters))
	}
	for _, f := range q.Filters {
		if err := f.Validate(); err != nil {
			return InField("filters", err)
		}
	}
	return nil
}

// ValidateInsights checks an insights query: a known ranking, and no filters (it narrows by
// its pops and domain fields).
func ValidateInsights(q Query) error {
	if _, err := catalog.FindInsight(q.Insight); err != nil {
		return InField("insight", err)
	}
	if len(q.Filters) > 0 {
		return fieldErrorf("filters", "insights take the pops and domain fields, not filters: use a logs or logseries query to filter on other fields")
	}
	return nil
}

// ValidateLogs checks a logs query: its filters.
func ValidateLogs(q Query) error { return validateFilters(q) }

// ValidateLogSeries checks a logseries query: its filters, a known series and dimension.
func ValidateLogSeries(q Query) error {
	if err := validateFilters(q); err != nil {
		return err
	}
	if _, _, err := catalog.LogSeries(q.Series); err != nil {
		return InField("series", err)
	}
	if q.Dimension != "" && !slices.Contains(catalog.LogDimensions, q.Dimension) {
		return fieldErrorf("dimension", "cannot split log series by %q: use one of %s", safetext.Clip(q.Dimension, maxNameLength), strings.Join(catalog.LogDimensions, ", "))
	}
	return nil
}
