package fastly

// A hand-written decoder for rt.fastly.com answers. A busy service sends ~100 POPs with a
// hundred-odd fields each, every second, for every poller: encoding/json into maps (what
// go-fastly does) costs tens of milliseconds per second of data, while the plugin usually
// needs three or four fields. This decoder keeps only the fields asked for, skips the rest
// byte by byte, and allocates one value slice per POP.

import (
	"fmt"
	"sort"
	"strconv"
)

// MissHistogramKey is the real-time field holding origin fetch times on misses: a map from a
// millisecond bucket (its upper bound, as a string key) to a count.
const MissHistogramKey = "miss_histogram"

// RealtimeFields is the fixed list of fields a decode keeps. Indexes into Values follow
// Names; a field absent from the answer is 0 (real-time leaves out zero-valued keys).
type RealtimeFields struct {
	names []string
	index map[string]int
	bloom [keyBloomBits / 64]uint64 // keyHash of every wanted key: most keys are rejected here
	hist  bool                      // keep miss_histogram
}

// NewRealtimeFields builds a field list; repeats are dropped. miss_histogram is kept as a
// histogram rather than a value.
func NewRealtimeFields(names []string) *RealtimeFields {
	f := &RealtimeFields{index: map[string]int{}}
	for _, n := range names {
		if n == MissHistogramKey {
			f.hist = true
			f.mark(n)
			continue
		}
		if _, dup := f.index[n]; dup || n == "" {
			continue
		}
		f.index[n] = len(f.names)
		f.names = append(f.names, n)
		f.mark(n)
	}
	return f
}

// Names lists the value fields in index order (miss_histogram excluded).
func (f *RealtimeFields) Names() []string { return append([]string(nil), f.names...) }

// Index is the position of a field in Values, or false when it is not decoded.
func (f *RealtimeFields) Index(name string) (int, bool) {
	i, ok := f.index[name]
	return i, ok
}

// Len is the number of value fields.
func (f *RealtimeFields) Len() int { return len(f.names) }

// Histogram reports whether miss_histogram is decoded.
func (f *RealtimeFields) Histogram() bool { return f.hist }

// HistogramBin is one miss_histogram entry: Count fetches finished within UpperMs.
type HistogramBin struct {
	UpperMs float64
	Count   float64
}

// RealtimeStats is one second of measurements, for all POPs or one.
type RealtimeStats struct {
	Values        []float64      // by RealtimeFields index
	MissHistogram []HistogramBin // nil unless asked for
}

// POPStats is one POP's measurements for a second.
type POPStats struct {
	POP string
	RealtimeStats
}

// RealtimeSecond is one entry of Data: a second and what happened in it.
type RealtimeSecond struct {
	Recorded   int64
	Aggregated RealtimeStats
	POPs       []POPStats // sorted by POP code
}

// RealtimeResponse is one real-time answer. Timestamp is the cursor for the next request;
// Error is Fastly's "No data available, please retry" for an idle service, which is not a
// failure.
type RealtimeResponse struct {
	Timestamp      int64
	AggregateDelay int64
	Error          string
	Seconds        []RealtimeSecond // ascending by Recorded, one entry per second
}

// RealtimeDecodeError says where an answer stopped making sense.
type RealtimeDecodeError struct {
	Offset int
	Msg    string
}

func (e *RealtimeDecodeError) Error() string {
	return fmt.Sprintf("Fastly's real-time answer is malformed at byte %d: %s", e.Offset, e.Msg)
}

// DecodeRealtime decodes a /v1/channel answer keeping only the fields in f.
func DecodeRealtime(body []byte, f *RealtimeFields) (*RealtimeResponse, error) {
	d := rtDecoder{b: body, f: f}
	out := &RealtimeResponse{}
	i, err := d.object(ws(body, 0), func(key []byte, i int) (int, error) {
		switch string(key) {
		case "Timestamp":
			v, end, err := d.float(i)
			out.Timestamp = int64(v)
			return end, err
		case "AggregateDelay":
			v, end, err := d.float(i)
			out.AggregateDelay = int64(v)
			return end, err
		case "Error":
			if i < len(body) && body[i] == '"' {
				end, esc, msg := scanString(body, i)
				if msg != "" {
					return end, d.fail(end, msg)
				}
				out.Error = text(body[i+1:end-1], esc)
				return end, nil
			}
		case "Data":
			return d.data(i, out)
		}
		return d.skip(i)
	})
	if err != nil {
		return nil, err
	}
	if i = ws(body, i); i != len(body) {
		return nil, d.fail(i, "unexpected data after the answer")
	}
	sort.SliceStable(out.Seconds, func(a, b int) bool { return out.Seconds[a].Recorded < out.Seconds[b].Recorded })
	out.Seconds = dedupeSeconds(out.Seconds)
	return out, nil
}

