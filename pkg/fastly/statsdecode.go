package fastly

import (
	"fmt"
	"slices"
	"strings"
)

// FieldSpec names one stats field to decode, and how.
// Only the requested fields are decoded: a minute-level month is ~40,000 records of ~150 fields,
// and a panel usually wants a handful of them.
type FieldSpec struct {
	Name  string
	Float bool // fractional value (ratios, *_time seconds): decode into Floats; otherwise Ints (exact int64)
	Ratio bool // a missing key or JSON null is "no traffic": NaN, not 0 (only meaningful with Float)
}

// StatsMeta is the envelope's "meta" object as Fastly sends it (from/to look like "2024-03-12 15:39:42 UTC").
// Datacenter echoes the POPs an answer is filtered by; "" when it is absent or null.
type StatsMeta struct{ From, To, By, Region, Datacenter string }

// StatsColumn holds one field's values, one per record, in record order.
// Columns (not records of structs) because frames are built column-wise.
type StatsColumn struct {
	Ints   []int64   // set when !spec.Float; missing key or null -> 0
	Floats []float64 // set when spec.Float; missing/null -> 0, or NaN when spec.Ratio
}

// ServiceStats is one service's records, column-wise.
type ServiceStats struct {
	ServiceID  string        // map key in the all-services form; from the records' "service_id" in the array form ("" for /stats/aggregate)
	StartTimes []int64       // each record's start_time (Unix seconds)
	Columns    []StatsColumn // same order as the specs passed in
}

// StatsPayload is one decoded response.
type StatsPayload struct {
	Meta     StatsMeta
	Services []ServiceStats // array form -> exactly one entry (possibly with zero records); map form -> one per key, sorted by id
}

// StatsStatusError is a well-formed response whose "status" is not "success"; Msg is Fastly's
// explanation, so the user sees why rather than an empty panel.
type StatsStatusError struct{ Status, Msg string }

func (e *StatsStatusError) Error() string {
	return fmt.Sprintf("fastly stats: status %q: %s", e.Status, e.Msg)
}

// StatsSyntaxError is a body that is not valid JSON (a truncated or corrupted response);
// Offset is the byte at which decoding stopped.
type StatsSyntaxError struct {
	Offset int
	Msg    string
}

func (e *StatsSyntaxError) Error() string {
	return fmt.Sprintf("fastly stats: malformed JSON at byte %d: %s", e.Offset, e.Msg)
}

// StatsValueError is valid JSON that does not fit the stats shape: a number overflowing int64,
// a string where a number belongs, a record without start_time. Field names the culprit.
type StatsValueError struct {
	Field  string
	Offset int
	Msg    string
}

