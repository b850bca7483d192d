package fastly

// Number conversion for DecodeStats. Integers are converted from the decimal digits, never
// through float64, because day-level byte counters exceed 2^53.

import (
	"math"
	"math/bits"
	"strconv"
)

// number is a scanned JSON number: ±mant × 10^exp, where exact says every significant digit
// fit into mant (at most 19 of them). Inexact numbers are re-read by strconv.
type number struct {
	mant  uint64
	exp   int
	nd    int
	neg   bool
	exact bool
}

// push adds one digit; trailing zeros of a fraction never get here (see scanNumber).
func (n *number) push(dig byte, frac bool) {
	switch {
	case n.mant == 0 && dig == 0: // leading zero of 0.00x: only the scale changes
	case n.nd < 19:
		n.mant = n.mant*10 + uint64(dig)
		n.nd++
	default:
		n.exact = false
		if !frac {
			n.exp++
		}
		return
	}
	if frac {
		n.exp--
	}
}

// scanNumber validates and decodes the number at i (b[i] is '-' or a digit).
func scanNumber(b []byte, i int) (number, int, bool) {
	n := number{exact: true}
	if b[i] == '-' {
		if n.neg, i = true, i+1; i >= len(b) {
			return n, i, false
		}
	}
	switch c := b[i]; {
	case c == '0':
		i++
	case c-'1' < 9:
		s := i
		for i++; i < len(b) && b[i]-'0' < 10; i++ {
		}
		if i-s <= 19 { // fits in uint64: the common case, without push
			for k := s; k < i; k++ {
				n.mant = n.mant*10 + uint64(b[k]-'0')
			}
			n.nd = i - s
		} else {
			for k := s; k < i; k++ {
				n.push(b[k]-'0', false)
			}
		}
	default:
		return n, i, false
	}
	if i < len(b) && b[i] == '.' {
		s, zeros := i+1, 0
		for i = s; i < len(b) && b[i]-'0' < 10; i++ {
			if b[i] == '0' { // held back: trailing zeros must not use up precision (12.000000000000000000)
				zeros++
				continue
			}
			for ; zeros > 0; zeros-- {
				n.push(0, true)
			}
			n.push(b[i]-'0', true)
		}
		if i == s {
			return n, i, false
		}
	}
	if i < len(b) && b[i]|0x20 == 'e' {
		neg := false
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			neg, i = b[i] == '-', i+1
		}
		s, e := i, 0
		for ; i < len(b) && b[i]-'0' < 10; i++ {
			if e < 1_000_000 { // beyond any float64; clamping keeps the int from overflowing
				e = e*10 + int(b[i]-'0')
			}
		}
		if i == s {
			return n, i, false
		}
		if neg {
			e = -e
		}
		n.exp += e
	}
	return n, i, true
}

var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

var pow10f = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// int converts to int64, rounding a fraction half away from zero (an integer field sent as
// 12.0 or 1e3 is still a count); ok is false when the value does not fit.
func (n number) int(lit []byte) (int64, bool) {
	if !n.exact {
		f, err := strconv.ParseFloat(string(lit), 64)
		if err != nil || math.Abs(f) >= 1<<63 {
			return 0, false
		}
		return int64(math.Round(f)), true
	}
	m := n.mant
	switch {
	case m != 0 && n.exp > 0:
		for e := n.exp; e > 0; e-- {
			hi, lo := bits.Mul64(m, 10)
			if hi != 0 {
				return 0, false
			}
			m = lo
		}
	case n.exp < -19: // mant < 1e19, so the value is below 0.1
		m = 0
	case n.exp < 0:
		p := pow10u[-n.exp]
		q, r := m/p, m%p
		if r >= p-r {
			q++
		}
		m = q
	}
	if n.neg {
		if m > 1<<63 {
			return 0, false
		}
		return -int64(m), true
	}
	if m > math.MaxInt64 {
		return 0, false
	}
	return int64(m), true
}

// float converts to float64. Up to 2^53 with a power of ten up to 1e22 both factors are exact,
// so one multiply or divide is correctly rounded (Clinger's fast path); the rest goes to strconv.
func (n number) float(lit []byte) (float64, bool) {
	if n.exact && n.mant < 1<<53 && n.exp >= -22 && n.exp <= 22 {
		f := float64(n.mant)
		if n.exp < 0 {
			f /= pow10f[-n.exp]
		} else {
			f *= pow10f[n.exp]
		}
		if n.neg {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(string(lit), 64)
	return f, err == nil
}
