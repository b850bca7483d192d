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

// usage is one region's (or one service's) usage: Fastly's requests count VCL delivery only,
// compute_requests Compute (docs/fastly-api.md, "Usage").
type usage struct{ bandwidth, requests, compute int64 }

func (u *usage) add(o usage) {
	u.bandwidth += o.bandwidth
	u.requests += o.requests
	u.compute += o.compute
}

func (u usage) isZero() bool { return u == usage{} }

// usageOf is the usage of one service's base vector.
func usageOf(v vec, compute bool) usage {
	d := newDrv(v, compute)
	u := usage{bandwidth: d.respHdr() + d.respBody() + d.x(vBereqHdr) + d.x(vReqBody)}
	if compute {
		u.compute = d.g[gAll]
	} else {
		u.requests = d.g[gAll]
	}
	return u
}

func appendUsage(b []byte, u usage) []byte {
	b = append(b, `{"bandwidth":`...)
	b = strconv.AppendInt(b, u.bandwidth, 10)
	b = append(b, `,"requests":`...)
	b = strconv.AppendInt(b, u.requests, 10)
	b = append(b, `,"compute_requests":`...)
	b = strconv.AppendInt(b, u.compute, 10)
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
	s.serveUsage(w, r, func(b []byte, usageIn func(*svcInfo) usage) []byte {
		var total usage
		for _, sv := range s.services {
			total.add(usageIn(sv))
		}
		return appendUsage(b, total)
	})
}

func (s *Server) handleUsageByService(w http.ResponseWriter, r *http.Request) {
	s.serveUsage(w, r, func(b []byte, usageIn func(*svcInfo) usage) []byte {
		b = append(b, '{')
		n := 0
		for _, sv := range s.services {
			if u := usageIn(sv); !u.isZero() { // Fastly leaves out services without traffic
				b = appendKey(b, n, sv.ID)
				n++
				b = appendUsage(b, u)
			}
		}
		return append(b, '}')
	})
}

// serveUsage answers the shape both usage endpoints share, an object keyed by region: region
// writes one region's value, given each service's usage there over the asked range.
func (s *Server) serveUsage(w http.ResponseWriter, r *http.Request, region func(b []byte, usageIn func(*svcInfo) usage) []byte) {
	sq, from, ok := s.usageRange(w, r)
	if !ok {
		return
	}
	b := []byte{'{'}
	for i, name := range Regions {
		b = appendKey(b, i, name)
		b = region(b, func(sv *svcInfo) usage {
			return usageOf(sv.rangeVec(sv.popsFor(name, nil), from, sq.to.Unix(), sq.dataEnd), sv.prof.compute)
		})
	}
	writeEnvelope(w, sq, append(b, '}'))
}
