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
	Insight     string             `json:"insight,omitempty"`     // insights: the ranking (top-url-by-requests, ...)
	Limit       int                `json:"limit,omitempty"`       // rows, lines or series
	Filters     []fastly.LogFilter `json:"filters,omitempty"`     // logs, logseries: {field, op, value}
	Domain      string             `json:"domain,omitempty"`      // insights: only this domain
	DomainExact bool               `json:"domainExact,omitempty"` // insights: Domain matches exactly, not as a part
	Series      string             `json:"series,omitempty"`      // logseries: count or op[field]
	Dimension   string             `json:"dimension,omitempty"`   // logseries: split by this log field; "" = one series
}

// Defaults and bounds of the observability query types.
const (
	DefaultInsightLimit   = 10
	DefaultLogLines       = 100
	DefaultLogSeriesLimit = 10
	MaxLogSeriesLimit     = 100
	maxLogFilters         = 20
)

// trim tidies the free-text fields; the type's Defaults fill in what is missing.
func (o *ObservabilityFields) trim() {
	o.Insight = strings.TrimSpace(o.Insight)
	o.Domain = strings.TrimSpace(o.Domain)
	o.Series = strings.TrimSpace(o.Series)
	o.Dimension = strings.TrimSpace(o.Dimension)
}

// InsightsDefaults ranks top URLs by requests, ten rows.
func InsightsDefaults(q *Query) {
	if q.Insight == "" {
		q.Insight = catalog.DefaultInsight
	}
	defaultLimit(q, DefaultInsightLimit)
}

// LogsDefaults shows the newest hundred lines.
func LogsDefaults(q *Query) { defaultLimit(q, DefaultLogLines) }

// LogSeriesDefaults counts records, ten series.
func LogSeriesDefaults(q *Query) {
	if q.Series == "" {
		q.Series = catalog.DefaultLogSeries
	}
	defaultLimit(q, DefaultLogSeriesLimit)
}

func defaultLimit(q *Query, limit int) {
	if q.Limit == 0 {
		q.Limit = limit
	}
}

// validateSampledLogs checks what the sampled-log types share (one service, filters), around the
// type's own checks.
func validateSampledLogs(q Query, own func() error) error {
	if len(q.Services) != 1 || q.AllServices() {
		return fieldErrorf("services", "a %s query reads one service's sampled logs: pick exactly one service (not All services or several)", q.QueryType)
	}
	if q.QueryType != QueryTypeInsights && (q.Domain != "" || len(q.Pops) > 0) {
		return fieldErrorf("filters", "a %s query narrows records with filters (fastly_pop, domain), not the pops or domain fields", q.QueryType)
	}
	if len(q.Filters) > maxLogFilters {
		return fieldErrorf("filters", "at most %d filters, not %d", maxLogFilters, len(q.Filters))
	}
	if err := own(); err != nil {
		return err
	}
	for _, f := range q.Filters {
		if err := f.Validate(); err != nil {
			return InField("filters", err)
		}
	}
	return nil
}

// ValidateInsights checks an insights query: a known ranking, no filters, a row limit.
func ValidateInsights(q Query) error {
	return validateSampledLogs(q, func() error { return insightsFields(q) })
}

func insightsFields(q Query) error {
	if _, err := catalog.FindInsight(q.Insight); err != nil {
		return InField("insight", err)
	}
	if len(q.Filters) > 0 {
		return fieldErrorf("filters", "insights take the pops and domain fields, not filters: use a logs or logseries query to filter on other fields")
	}
	return checkLimit("rows", q.Limit, fastly.MaxInsightsLimit)
}

// ValidateLogs checks a logs query: filters and a line limit.
func ValidateLogs(q Query) error {
	return validateSampledLogs(q, func() error { return checkLimit("lines", q.Limit, fastly.MaxLogLines) })
}

// ValidateLogSeries checks a logseries query: a known series and dimension, a series limit.
func ValidateLogSeries(q Query) error {
	return validateSampledLogs(q, func() error { return logSeriesFields(q) })
}

func logSeriesFields(q Query) error {
	if _, _, err := catalog.LogSeries(q.Series); err != nil {
		return InField("series", err)
	}
	if q.Dimension != "" && !slices.Contains(catalog.LogDimensions, q.Dimension) {
		return fieldErrorf("dimension", "cannot split log series by %q: use one of %s", safetext.Clip(q.Dimension, maxNameLength), strings.Join(catalog.LogDimensions, ", "))
	}
	return checkLimit("series", q.Limit, MaxLogSeriesLimit)
}

func checkLimit(what string, limit, max int) error {
	if limit < 1 || limit > max {
		return fieldErrorf("limit", "limit is the number of %s: between 1 and %d, not %d", what, max, limit)
	}
	return nil
}
