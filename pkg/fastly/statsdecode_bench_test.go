//go:build unix

package fastly

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	gofastly "github.com/fastly/go-fastly/v9/fastly"
)

// benchRecords is 30 days of minute buckets: the largest range the plugin asks for at minute
// resolution (Fastly keeps minutely data for 35 days).
const benchRecords = 30 * 24 * 60

const benchServiceID = "SU1Z0isxPaozGVKXdv0eY"

// templateField is one key of the real aggregate record, in the order Fastly sent it.
type templateField struct {
	name  string
	value json.Number
	float bool
}

// loadTemplate reads the 153-field record of a real /stats/aggregate response.
func loadTemplate(tb testing.TB) []templateField {
	tb.Helper()
	raw, err := os.ReadFile("testdata/historical_stats_aggregate_by_minute.json")
	if err != nil {
		tb.Fatal(err)
	}
	var env struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || len(env.Data) != 1 {
		tb.Fatalf("template: %v (%d records)", err, len(env.Data))
	}
	dec := json.NewDecoder(bytes.NewReader(env.Data[0]))
	dec.UseNumber()
	var fields []templateField
	for tok, err := dec.Token(); err == nil; tok, err = dec.Token() {
		name, ok := tok.(string)
		if !ok {
			continue // the object's own delimiters
		}
		v, err := dec.Token()
		if err != nil {
			tb.Fatal(err)
		}
		n := v.(json.Number)
		fields = append(fields, templateField{name: name, value: n, float: bytes.ContainsAny([]byte(n), ".eE")})
	}
	return fields
}

// mix is a deterministic per-(record, field) hash, so the body is the same on every run.
func mix(r, f int) uint64 {
	x := uint64(r)*0x9E3779B97F4A7C15 ^ uint64(f)*0xC2B2AE3D27D4EB4F
	x ^= x >> 29
	x *= 0xBF58476D1CE4E5B9
	return x ^ x>>32
}

// buildStatsBody renders a /stats/service/{id} response of n minute records from the template:
// traffic follows a daily curve with per-field jitter, integers stay integers, floats stay
// floats, fields that were 0 are mostly 0, and hit_ratio is hits/(hits+miss) as Fastly computes it.
func buildStatsBody(tb testing.TB, n int) []byte {
	tb.Helper()
	tmpl := loadTemplate(tb)
	var buf bytes.Buffer
	buf.Grow(n * 4096)
	buf.WriteString(`{"data":[`)
	start := int64(1710258360) - int64(n)*60
	vals := make([]string, len(tmpl))
	for r := 0; r < n; r++ {
		day := 0.6 + 0.5*math.Sin(float64(r%1440)/1440*2*math.Pi)
		var hits, miss int64
		for f, fld := range tmpl {
			h := mix(r, f)
			jitter := day * (0.8 + float64(h%400)/1000)
			switch {
			case fld.name == "start_time":
				vals[f] = strconv.FormatInt(start+int64(r)*60, 10)
			case fld.float:
				v, _ := fld.value.Float64()
				vals[f] = strconv.FormatFloat(v*jitter, 'g', 7, 64)
			default:
				v, _ := fld.value.Int64()
				if v == 0 && h%16 == 0 {
					v = int64(h>>8%9) + 1 // rare events: a 5xx, a WAF block
				}
				v = int64(math.Round(float64(v) * jitter))
				vals[f] = strconv.FormatInt(v, 10)
				switch fld.name {
				case "hits":
					hits = v
				case "miss":
					miss = v
				}
			}
		}
		if r > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('{')
		for f, fld := range tmpl {
			if f > 0 {
				buf.WriteByte(',')
				if tmpl[f-1].name < "service_id" && fld.name > "service_id" { // keys are sorted, as Fastly sends them
					buf.WriteString(`"service_id":"` + benchServiceID + `",`)
				}
			}
			v := vals[f]
			if fld.name == "hit_ratio" {
				v = "null"
				if hits+miss > 0 {
					v = strconv.FormatFloat(float64(hits)/float64(hits+miss), 'g', -1, 64)
				}
			}
			buf.WriteString(`"` + fld.name + `":` + v)
		}
		buf.WriteByte('}')
	}
	buf.WriteString(`],"meta":{"to":"2024-03-12 15:54:42 UTC","from":"2024-02-11 15:54:42 UTC","by":"minute","region":"all"},"status":"success","msg":null}`)
	return buf.Bytes()
}

var (
	benchBodyOnce sync.Once
	benchBody     []byte
)

func bigBody(b *testing.B) []byte {
	benchBodyOnce.Do(func() { benchBody = buildStatsBody(b, benchRecords) })
	return benchBody
}

