package fastly

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	gofastly "github.com/fastly/go-fastly/v9/fastly"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// buildRealtimeBody writes a real-time answer of `seconds` seconds with `pops` POPs, each POP
// carrying about 110 of the ~330 real-time fields (a busy VCL service: real-time leaves out
// zero-valued keys) plus a 20-bucket miss_histogram, and an aggregate that sums them.
func buildRealtimeBody(tb testing.TB, pops, seconds int) []byte {
	tb.Helper()
	var names []string
	for _, n := range fastlysim.RealtimeFields() {
		if n != MissHistogramKey {
			names = append(names, n)
		}
	}
	codes := make([]string, 0, pops)
	for _, p := range fastlysim.POPs() {
		if len(codes) < pops {
			codes = append(codes, p.Code)
		}
	}
	for i := 0; len(codes) < pops; i++ {
		codes = append(codes, fmt.Sprintf("Z%02d", i))
	}
	value := func(name string, pop, sec int) string {
		h := uint64(pop*7919+sec*104729+len(name)*31) ^ uint64(name[0])<<8 ^ uint64(name[len(name)-1])<<16
		h ^= h >> 13
		h *= 0x9e3779b97f4a7c15
		switch {
		case strings.HasSuffix(name, "_time") && !strings.HasSuffix(name, "_sub_time"):
			return strconv.FormatFloat(float64(h%100000)/1e6, 'f', -1, 64)
		case strings.Contains(name, "bytes"):
			return strconv.FormatUint(h%50_000_000, 10)
		}
		return strconv.FormatUint(h%5000, 10)
	}
	var b bytes.Buffer
	b.WriteString(`{"Timestamp":1732579300,"AggregateDelay":9,"Data":[`)
	for s := range seconds {
		if s > 0 {
			b.WriteByte(',')
		}
		agg := map[string]float64{}
		fmt.Fprintf(&b, `{"recorded":%d,"datacenter":{`, 1732579300-seconds+s+1)
		for p, code := range codes {
			if p > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `%q:{`, code)
			first := true
			for i, n := range names {
				if (i*13+p*7+s)%3 != 0 && n != "requests" && n != "hits" && n != "miss" && n != "status_5xx" {
					continue
				}
				v := value(n, p, s)
				if !first {
					b.WriteByte(',')
				}
				first = false
				fmt.Fprintf(&b, `%q:%s`, n, v)
				x, _ := strconv.ParseFloat(v, 64)
				agg[n] += x
			}
			b.WriteString(`,"miss_histogram":{`)
			for k := range 20 {
				if k > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `"%d":%d`, (k+1)*10, (k*p+s)%17+1)
			}
			b.WriteString("}}")
		}
		b.WriteString(`},"aggregated":{`)
		keys := make([]string, 0, len(agg))
		for k := range agg {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `%q:%s`, k, strconv.FormatFloat(agg[k], 'f', -1, 64))
		}
		b.WriteString("}}")
	}
	b.WriteString("]}")
	return b.Bytes()
}

// rtCPU is the CPU time this process has used. The machine is shared, so benchmarks report
// CPU per operation beside wall time, which mostly measures the neighbours.
func rtCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rtLoop runs op b.N times and reports cpu-ns/op.
func rtLoop(b *testing.B, op func()) {
	b.Helper()
	n, start := 0, rtCPU()
	for b.Loop() {
		op()
		n++
	}
	b.ReportMetric(float64(rtCPU()-start)/float64(n), "cpu-ns/op")
}

// benchFields is what a typical panel asks for: requests, hit ratio, 5xx ratio, bandwidth and
// miss latency need these.
var benchFields = []string{"requests", "hits", "miss", "status_5xx", "resp_header_bytes", "resp_body_bytes",
	"bereq_header_bytes", "bereq_body_bytes", MissHistogramKey}

// BenchmarkDecodeRealtime decodes one second of 100 POPs keeping a panel's fields.
func BenchmarkDecodeRealtime(b *testing.B) {
	body := buildRealtimeBody(b, 100, 1)
	f := NewRealtimeFields(benchFields)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	rtLoop(b, func() {
		if _, err := DecodeRealtime(body, f); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkDecodeRealtimeWindow decodes the 120 s a query gets at once.
func BenchmarkDecodeRealtimeWindow(b *testing.B) {
	body := buildRealtimeBody(b, 100, 120)
	f := NewRealtimeFields(benchFields)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	rtLoop(b, func() {
		if _, err := DecodeRealtime(body, f); err != nil {
			b.Fatal(err)
		}
	})
}

// rtServer serves body for every request on 127.0.0.1, so the plugin's call and go-fastly's
// typed client can be timed on the same bytes and the same loopback HTTP.
func rtServer(b *testing.B, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkRealtimeCall is the plugin's whole call for one second of 100 POPs: HTTP on
// loopback plus decoding.
func BenchmarkRealtimeCall(b *testing.B) {
	body := buildRealtimeBody(b, 100, 1)
	srv := rtServer(b, body)
	c := NewClient(Config{RealtimeURL: srv.URL, Token: "t"})
	f := NewRealtimeFields(benchFields)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	rtLoop(b, func() {
		if _, err := c.Realtime(context.Background(), RealtimeChannel, "SU1Z0isxPaozGVKXdv0eY", 1, f); err != nil {
			b.Fatal(err)
		}
	})
}

// BenchmarkGoFastlyRealtime is go-fastly's typed path (GetRealtimeStats: encoding/json into
// interface{}, then mapstructure into RealtimeStatsResponse) on the same bytes and HTTP.
func BenchmarkGoFastlyRealtime(b *testing.B) {
	body := buildRealtimeBody(b, 100, 1)
	srv := rtServer(b, body)
	c, err := gofastly.NewRealtimeStatsClientForEndpoint("t", srv.URL)
	require.NoError(b, err)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	rtLoop(b, func() {
		resp, err := c.GetRealtimeStats(&gofastly.GetRealtimeStatsInput{ServiceID: "SU1Z0isxPaozGVKXdv0eY", Timestamp: 1})
		if err != nil || len(resp.Data) != 1 {
			b.Fatal(err)
		}
	})
}

func TestRealtimeBenchBodyIsRealistic(t *testing.T) {
	body := buildRealtimeBody(t, 100, 1)
	r, err := DecodeRealtime(body, NewRealtimeFields(benchFields))
	require.NoError(t, err)
	require.Len(t, r.Seconds, 1)
	require.Len(t, r.Seconds[0].POPs, 100)
	ref := reference(t, body, []string{"requests"})
	require.Equal(t, ref[r.Seconds[0].Recorded]["requests"], r.Seconds[0].Aggregated.Values[0])
	t.Logf("one second of 100 POPs: %d KiB", len(body)/1024)
}
