package fastlysim

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"
)

// Real-time analytics (rt.fastly.com/v1/channel). Each POP-second is an exact split of that
// POP's minute (split.go), so the 60 seconds of a minute add up to the minute's historical
// record field by field (in historical units: *_sub_time there is seconds, here nanoseconds
// rounded down per POP-second).

const (
	rtKeep         = 120              // seconds of history the real-time API holds
	rtLongPollMax  = 40 * time.Second // the simulator gives up waiting and answers empty
	aggregateDelay = 9
	noDataError    = "No data available, please retry"
)

// rtLatest is the newest complete second at now.
func rtLatest(now time.Time) int64 { return now.Unix() - 1 }

// rtEntry is one element of Data.
type rtEntry struct {
	Recorded   int64                     `json:"recorded"`
	Aggregated map[string]any            `json:"aggregated"`
	Datacenter map[string]map[string]any `json:"datacenter"`
}

type rtResponse struct {
	Timestamp      int64     `json:"Timestamp"`
	AggregateDelay int       `json:"AggregateDelay"`
	Data           []rtEntry `json:"Data"`
	Error          string    `json:"Error,omitempty"`
}

// secondsOf returns the base vectors of every second of one minute at one POP.
func (s *svcInfo) secondsOf(pop string, minute int64) []vec {
	hour := floorDiv(minute, 3600) * 3600
	atom := s.hourAtom(pop, hour)
	if atom.isZero() {
		return nil
	}
	m := newVec()
	newSplitter(atom, s.minuteWeights(pop, hour), s.phases(pop, hour)).part(int((minute-hour)/60), m, newVec())
	if m.isZero() {
		return nil
	}
	return s.seconds(pop, minute, m)
}

// rtEntries builds the Data entries for seconds [from, to], leaving out seconds without traffic.
func (s *svcInfo) rtEntries(from, to int64) []rtEntry {
	if s.prof.peakRPS == 0 || from > to {
		return nil
	}
	byPOP := map[string]map[int64][]vec{}
	var out []rtEntry
	for sec := from; sec <= to; sec++ {
		minute := floorDiv(sec, 60) * 60
		e := rtEntry{Recorded: sec, Aggregated: map[string]any{}, Datacenter: map[string]map[string]any{}}
		for _, pop := range s.prof.pops {
			mins := byPOP[pop]
			if mins == nil {
				mins = map[int64][]vec{}
				byPOP[pop] = mins
			}
			secs, ok := mins[minute]
			if !ok {
				secs = s.secondsOf(pop, minute)
				mins[minute] = secs
			}
			if secs == nil || newDrv(secs[sec-minute]).g[gAll] == 0 {
				continue // idle POPs are left out
			}
			m := s.rtMeasure(secs[sec-minute], pop, sec)
			e.Datacenter[pop] = m
			addMeasure(e.Aggregated, m)
		}
		if len(e.Datacenter) > 0 {
			out = append(out, e)
		}
	}
	return out
}

// RealtimeSecond returns what /v1/channel serves for one second: the aggregated measurement
// and the per-POP ones (nil maps when the second had no traffic), so tests can compare.
func (s *Server) RealtimeSecond(serviceID string, second time.Time) (aggregated map[string]any, datacenter map[string]map[string]any) {
	sv := s.byID[serviceID]
	if sv == nil {
		return nil, nil
	}
	es := sv.rtEntries(second.Unix(), second.Unix())
	if len(es) == 0 {
		return nil, nil
	}
	return es[0].Aggregated, es[0].Datacenter
}

func (s *Server) handleRealtime(w http.ResponseWriter, r *http.Request) {
	if sv := s.service(w, r.PathValue("id")); sv != nil {
		s.serveRealtime(w, r, sv.rtEntries, sv.prof.peakRPS == 0)
	}
}

// serveRealtime answers a /ts/{t}, /ts/h or .../limit/{n} request from entries, the
// per-second builder of the product (channel, origins or domains).
func (s *Server) serveRealtime(w http.ResponseWriter, r *http.Request, entries func(from, to int64) []rtEntry, idle bool) {
	limit := -1
	if l := r.PathValue("n"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusBadRequest, map[string]any{"Error": "invalid limit"})
			return
		}
		limit = n
	}
	tsArg := r.PathValue("t")
	latest := rtLatest(s.now())
	var resp rtResponse
	if tsArg == "h" {
		es := entries(latest-rtKeep+1, latest)
		if limit > 0 && len(es) > limit {
			es = es[len(es)-limit:] // the newest n
		}
		resp = rtResponse{Timestamp: latest, Data: es}
	} else {
		t, err := strconv.ParseInt(tsArg, 10, 64)
		if err != nil || t < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]any{"Error": "invalid timestamp"})
			return
		}
		if t == 0 {
			resp = rtResponse{Timestamp: latest, Data: entries(latest, latest)}
		} else {
			var ok bool
			if latest, ok = s.waitForSecond(r.Context(), t, idle); !ok {
				return // the client went away
			}
			if latest <= t { // long poll cut off: nothing new, same cursor
				resp = rtResponse{Timestamp: t}
			} else {
				es := entries(max(t+1, latest-rtKeep+1), latest)
				ts := latest
				if limit > 0 && len(es) > limit {
					es = es[:limit] // the oldest n, so the cursor continues without gaps
					ts = es[limit-1].Recorded
				}
				resp = rtResponse{Timestamp: ts, Data: es}
			}
		}
	}
	resp.AggregateDelay = aggregateDelay
	if resp.Data == nil {
		resp.Data = []rtEntry{}
	}
	if len(resp.Data) == 0 {
		resp.Error = noDataError
	}
	w.Header().Set("Cache-Control", "max-age=1")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, resp)
}

// waitForSecond long-polls until a second newer than t is complete, for at most
// rtLongPollMax of simulated time. Idle services answer at once. It returns the newest
// complete second, or false when ctx ended first.
func (s *Server) waitForSecond(ctx context.Context, t int64, idle bool) (int64, bool) {
	start := s.now()
	for {
		now := s.now()
		latest := rtLatest(now)
		if latest > t || idle {
			return latest, true
		}
		waited := now.Sub(start)
		if waited >= rtLongPollMax {
			return latest, true
		}
		// Sleep until the second after t is complete (now >= t+2), or the cut-off.
		d := time.Unix(t+2, 0).Sub(now)
		if rest := rtLongPollMax - waited; d > rest {
			d = rest
		}
		if !s.wait(ctx, d) {
			return 0, false
		}
	}
}

func sortStrings(s []string) { sort.Strings(s) }
