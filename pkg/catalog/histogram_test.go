package catalog

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLatencyBucketFieldsMatchOriginInspector(t *testing.T) {
	want := []string{
		"latency_0_to_1ms", "latency_1_to_5ms", "latency_5_to_10ms", "latency_10_to_50ms",
		"latency_50_to_100ms", "latency_100_to_250ms", "latency_250_to_500ms", "latency_500_to_1000ms",
		"latency_1000_to_5000ms", "latency_5000_to_10000ms", "latency_10000_to_60000ms", "latency_60000ms",
	}
	assert.Equal(t, want, LatencyBucketFields(""))
	for _, p := range []string{"", "waf_", "compute_", "all_"} {
		fs := LatencyBucketFields(p)
		bs := LatencyBuckets(p)
		require.Len(t, bs, len(fs))
		for _, f := range fs {
			assert.True(t, sentNatively(mustLookup(t, f), KindOrigins), f)
		}
	}
	bs := LatencyBuckets("")
	assert.Equal(t, Bucket{LowerMs: 10, UpperMs: 50}, bs[3])
	assert.True(t, math.IsInf(bs[11].UpperMs, 1))
}

func TestMissHistogramBucketWidths(t *testing.T) {
	for key, want := range map[string]Bucket{
		"1":     {0, 1, 0},
		"7":     {6, 7, 0},
		"20":    {10, 20, 0},
		"250":   {240, 250, 0},
		"300":   {250, 300, 0},
		"1500":  {1400, 1500, 0},
		"9500":  {9000, 9500, 0},
		"15000": {14000, 15000, 0},
		"60000": {55000, 60000, 0},
	} {
		got, ok := MissHistogramBucket(key)
		assert.True(t, ok, key)
		assert.Equal(t, want, got, key)
	}
	open, ok := MissHistogramBucket("60001")
	assert.True(t, ok)
	assert.Equal(t, 60000.0, open.LowerMs)
	assert.True(t, math.IsInf(open.UpperMs, 1))
	for _, bad := range []string{"", "abc", "-5", "NaN"} {
		_, ok := MissHistogramBucket(bad)
		assert.False(t, ok, bad)
	}
}

// missBuckets reads a decoded miss_histogram as buckets, skipping keys that are not numbers.
func missBuckets(h map[string]float64) []Bucket {
	out := make([]Bucket, 0, len(h))
	for k, v := range h {
		if b, ok := MissHistogramBucket(k); ok {
			b.Count = v
			out = append(out, b)
		}
	}
	return out
}

func TestQuantileFromMissHistogram(t *testing.T) {
	// 100 misses: 50 in 10-20 ms, 40 in 90-100 ms, 10 in 240-250 ms. A sparse map, as Fastly
	// leaves idle buckets out.
	bs := missBuckets(map[string]float64{"20": 50, "100": 40, "250": 10, "junk": 7})
	require.Len(t, bs, 3)

	p50, ok := Quantile(bs, 0.5)
	assert.True(t, ok)
	assert.InDelta(t, 20.0, p50, 1e-9, "the 50th miss is the last in the 10-20 ms bucket")

	p95, ok := Quantile(bs, 0.95)
	assert.True(t, ok)
	assert.InDelta(t, 245.0, p95, 1e-9, "half-way through the 240-250 ms bucket")

	p99, _ := Quantile(bs, 0.99)
	assert.InDelta(t, 249.0, p99, 1e-9)

	p10, _ := Quantile(bs, 0.10)
	assert.InDelta(t, 12.0, p10, 1e-9, "10 of the 50 in 10-20 ms: a fifth of the way")
}

func TestQuantileFromOriginBuckets(t *testing.T) {
	bs := LatencyBuckets("")
	bs[4].Count = 90  // 50-100 ms
	bs[11].Count = 10 // 60 s and more
	p50, ok := Quantile(bs, 0.5)
	assert.True(t, ok)
	assert.InDelta(t, 50+50*(50.0/90), p50, 1e-9)
	p99, _ := Quantile(bs, 0.99)
	assert.Equal(t, 60000.0, p99, "the open bucket reports its lower bound")
}

func TestQuantileWithoutTrafficIsNull(t *testing.T) {
	_, ok := Quantile(LatencyBuckets(""), 0.95)
	assert.False(t, ok)
	_, ok = Quantile(nil, 0.5)
	assert.False(t, ok)
	_, ok = Quantile([]Bucket{{0, 1, 5}}, 0)
	assert.False(t, ok, "q must be in (0, 1]")
	v, ok := Quantile([]Bucket{{0, 10, 5}}, 1)
	assert.True(t, ok)
	assert.Equal(t, 10.0, v)
}
