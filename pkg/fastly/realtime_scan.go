package fastly

// The byte-level half of DecodeRealtime: the key filter, object walking, numbers and skipped
// values. Strings are scanned by jsonscan.go's scanString (8 bytes at a time).

import (
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
	i, done, err := d.open(i)
	for !done && err == nil {
		var key []byte
		if key, i, err = d.member(i); err == nil {
			if i, err = fn(key, i); err == nil {
				i, done, err = d.after(i)
			}
		}
	}
	return i, err
}

// open steps into the object at i and returns the index of its first key, or done (with the
// index after it) for {} and null, which the real-time API sends for an absent object.
func (d *rtDecoder) open(i int) (int, bool, error) {
	b := d.b
	if isNull(b, i) {
		return i + 4, true, nil
	}
	if i >= len(b) || b[i] != '{' {
		return i, false, d.fail(i, "expected an object")
	}
	if i = ws(b, i+1); i < len(b) && b[i] == '}' {
		return i + 1, true, nil
	}
	return i, false, nil
}

// member reads `"key":` at i and returns the key (unescaped bytes, valid until the next
// member) and the index of its value.
func (d *rtDecoder) member(i int) ([]byte, int, error) {
	b := d.b
	if i >= len(b) || b[i] != '"' {
		return nil, i, d.fail(i, "expected a key")
	}
	end, esc, msg := scanString(b, i)
	if msg != "" {
		return nil, end, d.fail(end, msg)
	}
	key := b[i+1 : end-1]
	if esc {
		key = []byte(text(key, true))
	}
	if i = ws(b, end); i >= len(b) || b[i] != ':' {
		return nil, i, d.fail(i, "expected ':'")
	}
	return key, ws(b, i+1), nil
}

// after steps over what follows a member's value: the index of the next key, or done (with
// the index after the object) at '}'.
func (d *rtDecoder) after(i int) (int, bool, error) {
	b := d.b
	if i = ws(b, i); i >= len(b) {
		return i, false, d.fail(i, "unterminated object")
	}
	switch b[i] {
	case ',':
		return ws(b, i+1), false, nil
	case '}':
		return i + 1, true, nil
	}
	return i, false, d.fail(i, "expected ',' or '}'")
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

// skip steps over any JSON value, validating it (jsonscan.go's skipValue).
func (d *rtDecoder) skip(i int) (int, error) {
	end, msg := skipValue(d.b, i, 0)
	if msg != "" {
		return end, d.fail(end, msg)
	}
	return end, nil
}

// isNull reports a JSON null at i, which the real-time API may send for an absent value.
func isNull(b []byte, i int) bool {
	return i+4 <= len(b) && string(b[i:i+4]) == "null"
}
