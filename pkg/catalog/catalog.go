// Package catalog is the plugin's single list of metrics: what each Fastly field is called,
// its unit, where it can be queried, and how the plugin computes the metrics Fastly does not
// send (hit ratio, error ratio, bits per second, latency percentiles). It is pure data and
// functions: the query code, the decoders, the frame builders and the editor's /metrics route
// all read it, so a unit or a name is decided in one place.
package catalog

import (
	"sort"
	"strings"
)

// Kind is a family of Fastly queries a metric can be used in.
type Kind string

// The query families. Their values match the query model's queryType where one exists, so
// the editor can filter the catalog with the query type it already holds.
const (
	KindHistorical Kind = "historical" // /stats*  (query type "stats")
	KindRealtime   Kind = "realtime"   // rt.fastly.com/v1/channel
	KindOrigins    Kind = "origins"    // Origin Inspector
	KindDomains    Kind = "domains"    // Domain Inspector
)

// allKinds fixes the order in which kinds are listed everywhere.
var allKinds = []Kind{KindHistorical, KindRealtime, KindOrigins, KindDomains}

// kindBit maps a Kind to its bit in a kindSet.
func kindBit(k Kind) kindSet {
	switch k {
	case KindHistorical:
		return kH
	case KindRealtime:
		return kR
	case KindOrigins:
		return kO
	case KindDomains:
		return kD
	}
	return 0
}

// kinds lists the members of s in the canonical order.
func (s kindSet) kinds() []Kind {
	var out []Kind
	for _, k := range allKinds {
		if s&kindBit(k) != 0 {
			out = append(out, k)
		}
	}
	return out
}

// Grafana unit ids the catalog emits. They are what FieldConfig.Unit expects.
const (
	UnitShort       = "short"
	UnitBytes       = "decbytes"
	UnitSeconds     = "s"
	UnitMillis      = "ms"
	UnitNanos       = "ns"
	UnitPercentUnit = "percentunit"
	UnitBitsPerSec  = "bps"
)

// Metric is one plottable value: a field Fastly sends, or one the plugin derives from them.
// The JSON form is what the /metrics resource route returns to the editor.
type Metric struct {
	Name        string `json:"name"`
	Label       string `json:"label"`       // short human label, e.g. "Hit ratio", "Requests", "Status 5xx"
	Unit        string `json:"unit"`        // Grafana unit id of the value the plugin emits
	Category    string `json:"category"`    // human-readable group for the editor's picker
	Description string `json:"description"` // one line in the project's own words
	Kinds       []Kind `json:"kinds"`       // where it can be queried

	// Float is set when Fastly sends a fractional number (ratios, *_time seconds): decode it
	// as float64, never int64.
	Float bool `json:"-"`
	// Ratio marks a 0..1 ratio: a bucket with no traffic is null, never 0.
	Ratio bool `json:"-"`
	// Percentile > 0 means the value is this quantile (0.5, 0.95, 0.99) of a latency
	// histogram (real-time miss_histogram, or Origin Inspector latency_* buckets).
	Percentile float64 `json:"-"`
	// RealtimeScale multiplies real-time values to reach Unit: 1e-9 for *_sub_time, which
	// real-time sends in nanoseconds while historical sends seconds. 0 or 1 means as is.
	RealtimeScale float64 `json:"-"`
	// Hidden marks a raw input that only feeds derived metrics (miss_histogram): it is
	// decoded but never offered to users, and Resolve refuses it.
	Hidden bool `json:"-"`
	// Histogram marks a distribution rather than one value per bucket: the counts of its
	// formula's Numerator fields (latency buckets, ascending), drawn as heatmap rows with a
	// field per bucket. It is read from history only, and a POP map, one value per POP, has
	// no place for it.
	Histogram bool `json:"histogram,omitempty"`

	native      kindSet           // kinds in which Fastly sends a field of this name
	formulas    map[Kind]*Formula // kinds in which the plugin computes it
	requestLike bool              // its per-second rate reads as requests per second
	// described holds the description in each of Kinds: the same field counts other traffic
	// in each product (wording.go). Description is the one of the first kind.
	described map[Kind]string
}

// Formula describes a metric the plugin computes from Fastly fields of one kind.
type Formula struct {
	Numerator   []string // fields summed
	Denominator []string // fields summed; empty means the result is a rate: divided by the bucket length in seconds
	Scale       float64  // multiplies the result (8 turns bytes into bits); 0 means 1
	// Total marks a plain sum per bucket (real-time bandwidth): with no Denominator, do not
	// divide by the bucket length. Real-time buckets are one second, so either reading gives
	// the same number there; the flag keeps the value in bytes if buckets are ever merged.
	Total bool
	// Quantile > 0 replaces the sum: Numerator then lists the histogram the quantile is
	// taken from (the real-time miss_histogram map, or the Origin Inspector latency_*
	// bucket fields in ascending order, see LatencyBuckets) and the result is milliseconds.
	Quantile float64
	// Floors lists, for each every-source field the formula reads, the single-source fields
	// it includes (all_status_5xx: status_5xx and compute_resp_status_5xx): the field counts
	// at least their sum. Fastly leaves an all_* field out of a record where it is 0, and out
	// of every record of answers from before it had all_* fields (docs/fastly-api.md,
	// "Compute services"); the single-source fields then tell what is known.
	Floors map[string][]string
}

