package frames

import "github.com/opsdeck/fastly-datasource/pkg/fastly"

// POPSplit is what per-POP answers say about Fastly's `datacenter` filter, which is
// undocumented: honoured, each POP's answer is its part of the total; ignored, each is the
// whole total.
type POPSplit int

const (
	// SplitConsistent: the POPs' answers fit inside the total and at least one is less than
	// all of it, which an ignored filter cannot produce.
	SplitConsistent POPSplit = iota
	// SplitContradicts: together the POPs answer more than the total, so at least one answer
	// is not that POP's part: the filter was ignored (or the data disagree).
	SplitContradicts
	// SplitUnproven: every POP answered about the whole total (one POP asked for, carrying all
	// the traffic, looks the same as an ignored filter); an answer for another POP decides.
	SplitUnproven
	// SplitStale: the total had no traffic but the POPs have some, which only traffic arriving
	// after the total's call explains (an ignored filter would copy the total's zero): the
	// total, asked again after the POPs, decides.
	SplitStale
)

// splitTolerance absorbs traffic Fastly added between the total's call and the POPs' calls
// when the comparison has to include buckets that are still filling.
const splitTolerance = 0.05

// CheckPOPSplit compares field col of each POP's answer with the unfiltered total over the
// request's range: over its settled buckets when the total has traffic there (they no longer
// change between calls), else over every bucket. The total must be fetched before the POPs,
// so what Fastly adds in between can only make an ignored filter look bigger, never honoured.
func CheckPOPSplit(total *fastly.StatsPayload, perPOP []POPStats, col int, r StatsPOPMapRequest) POPSplit {
	g := newGrid(r.From, r.To, r.Step)
	lo, hi := g.start, g.start+int64(g.count)*g.step
	settled := settledBefore(r.Now, r.Step) + 1
	if settled < hi {
		if t, _ := BucketSum(total, col, lo, settled); t > 0 {
			hi = settled
		}
	}
	t, _ := BucketSum(total, col, lo, hi)
	var sum, least float64
	for i, p := range perPOP {
		v, _ := BucketSum(p.Payload, col, lo, hi)
		sum += v
		if i == 0 || v < least {
			least = v
		}
	}
	partial := len(perPOP) > 0 && least < t*(1-splitTolerance)
	switch {
	case t == 0 && sum == 0:
		return SplitConsistent // nothing anywhere: every POP is null, which is true either way
	case t == 0 && popsSum(perPOP, col, lo, min(settled, hi)) > 0:
		return SplitContradicts // traffic in settled buckets the total has none of
	case t == 0:
		return SplitStale
	case sum > t*(1+splitTolerance):
		return SplitContradicts
	case partial:
		return SplitConsistent
	}
	return SplitUnproven
}

// popsSum is field col summed over every POP's buckets in [lo, hi).
func popsSum(perPOP []POPStats, col int, lo, hi int64) float64 {
	var sum float64
	for _, p := range perPOP {
		v, _ := BucketSum(p.Payload, col, lo, hi)
		sum += v
	}
	return sum
}
