package fastlysim

// Aggregation of hour atoms into the buckets a stats query asks for.

// bucketLen is the length in seconds of each bucket size Fastly's endpoints take by name: the
// stats by=, the inspectors' downsample= and the log time series' granularity=, which alone
// also takes second.
var bucketLen = map[string]int64{"second": 1, "minute": 60, "hour": 3600, "day": 86400}

// historicalBucketLen is bucketLen for the stats and inspector endpoints: minute, hour or day,
// since they keep no per-second data.
func historicalBucketLen(name string) (int64, bool) {
	if name == "second" {
		return 0, false
	}
	l, ok := bucketLen[name]
	return l, ok
}

// minuteDataEnd is the end of the newest minute Fastly has published at now: minute buckets
// appear about two minutes after they end.
func minuteDataEnd(now int64) int64 { return floorDiv(now-120, 60) * 60 }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// hourVec is the service's base vector for one UTC hour over pops, counting only minutes that
// start before dataEnd (so the newest hour is partial, as in the real API).
func (s *svcInfo) hourVec(pops []string, hour, dataEnd int64) vec {
	out := newVec()
	if hour >= dataEnd {
		return out
	}
	for _, p := range pops {
		atom := s.hourAtom(p, hour)
		if atom.isZero() {
			continue
		}
		if hour+3600 <= dataEnd {
			out.add(atom)
			continue
		}
		kids := s.minutes(p, hour, atom)
		for m := 0; int64(m)*60+hour < dataEnd; m++ {
			out.add(kids[m])
		}
	}
	return out
}

// series returns one base vector per bucket start (aligned to by) over pops.
func (s *svcInfo) series(pops []string, by string, starts []int64, dataEnd int64) []vec {
	out := make([]vec, len(starts))
	for i := range out {
		out[i] = newVec()
	}
	if s.prof.peakRPS == 0 || len(pops) == 0 {
		return out
	}
	switch by {
	case "minute":
		for i := 0; i < len(starts); {
			hour := floorDiv(starts[i], 3600) * 3600
			j := i
			for j < len(starts) && starts[j] < hour+3600 {
				j++
			}
			if hour < dataEnd {
				for _, p := range pops {
					atom := s.hourAtom(p, hour)
					if atom.isZero() {
						continue
					}
					kids := s.minutes(p, hour, atom)
					for k := i; k < j; k++ {
						if starts[k] < dataEnd {
							out[k].add(kids[(starts[k]-hour)/60])
						}
					}
				}
			}
			i = j
		}
	case "hour":
		for i, st := range starts {
			out[i] = s.hourVec(pops, st, dataEnd)
		}
	case "day":
		for i, st := range starts {
			for h := int64(0); h < 24; h++ {
				out[i].add(s.hourVec(pops, st+h*3600, dataEnd))
			}
		}
	}
	return out
}

// popsFor is the service's POPs limited to a region ("" = all) and a datacenter set (nil = all).
func (s *svcInfo) popsFor(region string, dcs map[string]bool) []string {
	var out []string
	for _, p := range s.prof.pops {
		if region != "" && popByCode[p].Region != region {
			continue
		}
		if dcs != nil && !dcs[p] {
			continue
		}
		out = append(out, p)
	}
	return out
}
