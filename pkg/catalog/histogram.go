package catalog

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Latency percentiles come from two histograms: real-time miss_histogram (keys are bucket
// upper bounds in ms) and the Origin Inspector latency_* fields (fixed buckets, one field
// each). Both the real-time and the Origin Inspector code estimate quantiles the same way,
// so the helpers live here next to the metrics that use them.

// Bucket is one histogram bucket: Count observations between LowerMs (exclusive) and UpperMs
// (inclusive). UpperMs is +Inf for the open-ended last bucket.
type Bucket struct {
	LowerMs float64
	UpperMs float64
	Count   float64
}

// originLatencyBounds are the Origin Inspector bucket edges in ms, in field order.
var originLatencyBounds = []float64{0, 1, 5, 10, 50, 100, 250, 500, 1000, 5000, 10000, 60000}

// LatencyBucketFields returns the Origin Inspector latency bucket fields in ascending order.
// prefix is "" (VCL origin fetches), "waf_", "compute_" or "all_".
func LatencyBucketFields(prefix string) []string {
	var out []string
	for i, lo := range originLatencyBounds {
		if i+1 < len(originLatencyBounds) {
			out = append(out, prefix+"latency_"+ftoa(lo)+"_to_"+ftoa(originLatencyBounds[i+1])+"ms")
		} else {
			out = append(out, prefix+"latency_"+ftoa(lo)+"ms")
		}
	}
	return out
}

// LatencyBuckets returns empty buckets matching LatencyBucketFields(prefix) one for one, so
// the caller only fills in the counts.
func LatencyBuckets(prefix string) []Bucket {
	var out []Bucket
	for i, lo := range originLatencyBounds {
		hi := math.Inf(1)
		if i+1 < len(originLatencyBounds) {
			hi = originLatencyBounds[i+1]
		}
		out = append(out, Bucket{LowerMs: lo, UpperMs: hi})
	}
	return out
}

// MissHistogramBucket turns a miss_histogram key (the bucket's upper bound in ms) into the
// bucket's bounds. Fastly's buckets widen with latency: 1 ms up to 10 ms, 10 ms up to 250,
// 50 ms up to 1 s, 100 ms up to 3 s, 500 ms up to 10 s, 1 s up to 20 s, 5 s up to 60 s, and
// one open bucket beyond. Knowing the width matters because idle buckets are left out of the
// map, so the previous key is not the lower bound.
func MissHistogramBucket(key string) (Bucket, bool) {
	up, err := strconv.ParseFloat(strings.TrimSpace(key), 64)
	if err != nil || up < 0 || math.IsNaN(up) || math.IsInf(up, 0) {
		return Bucket{}, false
	}
	for _, w := range missBucketWidths {
		if up <= w.upTo {
			return Bucket{LowerMs: math.Max(0, up-w.width), UpperMs: up}, true
		}
	}
	return Bucket{LowerMs: 60000, UpperMs: math.Inf(1)}, true
}

// missBucketWidths are the widths of Fastly's miss_histogram buckets, in ms, up to each bound.
var missBucketWidths = []struct{ upTo, width float64 }{
	{10, 1}, {250, 10}, {1000, 50}, {3000, 100}, {10000, 500}, {20000, 1000}, {60000, 5000},
}

// Quantile estimates the q-th quantile (0 < q <= 1) in ms, interpolating linearly inside the
// bucket that holds it. A quantile in the open-ended bucket is reported as that bucket's
// lower bound: the histogram says no more. ok is false when there are no observations, so
// the caller emits null, not 0.
func Quantile(buckets []Bucket, q float64) (ms float64, ok bool) {
	if q <= 0 || q > 1 || math.IsNaN(q) {
		return 0, false
	}
	bs := append([]Bucket(nil), buckets...)
	sort.Slice(bs, func(i, j int) bool { return bs[i].LowerMs < bs[j].LowerMs })
	var total float64
	for _, b := range bs {
		if b.Count > 0 {
			total += b.Count
		}
	}
	if total == 0 {
		return 0, false
	}
	rank := q * total
	var seen float64
	var last Bucket
	for _, b := range bs {
		if b.Count <= 0 {
			continue
		}
		last = b
		if seen+b.Count >= rank {
			return within(b, (rank-seen)/b.Count), true
		}
		seen += b.Count
	}
	return within(last, 1), true // only reached through rounding at q = 1
}

// within interpolates a fraction f of the way through b; the open bucket has no width.
func within(b Bucket, f float64) float64 {
	if math.IsInf(b.UpperMs, 1) {
		return b.LowerMs
	}
	return b.LowerMs + (b.UpperMs-b.LowerMs)*f
}

// ftoa formats a whole number of milliseconds as Fastly spells it in field names.
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
