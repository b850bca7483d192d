package fastlysim

import (
	"strconv"
	"testing"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
)

// TestMissHistogramKeysTileFastlysLayout checks that the simulator's miss_histogram keys are the
// upper bounds the plugin's catalog expects, bucket after bucket with no gap or overlap, so
// percentiles computed from simulated data mean what they would with Fastly's.
func TestMissHistogramKeysTileFastlysLayout(t *testing.T) {
	lower := 0.0
	for _, ub := range histBuckets {
		b, ok := catalog.MissHistogramBucket(strconv.Itoa(ub))
		if !ok {
			t.Fatalf("key %d is not a bucket the catalog reads", ub)
		}
		if b.LowerMs != lower || b.UpperMs != float64(ub) {
			t.Fatalf("key %d reads as [%v, %v] ms; the previous bucket ended at %v", ub, b.LowerMs, b.UpperMs, lower)
		}
		lower = b.UpperMs
	}
	if lower != 60000 {
		t.Fatalf("the buckets end at %v ms, want 60000", lower)
	}
}
