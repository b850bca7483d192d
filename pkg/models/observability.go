package models

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// ObservabilityFields are the query fields of the Log Explorer & Insights types (insights,
// logs, logseries); other query types leave them empty.
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

// isObservability reports whether a query type reads Fastly's sampled logs.
func isObservability(queryType string) bool {
	return queryType == QueryTypeInsights || queryType == QueryTypeLogs || queryType == QueryTypeLogSeries
}

func (o *ObservabilityFields) applyDefaults(queryType string) {
	o.Insight = strings.TrimSpace(o.Insight)
	o.Domain = strings.TrimSpace(o.Domain)
	o.Series = strings.TrimSpace(o.Series)
	o.Dimension = strings.TrimSpace(o.Dimension)
	limit := 0
	switch queryType {
	case QueryTypeInsights:
		if o.Insight == "" {
			o.Insight = catalog.DefaultInsight
		}
		limit = DefaultInsightLimit
	case QueryTypeLogs:
		limit = DefaultLogLines
	case QueryTypeLogSeries:
		if o.Series == "" {
			o.Series = catalog.LogSeriesCount
		}
		limit = DefaultLogSeriesLimit
	}
	if o.Limit == 0 {
		o.Limit = limit
	}
}

// validateObservability checks the fields of the sampled-log query types.
func (q Query) validateObservability() error {
	if !isObservability(q.QueryType) {
		return nil
	}
	if len(q.Services) != 1 || q.AllServices() {
		return fmt.Errorf("a %s query reads one service's sampled logs: pick exactly one service (not All services or several)", q.QueryType)
	}
	if q.QueryType != QueryTypeInsights && (q.Domain != "" || len(q.Pops) > 0) {
		return fmt.Errorf("a %s query narrows records with filters (fastly_pop, domain), not the pops or domain fields", q.QueryType)
	}
	if len(q.Filters) > maxLogFilters {
		return fmt.Errorf("at most %d filters, not %d", maxLogFilters, len(q.Filters))
	}
	switch q.QueryType {
	case QueryTypeInsights:
		if _, err := catalog.FindInsight(q.Insight); err != nil {
			return err
		}
		if len(q.Filters) > 0 {
			return fmt.Errorf("insights take the pops and domain fields, not filters: use a logs or logseries query to filter on other fields")
		}
		return checkLimit("rows", q.Limit, fastly.MaxInsightsLimit)
	case QueryTypeLogSeries:
		if _, _, err := catalog.LogSeries(q.Series); err != nil {
			return err
		}
		if q.Dimension != "" && !slices.Contains(catalog.LogDimensions, q.Dimension) {
			return fmt.Errorf("cannot split log series by %q: use one of %s", safetext.Clip(q.Dimension, maxNameLength), strings.Join(catalog.LogDimensions, ", "))
		}
		if err := checkLimit("series", q.Limit, MaxLogSeriesLimit); err != nil {
			return err
		}
	case QueryTypeLogs:
		if err := checkLimit("lines", q.Limit, fastly.MaxLogLines); err != nil {
			return err
		}
	}
	for _, f := range q.Filters {
		if err := f.Validate(); err != nil {
			return err
		}
	}
	return nil
}

func checkLimit(what string, limit, max int) error {
	if limit < 1 || limit > max {
		return fmt.Errorf("limit is the number of %s: between 1 and %d, not %d", what, max, limit)
	}
	return nil
}
