package fastlysim

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// seriesExpr is one requested series: op[field] over a numeric log field.
type seriesExpr struct {
	name, op, field string
}

var (
	// documentedSeriesOps are the functions Fastly's reference shows for series
	// (avg[response_time], p99[response_time]); lenient, the simulator also computes others.
	documentedSeriesOps = []string{"avg", "p99"}
	otherSeriesOps      = []string{"count", "min", "max", "p95", "sum"}
	numericFields       = []string{"response_time", "response_bytes_body", "response_bytes_header", "response_status"}
)

func parseSeries(arg string, strict bool) ([]seriesExpr, error) {
	if arg == "" {
		return nil, fmt.Errorf("series is required")
	}
	var out []seriesExpr
	for _, s := range strings.Split(arg, ",") {
		if s == "count" && !strict {
			out = append(out, seriesExpr{name: s, op: "count"})
			continue
		}
		op, rest, ok := strings.Cut(s, "[")
		field := strings.TrimSuffix(rest, "]")
		known := slices.Contains(documentedSeriesOps, op) || (!strict && slices.Contains(otherSeriesOps, op))
		if !ok || !strings.HasSuffix(rest, "]") || !known || !slices.Contains(numericFields, field) {
			return nil, fmt.Errorf("unsupported series '%s'", s)
		}
		out = append(out, seriesExpr{name: s, op: op, field: field})
	}
	return out, nil
}

func (e seriesExpr) eval(recs []logRec) float64 {
	if e.op == "count" {
		return float64(len(recs))
	}
	xs := make([]float64, len(recs))
	for i, r := range recs {
		v, _ := r.field(e.field)
		switch x := v.(type) {
		case float64:
			xs[i] = x
		case int64:
			xs[i] = float64(x)
		case int:
			xs[i] = float64(x)
		}
	}
	slices.Sort(xs)
	switch e.op {
	case "min":
		return xs[0]
	case "max":
		return xs[len(xs)-1]
	case "p95", "p99":
		q := map[string]float64{"p95": .95, "p99": .99}[e.op]
		return xs[int(math.Ceil(q*float64(len(xs))))-1]
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	if e.op == "sum" {
		return round(sum, 6)
	}
	return round(sum/float64(len(xs)), 6)
}

// handleLogTimeseries serves source=logs as the current reference has it: from, to,
// granularity, series, dimensions and filter, no service_id. A service is chosen the way the
// reference allows, by filtering the log field service_id (filter[service_id]=...); without
// one, or with LogBehaviour.TimeseriesIgnoresServiceFilter, the rows count every service of the
// account that has the product. One row per (dimension values, bucket) that has records.
func (s *Server) handleLogTimeseries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	b := s.logBehaviourNow()
	s.mu.Lock()
	strict := !s.lenient
	s.mu.Unlock()
	if q.Get("source") != "logs" {
		obsError(w, "source must be logs")
		return
	}
	from, err1 := time.Parse(time.RFC3339, q.Get("from"))
	to, err2 := time.Parse(time.RFC3339, q.Get("to"))
	if err1 != nil || err2 != nil || !from.Before(to) {
		obsError(w, "from and to must be RFC 3339 times with from before to")
		return
	}
	step, ok := bucketLen[q.Get("granularity")]
	if !ok {
		obsError(w, "granularity must be second, minute, hour or day")
		return
	}
	if step == 1 && to.Sub(from) > 300*time.Second {
		obsError(w, "too many buckets for granularity second")
		return
	}
	series, err := parseSeries(q.Get("series"), strict)
	if err != nil {
		obsError(w, err.Error())
		return
	}
	var dims []string
	if d := q.Get("dimensions"); d != "" {
		dims = strings.Split(d, ",")
	}
	for _, d := range dims {
		if _, ok := (logRec{}).field(d); !ok {
			obsError(w, "unsupported dimension '"+d+"'")
			return
		}
	}
	services, rest := serviceFilter(q, b.TimeseriesIgnoresServiceFilter)
	filters, err := parseLogFilters(rest, b.FastlyIsFilters)
	if err != nil {
		obsError(w, err.Error())
		return
	}
	meta := map[string]any{"from": q.Get("from"), "to": q.Get("to"), "granularity": q.Get("granularity")}
	now := s.now()
	var recs []logRec
	for _, sv := range s.services {
		if logProductEnabled(sv.ID) && (services == nil || services[sv.ID]) && now.Sub(from) <= 7*24*time.Hour {
			lw := &logWindow{sv: sv, from: from, to: to, dataEnd: minuteDataEnd(now.Unix())}
			recs = append(recs, lw.records(filters)...)
		}
	}
	if len(recs) == 0 && services != nil && !anyProduct(services) {
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "meta": meta})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": seriesRows(recs, dims, series, step), "meta": meta})
}

// serviceFilter takes filter[service_id] (eq or in) out of the query: the services it names (nil
// when there is none, or when the filter is ignored) and the other parameters.
func serviceFilter(q url.Values, ignore bool) (map[string]bool, url.Values) {
	rest := url.Values{}
	var services map[string]bool
	for k, v := range q {
		if k != "filter[service_id]" && k != "filter[service_id][eq]" && k != "filter[service_id][in]" {
			rest[k] = v
			continue
		}
		if ignore {
			continue
		}
		services = map[string]bool{}
		for _, ids := range v {
			for _, id := range strings.Split(ids, ",") {
				services[strings.TrimSpace(id)] = true
			}
		}
	}
	return services, rest
}

// anyProduct reports whether any of the services has Log Explorer & Insights.
func anyProduct(services map[string]bool) bool {
	for id := range services {
		if logProductEnabled(id) {
			return true
		}
	}
	return false
}

// seriesRows groups records per (dimension values, bucket), in time order.
func seriesRows(recs []logRec, dims []string, series []seriesExpr, step int64) []map[string]any {
	type bucketKey struct {
		at   int64
		dims string
	}
	buckets := map[bucketKey][]logRec{}
	dimValues := map[bucketKey]map[string]any{}
	for _, rec := range recs {
		vals := map[string]any{}
		parts := make([]string, len(dims))
		for i, d := range dims {
			v, _ := rec.field(d)
			vals[d] = v
			parts[i] = fmt.Sprint(v)
		}
		k := bucketKey{at: floorDiv(rec.ms/1000, step) * step, dims: strings.Join(parts, "\x00")}
		buckets[k] = append(buckets[k], rec)
		dimValues[k] = vals
	}
	keys := make([]bucketKey, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b bucketKey) int {
		if a.at != b.at {
			return int(a.at - b.at)
		}
		return strings.Compare(a.dims, b.dims)
	})
	data := make([]map[string]any, 0, len(keys))
	for _, k := range keys {
		d := dimValues[k]
		d["time"] = time.Unix(k.at, 0).UTC().Format(time.RFC3339)
		values := map[string]any{}
		for _, e := range series {
			values[e.name] = e.eval(buckets[k])
		}
		data = append(data, map[string]any{"dimensions": d, "values": values})
	}
	return data
}