// dedupeSeconds keeps the last entry of a repeated second, so callers see each second once.
func dedupeSeconds(s []RealtimeSecond) []RealtimeSecond {
	out := s[:0]
	for k := range s {
		if n := len(out); n > 0 && out[n-1].Recorded == s[k].Recorded {
			out[n-1] = s[k]
			continue
		}
		out = append(out, s[k])
	}
	return out
}

type rtDecoder struct {
	b []byte
	f *RealtimeFields
}

// data decodes the Data array.
func (d *rtDecoder) data(i int, out *RealtimeResponse) (int, error) {
	b := d.b
	if isNull(b, i) {
		return i + 4, nil
	}
	if i >= len(b) || b[i] != '[' {
		return i, d.fail(i, "Data must be an array")
	}
	i = ws(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		var sec RealtimeSecond
		var err error
		if i, err = d.second(i, &sec); err != nil {
			return i, err
		}
		out.Seconds = append(out.Seconds, sec)
		i = ws(b, i)
		if i >= len(b) {
			return i, d.fail(i, "unterminated Data")
		}
		switch b[i] {
		case ',':
			i = ws(b, i+1)
		case ']':
			return i + 1, nil
		default:
			return i, d.fail(i, "expected ',' or ']'")
		}
	}
}

// second decodes one {recorded, aggregated, datacenter} entry.
func (d *rtDecoder) second(i int, sec *RealtimeSecond) (int, error) {
	sec.Aggregated.Values = make([]float64, d.f.Len())
	return d.object(i, func(key []byte, i int) (int, error) {
		switch string(key) {
		case "recorded":
			v, end, err := d.float(i)
			sec.Recorded = int64(v)
			return end, err
		case "aggregated":
			return d.stats(i, &sec.Aggregated)
		case "datacenter":
			end, err := d.object(i, func(pop []byte, i int) (int, error) {
				ps := POPStats{POP: string(pop)}
				ps.Values = make([]float64, d.f.Len())
				end, err := d.stats(i, &ps.RealtimeStats)
				sec.POPs = append(sec.POPs, ps)
				return end, err
			})
			sort.Slice(sec.POPs, func(a, b int) bool { return sec.POPs[a].POP < sec.POPs[b].POP })
			return end, err
		}
		return d.skip(i)
	})
}

// stats decodes one field -> value object, keeping the wanted fields. It is the hot loop
// (every key of every POP of every second), so it walks the object itself instead of going
// through object's callback.
func (d *rtDecoder) stats(i int, st *RealtimeStats) (int, error) {
	i, done, err := d.open(i) // null: no values, every field stays 0
	for !done && err == nil {
		var key []byte
		if key, i, err = d.member(i); err != nil {
			break
		}
		switch k, ok := d.lookup(key); {
		case !ok:
			i, err = d.skip(i)
		case k >= 0 && i < len(d.b) && d.b[i] != 'n':
			st.Values[k], i, err = d.float(i)
		case k == histogramTarget:
			i, err = d.histogram(i, st)
		default: // null: absent
			i, err = d.skip(i)
		}
		if err == nil {
			i, done, err = d.after(i)
		}
	}
	return i, err
}

// histogram decodes miss_histogram; keys that are not numbers are skipped.
func (d *rtDecoder) histogram(i int, st *RealtimeStats) (int, error) {
	if i < len(d.b) && d.b[i] == 'n' {
		return d.skip(i)
	}
	if st.MissHistogram == nil {
		st.MissHistogram = make([]HistogramBin, 0, 32)
	}
	st.MissHistogram = st.MissHistogram[:0]
	return d.object(i, func(key []byte, i int) (int, error) {
		v, end, err := d.float(i)
		if err != nil {
			return end, err
		}
		if up, perr := strconv.ParseFloat(string(key), 64); perr == nil && v > 0 {
			st.MissHistogram = append(st.MissHistogram, HistogramBin{UpperMs: up, Count: v})
		}
		return end, nil
	})
}