// cpuTime is the CPU this process has used (all threads, so GC counts too). Benchmarks report
// it per op beside wall time, because on a shared 2-core machine wall time mostly measures the
// neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds cpu-ns/op and cpu-MB/s (input bytes per CPU second) to a benchmark's output.
func reportCPU(b *testing.B, start time.Duration, n int, size int) {
	per := float64(cpuTime()-start) / float64(n)
	b.ReportMetric(per, "cpu-ns/op")
	b.ReportMetric(float64(size)/per*1e3, "cpu-MB/s")
}

func BenchmarkDecodeStats(b *testing.B) {
	body := bigBody(b)
	cases := []struct {
		name  string
		specs []FieldSpec
	}{
		{"1_metric", []FieldSpec{{Name: "requests"}}},
		{"5_metrics", []FieldSpec{{Name: "requests"}, {Name: "hits"}, {Name: "miss"}, {Name: "status_5xx"}, {Name: "bandwidth"}}},
		{"5_metrics_with_floats", []FieldSpec{{Name: "requests"}, {Name: "hit_ratio", Float: true, Ratio: true}, {Name: "hits_time", Float: true}, {Name: "miss_time", Float: true}, {Name: "bandwidth"}}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			n, start := 0, cpuTime()
			for b.Loop() {
				p, err := DecodeStats(body, c.specs)
				if err != nil {
					b.Fatal(err)
				}
				if got := len(p.Services[0].StartTimes); got != benchRecords {
					b.Fatalf("decoded %d records, want %d", got, benchRecords)
				}
				n++
			}
			reportCPU(b, start, n, len(body))
		})
	}
}

// memoryTransport answers every request with the same body, so go-fastly's whole GetStats path
// (request building, HTTP client, JSON into interface{}, mapstructure) runs without a network.
type memoryTransport struct{ body []byte }

func (t memoryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(t.body)),
		Request:    req,
	}, nil
}

func BenchmarkGoFastlyGetStats(b *testing.B) {
	body := bigBody(b)
	client, err := gofastly.NewClientForEndpoint("token", "https://api.fastly.com")
	if err != nil {
		b.Fatal(err)
	}
	client.HTTPClient = &http.Client{Transport: memoryTransport{body: body}}
	in := &gofastly.GetStatsInput{
		Service: gofastly.ToPointer(benchServiceID),
		By:      gofastly.ToPointer("minute"),
		From:    gofastly.ToPointer("1707666882"),
		To:      gofastly.ToPointer("1710258882"),
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	n, start := 0, cpuTime()
	for b.Loop() {
		resp, err := client.GetStats(in)
		if err != nil {
			b.Fatal(err)
		}
		if len(resp.Data) != benchRecords || resp.Data[0].Requests == nil {
			b.Fatalf("go-fastly decoded %d records", len(resp.Data))
		}
		n++
	}
	reportCPU(b, start, n, len(body))
}

// TestBenchBodyIsRealistic keeps the benchmark honest: the generated body has the real field
// set plus service_id, and our decoder agrees with encoding/json on it.
func TestBenchBodyIsRealistic(t *testing.T) {
	body := buildStatsBody(t, 300)
	var env struct {
		Data []map[string]json.Number `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(bytes.ReplaceAll(body, []byte(`"`+benchServiceID+`"`), []byte("0"))))
	dec.UseNumber()
	if err := dec.Decode(&env); err != nil {
		t.Fatal(err)
	}
	if len(env.Data) != 300 || len(env.Data[0]) != 154 {
		t.Fatalf("got %d records of %d fields, want 300 of 154", len(env.Data), len(env.Data[0]))
	}
	specs := []FieldSpec{{Name: "requests"}, {Name: "status_5xx"}, {Name: "hit_ratio", Float: true, Ratio: true}, {Name: "deliver_sub_time", Float: true}}
	p, err := DecodeStats(body, specs)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Services[0]
	if s.ServiceID != benchServiceID {
		t.Errorf("service id %q", s.ServiceID)
	}
	for r, rec := range env.Data {
		if got, want := fmt.Sprint(s.StartTimes[r]), rec["start_time"].String(); got != want {
			t.Fatalf("record %d start_time: got %s, want %s", r, got, want)
		}
		for k, spec := range specs {
			want := rec[spec.Name].String()
			var got string
			if spec.Float {
				got = strconv.FormatFloat(s.Columns[k].Floats[r], 'g', -1, 64)
				if want == "" { // null hit_ratio: no traffic
					want = "NaN"
				} else {
					f, _ := strconv.ParseFloat(want, 64)
					want = strconv.FormatFloat(f, 'g', -1, 64)
				}
			} else {
				got = fmt.Sprint(s.Columns[k].Ints[r])
			}
			if got != want {
				t.Fatalf("record %d %s: got %s, want %s", r, spec.Name, got, want)
			}
		}
	}
}
