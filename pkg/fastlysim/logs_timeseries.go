package fastlysim

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"
)

// seriesExpr is one requested series: count, or op[field] over a numeric log field.
type seriesExpr struct {
	name, op, field string
}

var (
	seriesOps     = []string{"avg", "min", "max", "p95", "p99", "sum"}
	numericFields = []string{"response_time", "response_bytes_body", "response_bytes_header", "response_status"}
)

func parseSeries(arg string) ([]seriesExpr, error) {
	if arg == "" {
		return nil, fmt.Errorf("series is required")
	}
	var out []seriesExpr
	for _, s := range strings.Split(arg, ",") {
		if s == "count" {
			out = append(out, seriesExpr{name: s, op: "count"})
			continue
		}
		op, rest, ok := strings.Cut(s, "[")
		field := strings.TrimSuffix(rest, "]")
		if !ok || !strings.HasSuffix(rest, "]") || !slices.Contains(seriesOps, op) || !slices.Contains(numericFields, field) {
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

// handleLogTimeseries serves source=logs: one row per (dimension values, bucket) that has
// sampled records, in time order.
func (s *Server) handleLogTimeseries(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("source") != "logs" {
		obsError(w, "source must be logs")
		return
	}
	lw := s.logWindow(w, q, "from", "to")
	if lw == nil {
		return
	}
	step, ok := bucketLen[q.Get("granularity")]
	if !ok {
		obsError(w, "granularity must be second, minute, hour or day")
		return
	}
	if step == 1 && lw.to.Sub(lw.from) > 300*time.Second {
		obsError(w, "too many buckets for granularity second")
		return
	}
	series, err := parseSeries(q.Get("series"))
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
	filters, err := parseLogFilters(q)
	if err != nil {
		obsError(w, err.Error())
		return
	}
	meta := map[string]any{"from": q.Get("from"), "to": q.Get("to"), "granularity": q.Get("granularity")}
	if lw.null {
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "meta": meta})
		return
	}
	type bucketKey struct {
		at   int64
		dims string
	}
	buckets := map[bucketKey][]logRec{}
	dimValues := map[bucketKey]map[string]any{}
	for _, rec := range lw.records(filters) {
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
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta})
}
