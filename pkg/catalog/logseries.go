package catalog

import (
	"fmt"
	"slices"
	"strings"
)

// Log time series (/observability/timeseries?source=logs) aggregate Fastly's sampled log
// records per bucket. A series is "count" (sampled records) or op[field] over a numeric field.

// LogSeriesCount counts the sampled records in each bucket.
const LogSeriesCount = "count"

// logSeriesOps are the aggregations Fastly documents for log series.
var logSeriesOps = []string{"avg", "min", "max", "p95", "p99"}

// logSeriesFields are the numeric log fields a series can aggregate, with their units.
var logSeriesFields = map[string]struct{ label, unit string }{
	"response_time":         {"response time", UnitSeconds},
	"response_bytes_body":   {"response body bytes", UnitBytes},
	"response_bytes_header": {"response header bytes", UnitBytes},
}

// LogDimensions are the log fields a log series can be split by, in the editor's order.
var LogDimensions = []string{
	"request_path", "response_status", "fastly_pop", "client_country_code", "client_device_type",
	"client_browser_name", "client_os_name", "request_host", "response_content_type", "response_state", "is_cache_hit",
}

// LogSeries describes a series expression: its readable label and Grafana unit, or an error
// saying which expressions are valid.
func LogSeries(expr string) (label, unit string, err error) {
	if expr == LogSeriesCount {
		return "Sampled requests", UnitShort, nil
	}
	op, rest, ok := strings.Cut(expr, "[")
	field, closed := strings.CutSuffix(rest, "]")
	f, known := logSeriesFields[field]
	if !ok || !closed || !known || !slices.Contains(logSeriesOps, op) {
		fields := make([]string, 0, len(logSeriesFields))
		for k := range logSeriesFields {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		return "", "", fmt.Errorf("unknown log series %q: use count, or one of %s applied to one of %s, like avg[response_time]",
			expr, strings.Join(logSeriesOps, ", "), strings.Join(fields, ", "))
	}
	opLabel := map[string]string{"avg": "Average", "min": "Minimum", "max": "Maximum", "p95": "95th percentile", "p99": "99th percentile"}[op]
	return opLabel + " " + f.label, f.unit, nil
}