// Inputs lists every field f reads: its numerator, its denominator, then the single-source
// fields of its floors, once each.
func (f *Formula) Inputs() []string {
	var out []string
	seen := map[string]bool{}
	add := func(fs []string) {
		for _, n := range fs {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	add(f.Numerator)
	add(f.Denominator)
	for _, n := range append(append([]string(nil), f.Numerator...), f.Denominator...) {
		add(f.Floors[n])
	}
	return out
}

// Sums adds up f's numerator and denominator for one bucket, reading each field's value
// through get (0 for a field the bucket lacks), each every-source field at least the sum of
// its single-source fields.
func (f *Formula) Sums(get func(field string) float64) (num, den float64) {
	return f.side(f.Numerator, get), f.side(f.Denominator, get)
}

func (f *Formula) side(fields []string, get func(string) float64) float64 {
	var s float64
	for _, n := range fields {
		s += atLeastParts(get(n), f.Floors[n], get)
	}
	return s
}

// atLeastParts is v, or the sum of parts when that is larger.
func atLeastParts(v float64, parts []string, get func(string) float64) float64 {
	var p float64
	for _, n := range parts {
		p += get(n)
	}
	return max(v, p)
}

// FormulaFor returns how to compute m for kind k, or nil when Fastly sends a field of that
// name for k (decode it directly). It also returns nil when m does not exist for k.
func (m Metric) FormulaFor(k Kind) *Formula {
	f, ok := m.formulas[k]
	if !ok {
		return nil
	}
	c := *f
	c.Numerator = append([]string(nil), f.Numerator...)
	c.Denominator = append([]string(nil), f.Denominator...)
	if f.Floors != nil {
		c.Floors = make(map[string][]string, len(f.Floors))
		for k, v := range f.Floors {
			c.Floors[k] = append([]string(nil), v...)
		}
	}
	return &c
}

// Has reports whether m can be queried with kind k.
func (m Metric) Has(k Kind) bool {
	for _, have := range m.Kinds {
		if have == k {
			return true
		}
	}
	return false
}

// IsCount reports whether m is a plain counter (summable, absent bucket = 0). Summed totals
// of time (hits_time, compute_execution_time_ms) count too: they add up across buckets and
// services just like requests do. Ratios, percentiles, computed rates and hidden inputs do not.
func (m Metric) IsCount() bool {
	if m.Ratio || m.Percentile > 0 || m.Hidden || m.Histogram || m.Unit == UnitBitsPerSec {
		return false
	}
	for _, f := range m.formulas {
		if len(f.Denominator) > 0 || f.Quantile > 0 {
			return false
		}
	}
	return true
}

// NullWhenIdle reports whether a bucket without traffic must be null rather than 0: a ratio
// or a latency percentile of nothing is undefined, not zero.
func (m Metric) NullWhenIdle() bool { return m.Ratio || m.Percentile > 0 }

// RateUnit is the Grafana unit of the per-second rate of m: bytes -> "Bps", bits -> "bps",
// request-like counts -> "reqps", other counts -> "cps"; ratios, percentiles and times keep
// their unit (a rate of seconds per second is not worth a unit of its own).
func RateUnit(m Metric) string {
	if m.Ratio || m.Percentile > 0 {
		return m.Unit
	}
	switch m.Unit {
	case UnitBytes:
		return "Bps"
	case UnitShort:
		if m.requestLike {
			return "reqps"
		}
		return "cps"
	}
	return m.Unit
}

// RecordKeys are the keys of a historical stats record that identify it rather than measure
// anything. Decoders skip them; they are not metrics.
var RecordKeys = []string{"service_id", "start_time"}

// IsRecordKey reports whether name is one of RecordKeys.
func IsRecordKey(name string) bool {
	for _, k := range RecordKeys {
		if k == name {
			return true
		}
	}
	return false
}

// Lookup finds a metric by its exact name. Hidden inputs such as miss_histogram are found
// too (decoders need their flags); check Metric.Hidden before offering one to a user.
func Lookup(name string) (Metric, bool) {
	m, ok := byName[name]
	if !ok {
		return Metric{}, false
	}
	return m.clone(), true
}

// All returns every user-facing metric in a stable order: by category, then name.
func All() []Metric {
	out := make([]Metric, 0, len(ordered))
	for _, m := range ordered {
		out = append(out, m.clone())
	}
	return out
}

// ForKind returns the user-facing metrics usable with kind k, in the order of All, each
// described as the traffic it counts in k (an origin's responses in Origin Inspector).
func ForKind(k Kind) []Metric {
	var out []Metric
	for _, m := range ordered {
		if m.Has(k) {
			c := m.clone()
			c.Description = m.described[k]
			out = append(out, c)
		}
	}
	return out
}

// Fields returns the raw Fastly field names a query of kind k must fetch to produce the
// named metrics (deduplicated, in order of first use). Names that are unknown or not
// available for k are skipped: call Resolve first to report them.
func Fields(names []string, k Kind) []string {
	seen := map[string]bool{}
	var out []string
	add := func(fs []string) {
		for _, f := range fs {
			if !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	for _, n := range names {
		m, ok := byName[strings.TrimSpace(n)]
		if !ok || !m.Has(k) {
			continue
		}
		if f, ok := m.formulas[k]; ok {
			add(f.Inputs())
			continue
		}
		add([]string{m.Name})
	}
	return out
}

// clone copies m so callers cannot change the catalog through shared slices.
func (m Metric) clone() Metric {
	m.Kinds = append([]Kind(nil), m.Kinds...)
	return m
}

// byName holds every metric, hidden ones included; ordered holds the user-facing ones in
// All's order. Both are built once at start-up from the tables.
var (
	byName  map[string]Metric
	ordered []Metric
)

func init() {
	byName = map[string]Metric{}
	for _, f := range rawFields {
		byName[f.name] = fromRaw(f)
	}
	for _, d := range derived {
		byName[d.Name] = d.merge(byName[d.Name])
	}
	for _, m := range byName {
		for k, f := range m.formulas {
			f.Floors = floorsFor(k, f)
		}
	}
	labelSources()
	for name, m := range byName {
		in := m.native
		for k := range m.formulas {
			in |= kindBit(k)
		}
		m.Kinds = in.kinds()
		m.requestLike = isRequestLike(name)
		m.described = make(map[Kind]string, len(m.Kinds))
		for _, k := range m.Kinds {
			m.described[k] = describe(m, k)
		}
		m.Description = m.described[m.Kinds[0]]
		byName[name] = m
		if !m.Hidden {
			ordered = append(ordered, m)
		}
	}
	sort.Slice(ordered, func(i, j int) bool {
		if ordered[i].Category != ordered[j].Category {
			return ordered[i].Category < ordered[j].Category
		}
		return ordered[i].Name < ordered[j].Name
	})
}

// labelSources labels every metric, so the picker's plain words (Requests, Hits, Status 5xx)
// name what counts every source, and a field counting VCL delivery only says so: "Requests
// (VCL)" beside "Requests".
func labelSources() {
	for name, m := range byName {
		if m.Label == "" {
			m.Label = label(name)
			byName[name] = m
		}
	}
	for name, m := range byName {
		twin, ok := everySourceTwin(name)
		if !ok {
			continue
		}
		all := byName[twin]
		if all.Label == label(twin) { // generated ("All status 5xx"): take the plain words
			all.Label = m.Label
			byName[twin] = all
		}
		m.Label += " (VCL)"
		byName[name] = m
	}
}

// twinNames maps the VCL-only fields whose every-source twin is not simply all_ + the name.
var twinNames = map[string]string{
	"hits": "all_hit_requests", "miss": "all_miss_requests", "pass": "all_pass_requests",
	"errors": "all_error_requests", "synth": "all_synth_requests",
}

// everySourceTwin names the metric counting every source beside name, which counts VCL
// delivery only (docs/fastly-api.md, "Compute services").
func everySourceTwin(name string) (string, bool) {
	twin, ok := twinNames[name]
	if !ok {
		twin = "all_" + name
	}
	_, exists := byName[twin]
	return twin, exists && twin != name
}

// fromRaw turns a table row into a Metric, translating Fastly's unit into Grafana's.
func fromRaw(f rawField) Metric {
	m := Metric{Name: f.name, Category: f.category, Float: f.float, native: f.in}
	switch f.unit {
	case uCount:
		m.Unit = UnitShort
	case uBytes:
		m.Unit = UnitBytes
	case uSeconds:
		m.Unit = UnitSeconds
	case uSecondsRTNanos:
		m.Unit = UnitSeconds
		m.RealtimeScale = 1e-9
	case uMillis:
		m.Unit = UnitMillis
	case uRatio:
		m.Unit = UnitPercentUnit
		m.Ratio = true
	case uHistogram:
		m.Unit = UnitShort
		m.Hidden = true
	}
	return m
}
