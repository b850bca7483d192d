package fastlysim

import (
	"net/http"
	"strconv"
	"time"
)

// summaryRetention is how far back /service/{id}/stats/summary reaches: it is built from
// minutes, and Fastly's engineers say its window cannot start more than 35 days back.
const summaryRetention = 35 * 24 * time.Hour

// handleSummary answers /service/{id}/stats/summary?start_time=&end_time= as Fastly's
// engineers describe it: epoch seconds only, one total per POP over the window, as
// {"stats": {"<POP>": {...}}} without the stats envelope. The POPs are summed from the same
// minutes as /stats, so they add up to it; a POP without traffic is left out.
func (s *Server) handleSummary(w http.ResponseWriter, r *http.Request) {
	sv := s.service(w, r.PathValue("id"))
	if sv == nil {
		return
	}
	now := s.now().UTC()
	q := r.URL.Query()
	start, err := strconv.ParseInt(q.Get("start_time"), 10, 64)
	if err != nil {
		s.statsError(w, badRequest("invalid start_time"))
		return
	}
	end, err := strconv.ParseInt(q.Get("end_time"), 10, 64)
	if err != nil || end <= start {
		s.statsError(w, badRequest("invalid end_time"))
		return
	}
	from := time.Unix(start, 0)
	refused, floor := s.minuteFloor(from, now)
	if from.Before(now.Add(-summaryRetention)) || refused {
		s.statsError(w, badRequest("start_time is older than the per-minute data the summary is built from"))
		return
	}
	start = max(start, floor)
	stats := map[string]map[string]any{}
	for _, pop := range sv.prof.pops {
		v := sv.rangeVec([]string{pop}, start, min(end, now.Unix()), minuteDataEnd(now.Unix()))
		d := newDrv(v, sv.prof.compute)
		if d.g[gAll] == 0 {
			continue
		}
		rec := record{parts: []*drv{d}}.toMap()
		delete(rec, "start_time")
		stats[pop] = rec
	}
	writeJSON(w, http.StatusOK, map[string]any{"stats": stats})
}
