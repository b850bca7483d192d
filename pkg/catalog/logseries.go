package catalog

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// Log time series (/observability/timeseries?source=logs) aggregate Fastly's sampled log
// records per bucket. A series is op[field] over a numeric field, with only the functions
// Fastly's reference shows (docs/fastly-api.md, "Log time series"): it documents no count.

// DefaultLogSeries is the series a query without one asks for.
const DefaultLogSeries = "avg[response_time]"

// logSeriesOps are the aggregations Fastly's reference shows for log series.
var logSeriesOps = []string{"avg", "p99"}

// logSeriesFields are the numeric log fields a series can aggregate, with their units.
var logSeriesFields = map[string]struct{ label, unit string }{
	"response_time":         {"response time", UnitSeconds},
	"response_bytes_body":   {"response body bytes", UnitBytes},
	"response_bytes_header": {"response header bytes", UnitBytes},
}

// logSeriesFieldOrder is the order the editor offers the fields in: time first.
var logSeriesFieldOrder = []string{"response_time", "response_bytes_body", "response_bytes_header"}

// LogSeriesChoices lists every series the reference documents, the default first, for the
// editor's menu.
func LogSeriesChoices() []string {
	var out []string
	for _, f := range logSeriesFieldOrder {
		for _, op := range logSeriesOps {
			out = append(out, op+"["+f+"]")
		}
	}
	return out
}

// LogDimensions are the log fields a log series can be split by, in the editor's order.
var LogDimensions = []string{
	"request_path", "response_status", "fastly_pop", "client_country_code", "client_device_type",
	"client_browser_name", "client_os_name", "request_host", "response_content_type", "response_state", "is_cache_hit",
}

// LogSeries describes a series expression: its readable label and Grafana unit, or an error
// saying which expressions are valid.
func LogSeries(expr string) (label, unit string, err error) {
	op, rest, ok := strings.Cut(expr, "[")
	field, closed := strings.CutSuffix(rest, "]")
	f, known := logSeriesFields[field]
	if !ok || !closed || !known || !slices.Contains(logSeriesOps, op) {
		fields := make([]string, 0, len(logSeriesFields))
		for k := range logSeriesFields {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		return "", "", fmt.Errorf("unknown log series %q: Fastly documents %s of a field (one of %s), like %s; it documents no count of requests",
			safetext.Clip(expr, maxQuotedName), strings.Join(logSeriesOps, " and "), strings.Join(fields, ", "), DefaultLogSeries)
	}
	opLabel := map[string]string{"avg": "Average", "p99": "99th percentile"}[op]
	return opLabel + " " + f.label, f.unit, nil
}
