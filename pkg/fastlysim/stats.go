package fastlysim

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits the real API enforces on historical stats.
const (
	minuteRetention  = 35 * 24 * time.Hour
	hourRetention    = 375 * 24 * time.Hour
	maxMinuteBuckets = 10080 // 7 days; longer minute ranges must be split by the caller
)

// statsQuery is a parsed and validated stats request.
type statsQuery struct {
	from, to time.Time
	by       string
	region   string // "" = all
	dcs      map[string]bool
	dcEcho   string // meta.datacenter: the codes the answer is filtered by, "" when it is not
	// minuteFloor is the oldest minute served (MinutesMissingAfterADay); older buckets are
	// left out as if idle.
	minuteFloor int64
	services    map[string]bool // the `services` filter on /stats and /stats/aggregate
	starts      []int64
	dataEnd     int64
}

type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func (s *Server) parseStatsQuery(r *http.Request) (*statsQuery, *apiError) {
	return s.parseStatsQueryOpts(r, true)
}

// parseStatsQueryOpts parses the common stats parameters; with buckets it also enforces
// retention and size limits and lists the bucket starts.
func (s *Server) parseStatsQueryOpts(r *http.Request, buckets bool) (*statsQuery, *apiError) {
	q := r.URL.Query()
	now := s.now().UTC()
	sq := &statsQuery{by: q.Get("by"), region: q.Get("region"), dataEnd: minuteDataEnd(now.Unix())}
	if sq.by == "" {
		sq.by = "day"
	}
	blen, ok := historicalBucketLen(sq.by)
	if !ok {
		return nil, badRequest("Invalid value for 'by': %q (use minute, hour or day)", sq.by)
	}
	var err error
	if sq.from, err = parseWhen(orDefault(q.Get("from"), "1 day ago"), now); err != nil {
		return nil, badRequest("Invalid value for 'from': %v", err)
	}
	if sq.to, err = parseWhen(orDefault(q.Get("to"), "now"), now); err != nil {
		return nil, badRequest("Invalid value for 'to': %v", err)
	}
	if !sq.from.Before(sq.to) {
		return nil, badRequest("'from' must be before 'to'")
	}
	if sq.region == "all" {
		sq.region = ""
	}
	if sq.region != "" && !slices.Contains(Regions, sq.region) {
		return nil, badRequest("Invalid region '%s'. Valid regions are: %s", sq.region, strings.Join(Regions, ", "))
	}
	if sq.region == "" { // region silently wins over datacenter, and meta then has no datacenter
		var e *apiError
		if sq.dcs, sq.dcEcho, e = s.datacenters(q.Get("datacenter")); e != nil {
			return nil, e
		}
	}
	if v := q.Get("services"); v != "" {
		sq.services = map[string]bool{}
		for _, id := range strings.Split(v, ",") {
			sq.services[strings.TrimSpace(id)] = true
		}
	}
	if !buckets {
		return sq, nil
	}
	refused, floor := s.minuteFloor(sq.from, now)
	switch {
	case sq.by == "minute" && sq.from.Before(now.Add(-minuteRetention)):
		return nil, badRequest("Minutely data is only available for the last 35 days; use by=hour or by=day for older data")
	case sq.by == "minute" && refused:
		return nil, badRequest("Minutely data is only available for the last day; use by=hour or by=day for older data")
	case sq.by == "minute":
		sq.minuteFloor = floor
	case sq.by == "hour" && sq.from.Before(now.Add(-hourRetention)):
		return nil, badRequest("Hourly data is only available for the last 375 days; use by=day for older data")
	}
	first := floorDiv(sq.from.Unix()+blen-1, blen) * blen // the first bucket starting at or after from
	if sq.by == "minute" && (sq.to.Unix()-first+blen-1)/blen > maxMinuteBuckets {
		return nil, badRequest("Exceedingly large query: at most %d minutely buckets (7 days) per request; split the range", maxMinuteBuckets)
	}
	for st := first; st < sq.to.Unix(); st += blen {
		sq.starts = append(sq.starts, st)
	}
	return sq, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// records computes the served records of one service for a query: buckets without
// requests are absent, as in the real API.
func (s *Server) records(sv *svcInfo, sq *statsQuery, withID bool) []record {
	vecs := sv.series(sv.popsFor(sq.region, sq.dcs), sq.by, sq.starts, sq.dataEnd)
	var out []record
	for i, v := range vecs {
		d := newDrv(v, sv.prof.compute)
		if d.g[gAll] == 0 || sq.starts[i] < sq.minuteFloor {
			continue
		}
		rec := record{start: sq.starts[i], parts: []*drv{d}}
		if withID {
			rec.serviceID = sv.ID
		}
		out = append(out, rec)
	}
	return out
}

func (s *Server) statsError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, map[string]any{"status": "error", "msg": e.msg})
}

