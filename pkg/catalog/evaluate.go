package catalog

import "math"

// Value is a formula's result for one bucket, from the sums of its Numerator and Denominator
// fields over that bucket and the bucket's length in seconds. ok is false when the value is
// unknown, which frames show as null and never as 0: a ratio of no traffic, or no finite
// number. Every framer (stats, inspectors, real-time) computes derived metrics through it, so
// they agree on rates, totals, scales and absent values. Quantile formulas use Percentile.
func (f *Formula) Value(num, den, step float64) (float64, bool) {
	var v float64
	switch {
	case len(f.Denominator) > 0:
		if den == 0 {
			return 0, false
		}
		v = num / den
	case f.Total || step <= 0:
		v = num
	default:
		v = num / step
	}
	if f.Scale != 0 {
		v *= f.Scale
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// Percentile is a latency quantile formula's result in milliseconds, from the counts of its
// Numerator fields (the latency buckets in ascending order) read through get, each at least
// the sum of its floors. ok is false without traffic.
func (f *Formula) Percentile(get func(field string) float64) (float64, bool) {
	buckets := LatencyBuckets("")
	for b := range buckets {
		if b < len(f.Numerator) {
			buckets[b].Count = f.side(f.Numerator[b:b+1], get)
		}
	}
	return Quantile(buckets, f.Quantile)
}
