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

// rtClock is the simulator's real-time clock at now: the newest complete second, which is what
// Fastly answers as Timestamp, and the newest second whose records are available, which trails
// it by AggregateDelay (docs/fastly-api.md, "Real-time": in every recorded answer, Timestamp =
// newest recorded + 9).
func rtClock(now time.Time) (timestamp, newest int64) {
	timestamp = now.Unix() - 1
	return timestamp, timestamp - aggregateDelay
}

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
			if secs == nil || newDrv(secs[sec-minute], s.prof.compute).g[gAll] == 0 {
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
// per-second builder of the product (channel, origins or domains). The cursor follows Fastly's:
// Timestamp runs AggregateDelay seconds ahead of the newest record, and /ts/{t} answers the
// records that became available after t, those recorded after t - AggregateDelay (and the
// second t - AggregateDelay itself again when Config.RealtimeRepeatBoundary is set, since
// Fastly does not document which it does).
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
	ts, newest := rtClock(s.now())
	var resp rtResponse
	if tsArg == "h" {
		es := entries(newest-rtKeep+1, newest)
		if limit > 0 && len(es) > limit {
			es = es[len(es)-limit:] // the newest n
		}
		resp = rtResponse{Timestamp: ts, Data: es}
	} else {
		t, err := strconv.ParseInt(tsArg, 10, 64)
		if err != nil || t < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]any{"Error": "invalid timestamp"})
			return
		}
		if t == 0 {
			resp = rtResponse{Timestamp: ts, Data: entries(newest, newest)}
		} else {
			var ok bool
			if resp, ok = s.longPoll(r.Context(), t, entries, idle); !ok {
				return // the client went away
			}
			if limit > 0 && len(resp.Data) > limit {
				resp.Data = resp.Data[:limit] // the oldest n; the cursor continues after the last one
				resp.Timestamp = resp.Data[limit-1].Recorded + aggregateDelay
			}
		}
	}
	if n := len(resp.Data); n > 0 && s.cfg.RealtimeCursorOnRecords {
		resp.Timestamp = resp.Data[n-1].Recorded + aggregateDelay
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

// longPoll answers /ts/{t}: it waits until the clock has passed the cursor t, so that a
// record newer than the last answer may exist, for at most rtLongPollMax of simulated time,
// then answers the records after t - AggregateDelay that Fastly still keeps. With
// RealtimeCursorOnRecords it keeps waiting until a record arrives. Idle services answer at
// once. It returns false when ctx ended first.
func (s *Server) longPoll(ctx context.Context, t int64, entries func(from, to int64) []rtEntry, idle bool) (rtResponse, bool) {
	from := t - aggregateDelay + 1
	if s.cfg.RealtimeRepeatBoundary {
		from--
	}
	start := s.now()
	for {
		now := s.now()
		ts, newest := rtClock(now)
		if ts > t {
			es := entries(max(from, newest-rtKeep+1), newest)
			if len(es) > 0 || idle || !s.cfg.RealtimeCursorOnRecords {
				return rtResponse{Timestamp: ts, Data: es}, true
			}
		}
		waited := now.Sub(start)
		if idle || waited >= rtLongPollMax {
			return rtResponse{Timestamp: t}, true // cut off: nothing new, same cursor
		}
		// Sleep until the next second is complete, or the cut-off.
		d := time.Unix(max(ts, t)+2, 0).Sub(now)
		if rest := rtLongPollMax - waited; d > rest {
			d = rest
		}
		if !s.wait(ctx, d) {
			return rtResponse{}, false
		}
	}
}

func sortStrings(s []string) { sort.Strings(s) }