func (e *StatsValueError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("fastly stats: at byte %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("fastly stats: field %q at byte %d: %s", e.Field, e.Offset, e.Msg)
}

type colBuf struct {
	spec FieldSpec
	StatsColumn
}

type decoder struct {
	b        []byte
	m        matcher
	cols     []colBuf
	starts   []int64
	sized    bool
	arrayID  string // service_id seen in the array form
	haveID   bool
	mapForm  bool
	services []ServiceStats
}

// DecodeStats decodes a /stats, /stats/service/{id}, /stats/service/{id}/field/{f}, /stats/field/{f}
// or /stats/aggregate body, reading only the requested fields. "data" may be an array of records or
// a map service_id -> array. It is a single-pass byte scanner rather than encoding/json: bodies
// reach hundreds of megabytes, and only the output columns are allocated.
func DecodeStats(body []byte, specs []FieldSpec) (*StatsPayload, error) {
	d := &decoder{b: body, cols: make([]colBuf, len(specs))}
	d.m.add("start_time", targetStart)
	d.m.add("service_id", targetSID)
	for k, s := range specs {
		if s.Name == "" || s.Name == "service_id" {
			return nil, fmt.Errorf("fastly stats: %q is not a numeric stats field", s.Name)
		}
		d.cols[k] = colBuf{spec: s}
		d.m.add(s.Name, k)
	}
	return d.envelope()
}

func (d *decoder) syntax(i int, msg string) error {
	if i >= len(d.b) {
		msg = "unexpected end of body (" + msg + ")"
	}
	return &StatsSyntaxError{Offset: i, Msg: msg}
}

func (d *decoder) envelope() (*StatsPayload, error) {
	b := d.b
	p := &StatsPayload{}
	var status, msg string
	var sawStatus, sawData bool
	var dataErr error
	i, err := d.objectStart(ws(b, 0))
	for err == nil && i < len(b) && b[i] != '}' {
		var key string
		if key, i, err = d.key(i); err != nil {
			return nil, err
		}
		switch key {
		case "data":
			if sawData {
				return nil, &StatsValueError{Offset: i, Msg: "duplicate data"}
			}
			sawData = true
			i, dataErr, err = d.data(i)
		case "meta":
			i, err = d.meta(i, &p.Meta)
		case "status":
			status, i, err = d.stringOrRaw(i)
			sawStatus = true
		case "msg":
			msg, i, err = d.stringOrRaw(i)
		default:
			i, err = d.skip(i)
		}
		if err == nil {
			i, err = d.next(i, '}')
		}
	}
	if i, err = d.closed(i, err, '}'); err != nil {
		return nil, err
	}
	if i = ws(b, i); i != len(b) {
		return nil, d.syntax(i, "data after the top-level object")
	}
	switch {
	case !sawStatus:
		return nil, &StatsValueError{Offset: i, Msg: "no status in the response envelope"}
	case status != "success":
		return nil, &StatsStatusError{Status: status, Msg: msg}
	case dataErr != nil:
		return nil, dataErr
	case !sawData:
		return nil, &StatsValueError{Offset: i, Msg: "no data in the response envelope"}
	}
	p.Services = d.services
	return p, nil
}

// objectStart expects '{' at i and returns the index of the first member or of '}'.
func (d *decoder) objectStart(i int) (int, error) {
	if i >= len(d.b) || d.b[i] != '{' {
		return i, d.syntax(i, "expected '{'")
	}
	return ws(d.b, i+1), nil
}

// next moves past whitespace and a ',' to the next member, or stops on the closing byte.
func (d *decoder) next(i int, closing byte) (int, error) {
	i = ws(d.b, i)
	if i < len(d.b) && d.b[i] == ',' {
		i = ws(d.b, i+1)
		if i < len(d.b) && d.b[i] == closing {
			return i, d.syntax(i, "trailing comma")
		}
		return i, nil
	}
	if i < len(d.b) && d.b[i] == closing {
		return i, nil
	}
	return i, d.syntax(i, "expected ',' or '"+string(closing)+"'")
}

// closed ends a member loop: it passes on err, or steps over the closing byte at i.
func (d *decoder) closed(i int, err error, closing byte) (int, error) {
	if err != nil {
		return i, err
	}
	if i >= len(d.b) {
		return i, d.syntax(i, "expected '"+string(closing)+"'")
	}
	return i + 1, nil
}

// key reads `"name" :` and returns the unescaped name and the index of the value.
func (d *decoder) key(i int) (string, int, error) {
	raw, esc, i, err := d.str(i)
	if err != nil {
		return "", i, err
	}
	if i = ws(d.b, i); i >= len(d.b) || d.b[i] != ':' {
		return "", i, d.syntax(i, "expected ':'")
	}
	return text(raw, esc), ws(d.b, i+1), nil
}

// str scans a string at i; raw excludes the quotes.
func (d *decoder) str(i int) (raw []byte, esc bool, end int, err error) {
	if i >= len(d.b) || d.b[i] != '"' {
		return nil, false, i, d.syntax(i, "expected a string")
	}
	end, esc, msg := scanString(d.b, i)
	if msg != "" {
		return nil, false, end, d.syntax(end, msg)
	}
	return d.b[i+1 : end-1], esc, end, nil
}

// stringOrRaw reads a string value, or any other value as its JSON text (msg may be null or an object).
func (d *decoder) stringOrRaw(i int) (string, int, error) {
	if i < len(d.b) && d.b[i] == '"' {
		raw, esc, end, err := d.str(i)
		return text(raw, esc), end, err
	}
	end, err := d.skip(i)
	if err != nil {
		return "", end, err
	}
	if s := string(d.b[i:end]); s != "null" {
		return s, end, nil
	}
	return "", end, nil
}

func (d *decoder) meta(i int, m *StatsMeta) (int, error) {
	if i >= len(d.b) || d.b[i] != '{' {
		return d.skip(i) // null or something odd: not worth failing the data for
	}
	i, err := d.objectStart(i)
	for err == nil && i < len(d.b) && d.b[i] != '}' {
		var key, val string
		if key, i, err = d.key(i); err != nil {
			return i, err
		}
		var dst *string
		switch key {
		case "from":
			dst = &m.From
		case "to":
			dst = &m.To
		case "by":
			dst = &m.By
		case "region":
			dst = &m.Region
		case "datacenter":
			dst = &m.Datacenter
		}
		if dst == nil || i >= len(d.b) || d.b[i] != '"' {
			i, err = d.skip(i)
		} else {
			val, i, err = d.stringOrRaw(i)
			*dst = val
		}
		if err == nil {
			i, err = d.next(i, '}')
		}
	}
	return d.closed(i, err, '}')
}

// data decodes the "data" value. A shape error (not an array or map) is returned separately, so
// that an error envelope with odd data still reports Fastly's status and msg.
func (d *decoder) data(i int) (int, error, error) {
	if i >= len(d.b) {
		return i, nil, d.syntax(i, "expected a value")
	}
	switch d.b[i] {
	case '[':
		i, err := d.records(i, "")
		return i, nil, err
	case '{':
		d.mapForm = true
		i, err := d.objectStart(i)
		for err == nil && i < len(d.b) && d.b[i] != '}' {
			var id string
			if id, i, err = d.key(i); err != nil {
				return i, nil, err
			}
			if i < len(d.b) && d.b[i] == 'n' {
				i, err = d.skip(i) // null: a service without records
				d.services = append(d.services, d.finish(id, len(d.starts)))
			} else {
				i, err = d.records(i, id)
			}
			if err == nil {
				i, err = d.next(i, '}')
			}
		}
		if i, err = d.closed(i, err, '}'); err != nil {
			return i, nil, err
		}
		slices.SortStableFunc(d.services, func(a, b ServiceStats) int { return strings.Compare(a.ServiceID, b.ServiceID) })
		for k := 1; k < len(d.services); k++ {
			if d.services[k].ServiceID == d.services[k-1].ServiceID {
				return i, nil, &StatsValueError{Offset: i, Msg: fmt.Sprintf("service %q appears twice in data", d.services[k].ServiceID)}
			}
		}
		return i, nil, nil
	case 'n':
		i, err := d.skip(i)
		return i, nil, err
	}
	end, err := d.skip(i)
	return end, &StatsValueError{Field: "data", Offset: i, Msg: "expected an array or an object of records"}, err
}

// records decodes one array of records into the shared column buffers.
func (d *decoder) records(i int, id string) (int, error) {
	if i >= len(d.b) || d.b[i] != '[' { // e.g. a /stats/usage body, which maps regions to objects
		end, err := d.skip(i)
		if err == nil {
			err = &StatsValueError{Field: id, Offset: i, Msg: "expected an array of records"}
		}
		return end, err
	}
	first := len(d.starts)
	i = ws(d.b, i+1)
	var err error
	for err == nil && i < len(d.b) && d.b[i] != ']' {
		if !d.sized {
			err = d.presize(i)
		}
		if err == nil {
			i, err = d.record(i)
		}
		if err == nil {
			i, err = d.next(i, ']')
		}
	}
	if i, err = d.closed(i, err, ']'); err != nil {
		return i, err
	}
	if !d.mapForm {
		id = d.arrayID
	}
	d.services = append(d.services, d.finish(id, first))
	return i, nil
}

// presize allocates the columns once, from the first record's length and the bytes left: the
// records of one response carry the same keys, so this is close, and append grows it if not.
func (d *decoder) presize(i int) error {
	end, err := d.skip(i)
	if err != nil {
		return err
	}
	n := (len(d.b)-i)/(end-i+1) + 1
	n += n/8 + 1
	d.starts = make([]int64, 0, n)
	for k := range d.cols {
		if d.cols[k].spec.Float {
			d.cols[k].Floats = make([]float64, 0, n)
		} else {
			d.cols[k].Ints = make([]int64, 0, n)
		}
	}
	d.sized = true
	return nil
}

func window[T any](s []T, from int) []T {
	if s == nil {
		return []T{}
	}
	return s[from:len(s):len(s)]
}

func (d *decoder) finish(id string, first int) ServiceStats {
	s := ServiceStats{ServiceID: id, StartTimes: window(d.starts, first), Columns: make([]StatsColumn, len(d.cols))}
	for k, c := range d.cols {
		if c.spec.Float {
			s.Columns[k].Floats = window(c.Floats, first)
		} else {
			s.Columns[k].Ints = window(c.Ints, first)
		}
	}
	return s
}
