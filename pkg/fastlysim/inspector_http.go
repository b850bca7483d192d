package fastlysim

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	maxInspectorMetrics = 10
	maxInspectorLimit   = 200
)

// inspectorError refuses a request as the Inspectors do, with an RFC 7807 body whose errors[]
// name the parameter and the reason (docs/fastly-api.md, "Errors").
func inspectorError(w http.ResponseWriter, property, reason string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"type": "https://fastly.help/metrics/validation-error", "title": "Request parameters were invalid.", "status": http.StatusBadRequest,
		"detail": "Parameters with invalid values: '" + property + "'", "errors": []map[string]any{{"property": property, "reason": reason}},
	})
}

// SetDisabledInspectorAnswer says how the Inspectors' metrics answer for a service without the
// product: refused with HTTP 400 "no product on service" (false, the default), or HTTP 200 with
// "status": "success" and no data, as Fastly's engineers saw the live API answer (true).
func (s *Server) SetDisabledInspectorAnswer(empty bool) {
	s.mu.Lock()
	s.disabledInspectorEmpty = empty
	s.mu.Unlock()
}

func (s *Server) inspectorService(w http.ResponseWriter, r *http.Request) *svcInfo {
	sv := s.service(w, r.PathValue("id"))
	if sv == nil || inspectorEnabled(sv.ID) {
		return sv
	}
	s.mu.Lock()
	empty := s.disabledInspectorEmpty
	s.mu.Unlock()
	if empty {
		writeJSON(w, http.StatusOK, map[string]any{"data": []any{}, "status": "success",
			"meta": map[string]any{"limit": 100, "next_cursor": "", "filters": map[string]any{}}})
	} else {
		noProduct(w)
	}
	return nil
}

func parseUnixOr(v string, def time.Time) (time.Time, bool) {
	if v == "" {
		return def, true
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	t, err := time.Parse(time.RFC3339, v)
	return t.UTC(), err == nil
}

// handleInspectorHistory serves /metrics/{origins|domains}/services/{id}.
func (s *Server) handleInspectorHistory(k *inspectorKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sv := s.inspectorService(w, r)
		if sv == nil {
			return
		}
		q := r.URL.Query()
		now := s.now().UTC()
		end, ok1 := parseUnixOr(q.Get("end"), now)
		start, ok2 := parseUnixOr(q.Get("start"), end.Add(-24*time.Hour))
		if !ok1 || !ok2 || !start.Before(end) {
			inspectorError(w, "start", "start and end must be Unix seconds or RFC 3339 times with start before end")
			return
		}
		down := orDefault(q.Get("downsample"), "hour")
		blen, ok := historicalBucketLen(down)
		if !ok {
			inspectorError(w, "downsample", "downsample must be minute, hour or day")
			return
		}
		metricArg := orDefault(q.Get("metric"), map[string]string{"domains": "edge_requests", "origins": "responses"}[k.name])
		metrics := strings.Split(metricArg, ",")
		if len(metrics) > maxInspectorMetrics {
			inspectorError(w, "metric", "at most 10 metrics per request")
			return
		}
		for _, m := range metrics {
			if k.metrics[m] == nil {
				inspectorError(w, "metric", "Unrecognized metric names: '"+m+"'")
				return
			}
		}
		limit := atoiDefault(q.Get("limit"), 100)
		if limit < 1 || limit > maxInspectorLimit {
			inspectorError(w, "limit", "limit must be between 1 and 200")
			return
		}
		groupBy := q.Get("group_by")
		var dims []string
		if groupBy != "" {
			dims = strings.Split(groupBy, ",")
		}
		for _, d := range dims {
			if d != k.dim && d != "datacenter" && d != "region" {
				inspectorError(w, "group_by", "group_by must be "+k.dim+", datacenter or region")
				return
			}
		}
		cursor := 0
		if c := q.Get("cursor"); c != "" {
			if cursor = atoiDefault(c, -1); cursor < 0 {
				inspectorError(w, "cursor", "invalid cursor")
				return
			}
		}
		nameFilter := splitSet(q.Get(k.dim))
		dcFilter := splitSet(q.Get("datacenter"))
		regionFilter := splitSet(q.Get("region"))
		first := floorDiv(start.Unix()+blen-1, blen) * blen
		var starts []int64
		for st := first; st < end.Unix(); st += blen {
			starts = append(starts, st)
		}
		if down == "minute" && len(starts) > maxMinuteBuckets {
			inspectorError(w, "start", "Exceedingly large query: at most 10080 minutes per request")
			return
		}

		// group key -> dimensions and per-bucket sums
		type group struct {
			dims map[string]string
			sums map[int64]vec
		}
		groups := map[string]*group{}
		names := k.names[sv.ID]
		dataEnd := minuteDataEnd(now.Unix())
		for _, pop := range sv.prof.pops {
			region := popByCode[pop].Region
			if (dcFilter != nil && !dcFilter[pop]) || (regionFilter != nil && !regionFilter[region]) {
				continue
			}
			for i, v := range sv.series([]string{pop}, down, starts, dataEnd) {
				if v.isZero() {
					continue
				}
				for j, part := range k.split(sv, v, pop, starts[i]) {
					if nameFilter != nil && !nameFilter[names[j]] {
						continue
					}
					dv := map[string]string{}
					for _, d := range dims {
						dv[d] = map[string]string{k.dim: names[j], "datacenter": pop, "region": region}[d]
					}
					key := strings.Join([]string{dv[k.dim], dv["datacenter"], dv["region"]}, "\x00")
					g := groups[key]
					if g == nil {
						g = &group{dims: dv, sums: map[int64]vec{}}
						groups[key] = g
					}
					if g.sums[starts[i]] == nil {
						g.sums[starts[i]] = newVec()
					}
					g.sums[starts[i]].add(part)
				}
			}
		}
		keys := make([]string, 0, len(groups))
		for key := range groups {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		data := []any{}
		next := ""
		for i := cursor; i < len(keys); i++ {
			if len(data) == limit {
				next = strconv.Itoa(i)
				break
			}
			g := groups[keys[i]]
			ts := make([]int64, 0, len(g.sums))
			for t := range g.sums {
				ts = append(ts, t)
			}
			slices.Sort(ts)
			values := []any{}
			for _, t := range ts {
				m := k.measure(g.sums[t], metrics)
				if len(m) == 0 {
					continue
				}
				m["timestamp"] = t
				values = append(values, m)
			}
			data = append(data, map[string]any{"dimensions": g.dims, "values": values})
		}
		filters := map[string]any{}
		for param, key := range map[string]string{"datacenter": "datacenters", k.dim: k.dim + "s", "region": "regions"} {
			if v := q.Get(param); v != "" {
				filters[key] = v
			}
		}
		sortBy := k.dim
		if len(dims) > 0 {
			sortBy = dims[0]
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"data": data,
			"meta": map[string]any{
				"start": start.Format(time.RFC3339), "end": end.Format(time.RFC3339), "downsample": down,
				"metric": metricArg, "limit": limit, "next_cursor": next, "sort": sortBy, "group_by": groupBy,
				"filters": filters,
			},
			"status": "success",
		})
	}
}

