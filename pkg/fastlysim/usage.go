package fastlysim

import (
	"net/http"
	"strconv"
)

// Billing usage (/stats/usage, /stats/usage_by_service): bandwidth and request totals per
// region over [from aligned up to a bucket, to), from the same atoms as the stats.

// rangeVec sums a service's traffic over pops for minutes in [from, to) published by dataEnd.
func (s *svcInfo) rangeVec(pops []string, from, to, dataEnd int64) vec {
	out := newVec()
	if s.prof.peakRPS == 0 {
		return out
	}
	to = min(to, dataEnd)
	for hour := floorDiv(from, 3600) * 3600; hour < to; hour += 3600 {
		if hour >= from && hour+3600 <= to {
			out.add(s.hourVec(pops, hour, dataEnd))
			continue
		}
		for _, p := range pops {
			atom := s.hourAtom(p, hour)
			if atom.isZero() {
				continue
			}
			kids := s.minutes(p, hour, atom)
			for m, kid := range kids {
				if st := hour + int64(m)*60; st >= from && st < to {
					out.add(kid)
				}
			}
		}
	}
	return out
}

// usageOf is the usage triple of a base vector.
func usageOf(v vec) (bandwidth, requests, compute int64) {
	d := newDrv(v)
	bw := d.respHdr() + d.respBody() + d.x(vBereqHdr) + d.x(vReqBody)
	return bw, d.g[gAll], d.x(vComputeReq)
}

func appendUsage(b []byte, v vec) []byte {
	bw, req, cr := usageOf(v)
	b = append(b, `{"bandwidth":`...)
	b = strconv.AppendInt(b, bw, 10)
	b = append(b, `,"requests":`...)
	b = strconv.AppendInt(b, req, 10)
	b = append(b, `,"compute_requests":`...)
	b = strconv.AppendInt(b, cr, 10)
	return append(b, '}')
}

func (s *Server) usageRange(w http.ResponseWriter, r *http.Request) (*statsQuery, int64, bool) {
	sq, e := s.parseStatsQueryOpts(r, false)
	if e != nil {
		s.statsError(w, e)
		return nil, 0, false
	}
	blen := bucketLen[sq.by]
	return sq, floorDiv(sq.from.Unix()+blen-1, blen) * blen, true
}

func (s *Server) handleUsage(w http.ResponseWriter, r *http.Request) {
	s.serveUsage(w, r, func(b []byte, usage func(*svcInfo) vec) []byte {
		total := newVec()
		for _, sv := range s.services {
			total.add(usage(sv))
		}
		return appendUsage(b, total)
	})
}

func (s *Server) handleUsageByService(w http.ResponseWriter, r *http.Request) {
	s.serveUsage(w, r, func(b []byte, usage func(*svcInfo) vec) []byte {
		b = append(b, '{')
		n := 0
		for _, sv := range s.services {
			if v := usage(sv); !v.isZero() { // Fastly leaves out services without traffic
				b = appendKey(b, n, sv.ID)
				n++
				b = appendUsage(b, v)
			}
		}
		return append(b, '}')
	})
}

// serveUsage answers the shape both usage endpoints share, an object keyed by region: region
// writes one region's value, given each service's usage there over the asked range.
func (s *Server) serveUsage(w http.ResponseWriter, r *http.Request, region func(b []byte, usage func(*svcInfo) vec) []byte) {
	sq, from, ok := s.usageRange(w, r)
	if !ok {
		return
	}
	b := []byte{'{'}
	for i, name := range Regions {
		b = appendKey(b, i, name)
		b = region(b, func(sv *svcInfo) vec { return sv.rangeVec(sv.popsFor(name, nil), from, sq.to.Unix(), sq.dataEnd) })
	}
	writeEnvelope(w, sq, append(b, '}'))
}
