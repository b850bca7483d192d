package fastly

// The byte-level half of DecodeStats: key matching, the per-record loop and skipping of
// values nobody asked for (the string and number scanners are in jsonscan.go). Everything
// works on indexes into the body and allocates nothing on the hot path.

import (
	"bytes"
	"encoding/binary"
	"math"
)

// Special targets of a key besides the spec columns (which are >= 0).
const (
	targetStart = -1
	targetSID   = -2
)

// candidate is one wanted key. prefix holds its first 8 bytes, so most keys of the right
// length are rejected with one integer compare.
type candidate struct {
	name    []byte
	prefix  uint64
	targets []int
	start   bool // one of the targets is start_time
}

// matcher rejects unwanted keys by length (a bitmask) before comparing any bytes.
type matcher struct {
	lenMask uint64
	byLen   [64][]candidate // keys of 63 bytes or more share the last bucket
}

func (m *matcher) add(name string, target int) {
	L := min(len(name), 63)
	for k := range m.byLen[L] {
		if string(m.byLen[L][k].name) == name {
			m.byLen[L][k].targets = append(m.byLen[L][k].targets, target)
			m.byLen[L][k].start = m.byLen[L][k].start || target == targetStart
			return
		}
	}
	m.lenMask |= 1 << L
	m.byLen[L] = append(m.byLen[L], candidate{name: []byte(name), prefix: prefix8([]byte(name)), targets: []int{target}, start: target == targetStart})
}

// prefix8 loads up to 8 leading bytes little-endian, zero-padded.
func prefix8(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.LittleEndian.Uint64(b)
	}
	var p uint64
	for k := len(b) - 1; k >= 0; k-- {
		p = p<<8 | uint64(b[k])
	}
	return p
}

// find returns the candidate equal to key (which has no escapes), or nil.
func (m *matcher) find(key []byte) *candidate {
	L := len(key)
	if L >= 63 {
		L = 63
	}
	if m.lenMask>>L&1 == 0 {
		return nil
	}
	p := prefix8(key)
	cs := m.byLen[L]
	for k := range cs {
		if cs[k].prefix == p && (len(key) <= 8 || bytes.Equal(key[8:], cs[k].name[8:])) {
			return &cs[k]
		}
	}
	return nil
}

// appendMissing adds the value of a record without the field: 0, or NaN for a ratio (no
// traffic has no ratio, which is not a ratio of 0).
func (c *StatsColumn) appendMissing(spec FieldSpec) {
	switch {
	case !spec.Float:
		c.Ints = append(c.Ints, 0)
	case spec.Ratio:
		c.Floats = append(c.Floats, math.NaN())
	default:
		c.Floats = append(c.Floats, 0)
	}
}