// inspectorEntries builds real-time entries: aggregated[name] and datacenter[POP][name].
func (s *Server) inspectorEntries(k *inspectorKind, sv *svcInfo) func(from, to int64) []rtEntry {
	return func(from, to int64) []rtEntry {
		names := k.names[sv.ID]
		var out []rtEntry
		cache := map[string][]vec{}
		for sec := from; sec <= to; sec++ {
			minute := floorDiv(sec, 60) * 60
			e := rtEntry{Recorded: sec, Aggregated: map[string]any{}, Datacenter: map[string]map[string]any{}}
			totals := make([]vec, len(names))
			for _, pop := range sv.prof.pops {
				ck := pop + strconv.FormatInt(minute, 10)
				secs, ok := cache[ck]
				if !ok {
					secs = sv.secondsOf(pop, minute)
					cache[ck] = secs
				}
				if secs == nil || secs[sec-minute].isZero() {
					continue
				}
				per := map[string]any{}
				for j, part := range k.split(sv, secs[sec-minute], pop, sec) {
					if m := k.measure(part, nil); len(m) > 0 {
						per[names[j]] = m
						if totals[j] == nil {
							totals[j] = newVec()
						}
						totals[j].add(part)
					}
				}
				if len(per) > 0 {
					e.Datacenter[pop] = per
				}
			}
			for j, v := range totals {
				if v != nil {
					e.Aggregated[names[j]] = k.measure(v, nil)
				}
			}
			if len(e.Datacenter) > 0 {
				out = append(out, e)
			}
		}
		return out
	}
}

func (s *Server) handleInspectorRealtime(k *inspectorKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if sv := s.inspectorService(w, r); sv != nil {
			s.serveRealtime(w, r, s.inspectorEntries(k, sv), false)
		}
	}
}
