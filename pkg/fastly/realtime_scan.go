package fastly

// The byte-level half of DecodeRealtime: the key filter, object walking, numbers and skipped
// values. Strings are scanned by jsonscan.go's scanString (8 bytes at a time).

import (
	"fmt"
	"strconv"
)

// keyBloomBits sizes the filter that rejects unwanted keys before any map lookup: a POP
// object has ~100 keys and a panel wants a handful, so nearly every key stops here.
const keyBloomBits = 4096

// keyHash mixes a key's length, first, middle and last bytes: cheap, and different for
// nearly all of Fastly's field names.
func keyHash(k []byte) uint {
	n := len(k)
	if n == 0 {
		return 0
	}
	return (uint(n)*0x9e37 ^ uint(k[0])*0x85eb ^ uint(k[n/2])*0xc2b2 ^ uint(k[n-1])*0x27d4) % keyBloomBits
}

func (f *RealtimeFields) mark(name string) {
	h := keyHash([]byte(name))
	f.bloom[h/64] |= 1 << (h % 64)
}

func (f *RealtimeFields) maybe(key []byte) bool {
	h := keyHash(key)
	return f.bloom[h/64]>>(h%64)&1 != 0
}

func (d *rtDecoder) fail(i int, msg string) error { return &RealtimeDecodeError{Offset: i, Msg: msg} }

// object walks the object at i, calling fn with each key (unescaped bytes, valid only during
// the call) and the index of its value; fn returns the index after the value.
func (d *rtDecoder) object(i int, fn func(key []byte, i int) (int, error)) (int, error) {
	b := d.b
	if isNull(b, i) {
		return i + 4, nil // an absent object: no keys
	}
	if i >= len(b) || b[i] != '{' {
		return i, d.fail(i, "expected an object")
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return i, d.fail(i, "expected a key")
		}
		end, esc, msg := scanString(b, i)
		if msg != "" {
			return end, d.fail(end, msg)
		}
		key := b[i+1 : end-1]
		if esc {
			key = []byte(text(key, true))
		}
		i = ws(b, end)
		if i >= len(b) || b[i] != ':' {
			return i, d.fail(i, "expected ':'")
		}
		var err error
		if i, err = fn(key, ws(b, i+1)); err != nil {
			return i, err
		}
		i = ws(b, i)
		if i >= len(b) {
			return i, d.fail(i, "unterminated object")
		}
		switch b[i] {
		case ',':
			i = ws(b, i+1)
		case '}':
			return i + 1, nil
		default:
			return i, d.fail(i, "expected ',' or '}'")
		}
	}
}

// histogramTarget is lookup's answer for miss_histogram.
const histogramTarget = -1

// lookup says where a key goes: a value index, histogramTarget, or nowhere.
func (d *rtDecoder) lookup(key []byte) (int, bool) {
	f := d.f
	if !f.maybe(key) {
		return 0, false
	}
	if k, ok := f.index[string(key)]; ok {
		return k, true
	}
	if f.hist && string(key) == MissHistogramKey {
		return histogramTarget, true
	}
	return 0, false
}

// float reads a JSON number. Integers (nearly every real-time value) take a fast path.
func (d *rtDecoder) float(i int) (float64, int, error) {
	b := d.b
	if isNull(b, i) {
		return 0, i + 4, nil // an absent number
	}
	if i >= len(b) || !(b[i] == '-' || b[i]-'0' < 10) {
		return 0, i, d.fail(i, "expected a number")
	}
	end, ok := skipNumber(b, i)
	if !ok {
		return 0, end, d.fail(end, "invalid number")
	}
	lit := b[i:end]
	if len(lit) <= 15 {
		var n int64
		neg := lit[0] == '-'
		digits := lit
		if neg {
			digits = lit[1:]
		}
		plain := true
		for _, c := range digits {
			if c-'0' >= 10 {
				plain = false
				break
			}
			n = n*10 + int64(c-'0')
		}
		if plain {
			if neg {
				n = -n
			}
			return float64(n), end, nil
		}
	}
	v, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		return 0, end, d.fail(i, "number out of range")
	}
	return v, end, nil
}

// skip steps over any JSON value, validating it.
func (d *rtDecoder) skip(i, depth int) (int, error) {
	b := d.b
	if i >= len(b) {
		return i, d.fail(i, "expected a value")
	}
	switch c := b[i]; {
	case c == '"':
		end, _, msg := scanString(b, i)
		if msg != "" {
			return end, d.fail(end, msg)
		}
		return end, nil
	case c == '-' || c-'0' < 10:
		end, ok := skipNumber(b, i)
		if !ok {
			return end, d.fail(end, "invalid number")
		}
		return end, nil
	case c == '{':
		if depth >= 64 {
			return i, d.fail(i, "nested too deeply")
		}
		return d.object(i, func(_ []byte, i int) (int, error) { return d.skip(i, depth+1) })
	case c == '[':
		if depth >= 64 {
			return i, d.fail(i, "nested too deeply")
		}
		i = ws(b, i+1)
		if i < len(b) && b[i] == ']' {
			return i + 1, nil
		}
		for {
			var err error
			if i, err = d.skip(i, depth+1); err != nil {
				return i, err
			}
			if i = ws(b, i); i >= len(b) {
				return i, d.fail(i, "unterminated array")
			}
			if b[i] == ']' {
				return i + 1, nil
			}
			if b[i] != ',' {
				return i, d.fail(i, "expected ',' or ']'")
			}
			i = ws(b, i+1)
		}
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
			return i + len(lit), nil
		}
	}
	return i, d.fail(i, fmt.Sprintf("unexpected character %q", b[i]))
}

// isNull reports a JSON null at i, which the real-time API may send for an absent value.
func isNull(b []byte, i int) bool {
	return i+4 <= len(b) && string(b[i:i+4]) == "null"
}