// record decodes the record object at i into row len(d.starts). Every column first gets its
// "missing" value, so absent keys cost nothing and a repeated key keeps the last value.
func (d *decoder) record(i int) (int, error) {
	b := d.b
	if i >= len(b) || b[i] != '{' {
		if _, err := d.skip(i); err != nil {
			return i, err
		}
		return i, &StatsValueError{Offset: i, Msg: "a record must be an object"}
	}
	row := len(d.starts)
	d.starts = append(d.starts, 0)
	for k := range d.cols {
		d.cols[k].appendMissing(d.cols[k].spec)
	}
	haveStart := false
	i = ws(b, i+1)
	for i < len(b) && b[i] != '}' {
		if b[i] != '"' {
			return i, d.syntax(i, "expected a key")
		}
		end, esc, msg := scanString(b, i)
		if msg != "" {
			return end, d.syntax(end, msg)
		}
		key := b[i+1 : end-1]
		if i = end; i < len(b) && b[i] <= ' ' {
			i = ws(b, i)
		}
		if i >= len(b) || b[i] != ':' {
			return i, d.syntax(i, "expected ':'")
		}
		if i++; i < len(b) && b[i] <= ' ' {
			i = ws(b, i)
		}
		if esc {
			key = []byte(text(key, true))
		}
		var err error
		var c *candidate
		if d.m.lenMask>>min(len(key), 63)&1 != 0 { // most keys stop here, without a call
			c = d.m.find(key)
		}
		switch {
		case c == nil && i < len(b) && (b[i]-'0' < 10 || b[i] == '-'):
			var ok bool
			if i, ok = skipNumber(b, i); !ok {
				err = d.syntax(i, "invalid number")
			}
		case c == nil:
			i, err = d.skip(i)
		case c.targets[0] == targetSID:
			i, err = d.serviceID(i)
		default:
			var got bool
			i, got, err = d.number(c, i, row)
			haveStart = haveStart || got && c.start
		}
		if err != nil {
			return i, err
		}
		if i < len(b) && b[i] <= ' ' {
			i = ws(b, i)
		}
		if i < len(b) && b[i] == ',' {
			if i++; i < len(b) && b[i] <= ' ' {
				i = ws(b, i)
			}
			if i < len(b) && b[i] == '}' {
				return i, d.syntax(i, "trailing comma")
			}
		} else if i >= len(b) || b[i] != '}' {
			return i, d.syntax(i, "expected ',' or '}'")
		}
	}
	if i >= len(b) {
		return i, d.syntax(i, "expected '}'")
	}
	if !haveStart {
		return i, &StatsValueError{Field: "start_time", Offset: i, Msg: "record has no start_time"}
	}
	return i + 1, nil
}

// serviceID checks a record's service_id in the array form, where it is the only place the
// service is named. In the map form the key names the service and this is skipped.
func (d *decoder) serviceID(i int) (int, error) {
	if d.mapForm || i >= len(d.b) || d.b[i] != '"' {
		end, err := d.skip(i)
		if err == nil && !d.mapForm && string(d.b[i:end]) != "null" {
			err = &StatsValueError{Field: "service_id", Offset: i, Msg: "expected a string"}
		}
		return end, err
	}
	raw, esc, end, err := d.str(i)
	switch {
	case err != nil:
	case !d.haveID:
		d.arrayID, d.haveID = text(raw, esc), true
	case esc && text(raw, esc) != d.arrayID || !esc && string(raw) != d.arrayID:
		err = &StatsValueError{Field: "service_id", Offset: i, Msg: "records of one array name different services"}
	}
	return end, err
}

// number stores the number at i into every target of c; got is false for null.
func (d *decoder) number(c *candidate, i, row int) (int, bool, error) {
	b := d.b
	if i >= len(b) || b[i]-'0' >= 10 && b[i] != '-' {
		end, err := d.skip(i)
		if err == nil && string(b[i:end]) == "null" {
			return end, false, nil
		}
		if err == nil {
			err = &StatsValueError{Field: string(c.name), Offset: i, Msg: "expected a number, got " + string(b[i:min(end, i+20)])}
		}
		return end, false, err
	}
	n, end, ok := scanNumber(b, i)
	if !ok {
		return end, false, d.syntax(end, "invalid number")
	}
	lit := b[i:end]
	for _, t := range c.targets {
		if t >= 0 && d.cols[t].spec.Float {
			f, ok := n.float(lit)
			if !ok {
				return end, false, &StatsValueError{Field: string(c.name), Offset: i, Msg: string(lit) + " is out of range for float64"}
			}
			d.cols[t].Floats[row] = f
			continue
		}
		v, ok := n.int(lit)
		if !ok {
			return end, false, &StatsValueError{Field: string(c.name), Offset: i, Msg: string(lit) + " overflows int64"}
		}
		if t == targetStart {
			d.starts[row] = v
		} else {
			d.cols[t].Ints[row] = v
		}
	}
	return end, true, nil
}

// skip validates and steps over any JSON value, for keys the caller did not ask for
// (jsonscan.go's skipValue).
func (d *decoder) skip(i int) (int, error) {
	end, msg := skipValue(d.b, i, 0)
	if msg != "" {
		return end, d.syntax(end, msg)
	}
	return end, nil
}
