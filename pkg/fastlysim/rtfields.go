package fastlysim

import (
	"math"
	"strconv"
	"strings"
)

// Real-time measurements of one second at one POP. The field set is the historical one minus
// what only the historical API computes (bandwidth, hit_ratio, ...), plus miss_histogram;
// zero values are left out as rt.fastly.com does. Units differ from historical data:
// *_sub_time are integer nanoseconds here.

// notRealtime lists historical fields that rt.fastly.com does not send.
var notRealtime = map[string]bool{
	"bandwidth": true, "hit_ratio": true, "pipe": true, "tls_handshake_sent_bytes": true, "blacklist": true,
	"orig_req_body_size": true, "orig_req_header_size": true, "orig_resp_body_size": true,
	"orig_resp_header_size": true, "waf_blocked": true, "waf_logged": true, "waf_passed": true,
}

var rtFieldIdx = func() []int {
	var out []int
	for i, f := range histFields {
		if !notRealtime[f.name] {
			out = append(out, i)
		}
	}
	return out
}()

// RealtimeFields returns the names of every field a real-time measurement can carry, sorted.
func RealtimeFields() []string {
	names := []string{"miss_histogram"}
	for _, i := range rtFieldIdx {
		names = append(names, histFields[i].name)
	}
	sortStrings(names)
	return names
}

// nanos converts *_time ticks to integer nanoseconds.
func nanos(ticks int64) int64 { return mulDiv(ticks, 1e9, ticksPerSec) }

// rtMeasure renders one POP-second base vector as a real-time measurement map.
func (s *svcInfo) rtMeasure(v vec, pop string, second int64) map[string]any {
	d := newDrv(v, s.prof.compute)
	m := make(map[string]any, 96)
	for _, i := range rtFieldIdx {
		f := histFields[i]
		x := f.count(d)
		if x == 0 {
			continue
		}
		switch {
		case strings.HasSuffix(f.name, "_sub_time"):
			m[f.name] = nanos(x)
		case f.kind == kSec:
			m[f.name] = float64(x) / ticksPerSec
		case f.kind == kMs:
			m[f.name] = float64(x) / msUnits
		default:
			m[f.name] = x
		}
	}
	if miss := d.g[gMiss]; miss > 0 && !s.prof.compute {
		m["miss_histogram"] = s.missHistogram(miss, pop, second)
	}
	return m
}

// histBuckets are the upper bounds (ms) of the miss_histogram buckets; keys are these numbers.
// Widths follow Fastly's published layout: 1 ms up to 10 ms, 10 ms up to 250 ms, 50 ms up to
// 1 s, 100 ms up to 3 s, 500 ms up to 10 s, 1 s up to 20 s and 5 s up to 60 s (the tail past
// 60 s is folded into the last bucket).
var histBuckets = func() []int {
	var b []int
	for _, span := range []struct{ from, to, width int }{
		{1, 10, 1}, {20, 250, 10}, {300, 1000, 50}, {1100, 3000, 100},
		{3500, 10000, 500}, {11000, 20000, 1000}, {25000, 60000, 5000},
	} {
		for ms := span.from; ms <= span.to; ms += span.width {
			b = append(b, ms)
		}
	}
	return b
}()

// missHistogram spreads a second's misses over latency buckets along a log-normal curve
// around the service's origin latency; the counts always sum to miss.
func (s *svcInfo) missHistogram(miss int64, pop string, second int64) map[string]int64 {
	median := s.prof.originMs / 1.2 * (0.85 + 0.3*unit(hash(s.seed, strSeed(pop), uint64(second), dValue, 999)))
	const sigma = 0.6
	h := make(map[string]int64, 8)
	var prev int64
	for i, ub := range histBuckets {
		cdf := 0.5 * (1 + math.Erf((math.Log(float64(ub))-math.Log(median))/(sigma*math.Sqrt2)))
		cum := int64(math.Round(float64(miss) * cdf))
		if i == len(histBuckets)-1 {
			cum = miss
		}
		if n := cum - prev; n > 0 {
			h[strconv.Itoa(ub)] = n
		}
		prev = max(prev, cum)
	}
	return h
}

// addMeasure adds a POP measurement into an aggregate one.
func addMeasure(into, m map[string]any) {
	for k, v := range m {
		switch x := v.(type) {
		case int64:
			y, _ := into[k].(int64)
			into[k] = y + x
		case float64:
			y, _ := into[k].(float64)
			into[k] = y + x
		case map[string]int64:
			y, _ := into[k].(map[string]int64)
			if y == nil {
				y = map[string]int64{}
				into[k] = y
			}
			for b, n := range x {
				y[b] += n
			}
		}
	}
}
