package fastlysim

import (
	"math"
	"sort"
	"strconv"
)

// record is one served stats bucket: one service's traffic, or for /stats/aggregate the sum
// of several services', VCL and Compute alike.
type record struct {
	serviceID string // "" for /stats/aggregate, which carries none
	start     int64
	parts     []*drv
}

// value returns field i's value (int64, float64 or nil) and whether the record carries it:
// the sum over its parts, carried when any part carries it.
func (r record) value(i int) (any, bool) {
	f := histFields[i]
	var x, hits, hitsMiss int64
	present := false
	for _, d := range r.parts {
		n := f.count(d)
		x += n
		present = present || f.present(d, n)
		if !d.compute {
			hits, hitsMiss = hits+d.g[gHit], hitsMiss+d.g[gHit]+d.g[gMiss]
		}
	}
	switch {
	case !present:
		return nil, false
	case f.kind == kRatio && hitsMiss == 0:
		return nil, true
	case f.kind == kRatio:
		return float64(hits) / float64(hitsMiss), true
	case f.kind == kSec:
		return float64(x) / ticksPerSec, true
	case f.kind == kMs:
		return float64(x) / msUnits, true
	}
	return x, true
}

func (r record) toMap() map[string]any {
	m := make(map[string]any, len(histFields)+2)
	for i := range histFields {
		if v, ok := r.value(i); ok {
			m[histFields[i].name] = v
		}
	}
	m["start_time"] = r.start
	if r.serviceID != "" {
		m["service_id"] = r.serviceID
	}
	return m
}

// appendJSON writes the record as a JSON object with sorted keys (as the API does). With
// field >= 0 only that field is written (the /field/{f} endpoints).
func (r record) appendJSON(b []byte, field int) []byte {
	b = append(b, '{')
	n := 0
	for _, k := range keyOrder {
		var v any
		switch {
		case k == metaServiceID:
			if r.serviceID == "" {
				continue
			}
			v = r.serviceID
		case k == metaStartTime:
			v = r.start
		case field >= 0 && k != field:
			continue
		default:
			var ok bool
			if v, ok = r.value(k); !ok {
				continue
			}
		}
		b = appendKey(b, n, keyName(k))
		n++
		b = appendValue(b, v)
	}
	return append(b, '}')
}

// appendKey writes a JSON object member's key, after a comma unless it is the object's first
// member (i == 0): the simulator writes its large answers by hand, for speed.
func appendKey(b []byte, i int, key string) []byte {
	if i > 0 {
		b = append(b, ',')
	}
	b = strconv.AppendQuote(b, key)
	return append(b, ':')
}

const (
	metaServiceID = -1
	metaStartTime = -2
)

func keyName(k int) string {
	switch k {
	case metaServiceID:
		return "service_id"
	case metaStartTime:
		return "start_time"
	}
	return histFields[k].name
}

// keyOrder is every record key (field indexes and the two meta keys) in sorted order.
var keyOrder = func() []int {
	ks := []int{metaServiceID, metaStartTime}
	for i := range histFields {
		ks = append(ks, i)
	}
	sort.Slice(ks, func(i, j int) bool { return keyName(ks[i]) < keyName(ks[j]) })
	return ks
}()

func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return appendFloat(b, x)
	case string:
		return strconv.AppendQuote(b, x)
	}
	return append(b, "null"...)
}

// appendFloat formats like encoding/json (shortest repr, exponent only for tiny or huge).
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	fmtc := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		fmtc = 'e'
	}
	b = strconv.AppendFloat(b, f, fmtc, -1, 64)
	if fmtc == 'e' {
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