// writeEnvelope writes {"data":...,"meta":{...},"status":"success","msg":null}.
func writeEnvelope(w http.ResponseWriter, sq *statsQuery, data []byte) {
	region := sq.region
	if region == "" {
		region = "all"
	}
	b := make([]byte, 0, len(data)+200)
	b = append(b, `{"data":`...)
	b = append(b, data...)
	b = append(b, `,"meta":{"to":`...)
	b = strconv.AppendQuote(b, fmtMeta(sq.to))
	b = append(b, `,"from":`...)
	b = strconv.AppendQuote(b, fmtMeta(sq.from))
	b = append(b, `,"by":`...)
	b = strconv.AppendQuote(b, sq.by)
	b = append(b, `,"region":`...)
	b = strconv.AppendQuote(b, region)
	if sq.dcEcho != "" {
		b = append(b, `,"datacenter":`...)
		b = strconv.AppendQuote(b, sq.dcEcho)
	}
	b = append(b, `},"status":"success","msg":null}`...)
	writeRaw(w, http.StatusOK, "application/json", b)
}

func appendRecords(b []byte, recs []record, field int) []byte {
	b = append(b, '[')
	for i, r := range recs {
		if i > 0 {
			b = append(b, ',')
		}
		b = r.appendJSON(b, field)
	}
	return append(b, ']')
}

func fieldIndex(w http.ResponseWriter, name string) (int, bool) {
	i, ok := histFieldByName[name]
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]any{"status": "error", "msg": fmt.Sprintf("Invalid field '%s'", name)})
	}
	return i, ok
}

func (s *Server) handleStatsService(w http.ResponseWriter, r *http.Request) {
	s.serveServiceStats(w, r, -1)
}

func (s *Server) handleStatsServiceField(w http.ResponseWriter, r *http.Request) {
	if f, ok := fieldIndex(w, r.PathValue("field")); ok {
		s.serveServiceStats(w, r, f)
	}
}

func (s *Server) serveServiceStats(w http.ResponseWriter, r *http.Request, field int) {
	sv := s.service(w, r.PathValue("id"))
	if sv == nil {
		return
	}
	sq, e := s.parseStatsQuery(r)
	if e != nil {
		s.statsError(w, e)
		return
	}
	writeEnvelope(w, sq, appendRecords(nil, s.records(sv, sq, true), field))
}

func (s *Server) handleStatsAll(w http.ResponseWriter, r *http.Request) { s.serveAllStats(w, r, -1) }

func (s *Server) handleStatsFieldAll(w http.ResponseWriter, r *http.Request) {
	if f, ok := fieldIndex(w, r.PathValue("field")); ok {
		s.serveAllStats(w, r, f)
	}
}

// serveAllStats answers the map form: service id -> records, services without data left out.
func (s *Server) serveAllStats(w http.ResponseWriter, r *http.Request, field int) {
	sq, e := s.parseStatsQuery(r)
	if e != nil {
		s.statsError(w, e)
		return
	}
	b := []byte{'{'}
	n := 0
	for _, sv := range s.services {
		if sq.services != nil && !sq.services[sv.ID] {
			continue
		}
		recs := s.records(sv, sq, true)
		if len(recs) == 0 {
			continue
		}
		b = appendKey(b, n, sv.ID)
		n++
		b = appendRecords(b, recs, field)
	}
	writeEnvelope(w, sq, append(b, '}'))
}

func (s *Server) handleStatsAggregate(w http.ResponseWriter, r *http.Request) {
	sq, e := s.parseStatsQuery(r)
	if e != nil {
		s.statsError(w, e)
		return
	}
	writeEnvelope(w, sq, appendRecords(nil, s.aggregate(sq), -1))
}

// aggregate sums every (selected) service per bucket, VCL and Compute traffic apart (each
// counts in its own fields) and then added field by field.
func (s *Server) aggregate(sq *statsQuery) []record {
	sums := make([][2]vec, len(sq.starts)) // per bucket: VCL, Compute
	for i := range sums {
		sums[i] = [2]vec{newVec(), newVec()}
	}
	for _, sv := range s.services {
		if sq.services != nil && !sq.services[sv.ID] {
			continue
		}
		kind := 0
		if sv.prof.compute {
			kind = 1
		}
		for i, v := range sv.series(sv.popsFor(sq.region, sq.dcs), sq.by, sq.starts, sq.dataEnd) {
			sums[i][kind].add(v)
		}
	}
	var out []record
	for i, pair := range sums {
		if sq.starts[i] < sq.minuteFloor {
			continue
		}
		rec := record{start: sq.starts[i]}
		for kind, v := range pair {
			if d := newDrv(v, kind == 1); d.g[gAll] > 0 {
				rec.parts = append(rec.parts, d)
			}
		}
		if len(rec.parts) > 0 {
			out = append(out, rec)
		}
	}
	return out
}

// Record returns exactly the stats record /stats/service/{id} serves for the bucket starting
// at start (by = "minute"|"hour"|"day", region "" = all regions), as field -> value (int64,
// float64, string for service_id, or nil for a null); ok=false when that bucket is absent
// from the response (no traffic, not yet published, unknown service or misaligned start).
func (s *Server) Record(serviceID, by string, start time.Time, region string) (rec map[string]any, ok bool) {
	sv := s.byID[serviceID]
	blen, known := historicalBucketLen(by)
	if sv == nil || !known || start.Unix()%blen != 0 {
		return nil, false
	}
	sq := &statsQuery{by: by, region: region, starts: []int64{start.Unix()}, dataEnd: minuteDataEnd(s.now().Unix())}
	if region == "all" {
		sq.region = ""
	}
	recs := s.records(sv, sq, true)
	if len(recs) == 0 {
		return nil, false
	}
	return recs[0].toMap(), true
}
