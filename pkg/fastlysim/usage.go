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
	sq, from, ok := s.usageRange(w, r)
	if !ok {
		return
	}
	b := []byte{'{'}
	for i, region := range Regions {
		total := newVec()
		for _, sv := range s.services {
			total.add(sv.rangeVec(sv.popsFor(region, nil), from, sq.to.Unix(), sq.dataEnd))
		}
		b = appendKey(b, i, region)
		b = appendUsage(b, total)
	}
	writeEnvelope(w, sq, append(b, '}'))
}

func (s *Server) handleUsageByService(w http.ResponseWriter, r *http.Request) {
	sq, from, ok := s.usageRange(w, r)
	if !ok {
		return
	}
	b := []byte{'{'}
	for i, region := range Regions {
		b = append(appendKey(b, i, region), '{')
		n := 0
		for _, sv := range s.services {
			v := sv.rangeVec(sv.popsFor(region, nil), from, sq.to.Unix(), sq.dataEnd)
			if v.isZero() {
				continue
			}
			b = appendKey(b, n, sv.ID)
			n++
			b = appendUsage(b, v)
		}
		b = append(b, '}')
	}
	writeEnvelope(w, sq, append(b, '}'))
}
