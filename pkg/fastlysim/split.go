package fastlysim

import "math/bits"

// wOne is the fixed-point 1.0 of cumulative split weights.
const wOne = 1 << 20

// cumWeights turns relative weights of n child buckets into n+1 cumulative fixed-point
// boundaries W[0]=0 .. W[n]=wOne.
func cumWeights(w []float64) []int64 {
	var total float64
	for _, x := range w {
		total += x
	}
	W := make([]int64, len(w)+1)
	var run float64
	for i, x := range w {
		run += x
		W[i+1] = int64(run / total * wOne)
	}
	W[len(w)] = wOne
	for i := 1; i < len(W); i++ { // guard against float drift making W decrease
		if W[i] < W[i-1] {
			W[i] = W[i-1]
		}
	}
	return W
}

// mulDiv returns floor(a*b/c) without overflow, for 0 <= b <= c.
func mulDiv(a, b, c int64) int64 {
	if c == 0 || a == 0 || b == 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// splitter divides one bucket's base vector into n child buckets so that the children sum to
// the parent exactly, every child is non-negative, and a value is zero in a child whenever its
// parent count is zero there (no bytes without requests). Cells are spread by the weights
// with a per-cell phase (so small counts land in varied children); values follow their
// parent's cumulative count proportionally.
type splitter struct {
	total  vec
	W      []int64
	phase  []int64
	groups [nGroups]int64
}

func newSplitter(total vec, W []int64, phase []int64) *splitter {
	return &splitter{total: total, W: W, phase: phase, groups: total.groupSums()}
}

// cum writes the cumulative base vector of children [0, i) into out.
func (s *splitter) cum(i int, out vec) {
	w := uint64(s.W[i])
	var grp [nGroups]int64
	for c := 0; c < nCells; c++ {
		hi, lo := bits.Mul64(uint64(s.total[c]), w)
		lo, carry := bits.Add64(lo, uint64(s.phase[c]), 0)
		hi += carry
		x := int64(lo>>20 | hi<<44)
		out[c] = x
		for _, g := range cellGroups[c] {
			grp[g] += x
		}
	}
	for v := 0; v < nVals; v++ {
		p := parent[v]
		var pc, pt int64
		if p < 0 {
			pc, pt = grp[-1-p], s.groups[-1-p]
		} else {
			pc, pt = out[nCells+p], s.total[nCells+p]
		}
		out[nCells+v] = mulDiv(s.total[nCells+v], pc, pt)
	}
}

// part writes child k (children [k, k+1)) into out, using scratch for the lower boundary.
func (s *splitter) part(k int, out, scratch vec) {
	s.cum(k, scratch)
	s.cum(k+1, out)
	for i := range out {
		out[i] -= scratch[i]
	}
}

// all returns every child, computing each boundary once.
func (s *splitter) all() []vec {
	n := len(s.W) - 1
	kids := make([]vec, n)
	prev := newVec()
	for k := 0; k < n; k++ {
		cur := newVec()
		s.cum(k+1, cur)
		kid := newVec()
		for i := range kid {
			kid[i] = cur[i] - prev[i]
		}
		kids[k] = kid
		prev = cur
	}
	return kids
}
