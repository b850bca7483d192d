//go:build unix

package plugin

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	kpgzip "github.com/klauspost/compress/gzip"
	"google.golang.org/protobuf/proto"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
)

// gzipReplay stands in for api.fastly.com with gzipped answers: the first time a URL is asked
// it takes the simulator's answer and compresses it, as Fastly's edge does; afterwards it
// replays the stored bytes, so the benchmark times the plugin, not the simulator.
type gzipReplay struct {
	sim    *fastlysim.Server
	mu     sync.Mutex
	gz     map[string][]byte
	raw    map[string][]byte
	header map[string]http.Header // the simulator's headers (Link, for paging)
}

func (g *gzipReplay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path + "?" + r.URL.RawQuery
	g.mu.Lock()
	body, ok := g.gz[key]
	header := g.header[key]
	g.mu.Unlock()
	if !ok {
		rec := httptest.NewRecorder()
		g.sim.ServeHTTP(rec, r)
		var buf bytes.Buffer
		zw := stdgzip.NewWriter(&buf)
		_, _ = zw.Write(rec.Body.Bytes())
		_ = zw.Close()
		body = buf.Bytes()
		header = rec.Header()
		g.mu.Lock()
		g.gz[key], g.raw[key], g.header[key] = body, rec.Body.Bytes(), header
		g.mu.Unlock()
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Encoding", "gzip")
	_, _ = w.Write(body)
}

// statsBodies lists what the replay holds for /stats paths: gzipped and plain, same order.
func (g *gzipReplay) statsBodies() (urls []string, gz, raw [][]byte) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for k, b := range g.gz {
		if strings.HasPrefix(k, "/stats/") {
			urls = append(urls, k)
			gz = append(gz, b)
			raw = append(raw, g.raw[k])
		}
	}
	return urls, gz, raw
}

// monthMinutePanel is the 30-day minute panel of issue 13: requests and hit ratio for one service.
func monthMinutePanel(b *testing.B) backend.DataQuery {
	raw, err := json.Marshal(map[string]any{
		"queryType": "stats", "services": []string{fastlysim.ShopServiceID},
		"metrics": []string{"requests", "hit_ratio"}, "resolution": "minute",
	})
	if err != nil {
		b.Fatal(err)
	}
	return backend.DataQuery{RefID: "A", QueryType: "stats", JSON: raw, MaxDataPoints: 50000, Interval: time.Minute,
		TimeRange: backend.TimeRange{From: simNow.Add(-30 * 24 * time.Hour), To: simNow}}
}

func encodeAnswer(b *testing.B, resp *backend.QueryDataResponse) int {
	pb, err := backend.ToProto().QueryDataResponse(backend.DataFrameFormat_ARROW, resp)
	if err != nil {
		b.Fatal(err)
	}
	out, err := proto.Marshal(pb)
	if err != nil {
		b.Fatal(err)
	}
	return len(out)
}

func inflateAll(b *testing.B, gz [][]byte, open func(io.Reader) (io.Reader, error)) {
	for _, body := range gz {
		zr, err := open(bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
}

// cpuTime is the process's CPU time so far (every thread): on a machine shared with other
// work, CPU time per operation is steadier than wall time.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs op as a benchmark body and reports its CPU time per operation besides wall time.
func loop(b *testing.B, op func()) {
	b.ReportAllocs()
	start := cpuTime(b)
	n := 0
	for b.Loop() {
		op()
		n++
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(n), "cpu-ns/op")
}

func sum(bodies [][]byte) int64 {
	n := 0
	for _, b := range bodies {
		n += len(b)
	}
	return int64(n)
}

// BenchmarkTimeToPanel follows a 30-day minute panel (requests and hit ratio of one service:
// 43,200 buckets of three fields, asked a day and a field at a time) from gzipped HTTP bytes to
// the encoded QueryData answer, stage by stage, and whole (cold cache each time).
func BenchmarkTimeToPanel(b *testing.B) {
	replay := &gzipReplay{sim: fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }}), gz: map[string][]byte{}, raw: map[string][]byte{}, header: map[string]http.Header{}}
	srv := httptest.NewServer(replay)
	b.Cleanup(srv.Close)
	ds := newTestDatasource(b, srv.URL, simToken)
	q := monthMinutePanel(b)
	ask := func() *backend.QueryDataResponse {
		ds.client.ForgetStats()
		resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
		if err != nil || resp.Responses["A"].Error != nil {
			b.Fatal(err, resp.Responses["A"].Error)
		}
		return resp
	}
	answer := ask() // fills the replay
	urls, gz, raw := replay.statsBodies()
	b.Logf("%d calls, %d gzipped bytes, %d plain bytes, %d rows, %d encoded bytes", len(urls), sum(gz), sum(raw), answer.Responses["A"].Frames[0].Rows(), encodeAnswer(b, answer))

	plain := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	b.Run("1_read", func(b *testing.B) {
		b.SetBytes(sum(gz))
		loop(b, func() {
			for _, u := range urls {
				resp, err := plain.Get(srv.URL + u)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	})
	b.Run("2_inflate_stdlib", func(b *testing.B) {
		b.SetBytes(sum(raw))
		loop(b, func() {
			inflateAll(b, gz, func(r io.Reader) (io.Reader, error) { return stdgzip.NewReader(r) })
		})
	})
	b.Run("2_inflate_klauspost", func(b *testing.B) {
		b.SetBytes(sum(raw))
		loop(b, func() {
			inflateAll(b, gz, func(r io.Reader) (io.Reader, error) { return kpgzip.NewReader(r) })
		})
	})
	b.Run("3_decode", func(b *testing.B) {
		b.SetBytes(sum(raw))
		loop(b, func() {
			for i, body := range raw {
				field := urls[i][strings.LastIndex(urls[i], "/")+1 : strings.Index(urls[i], "?")]
				if _, err := fastly.DecodeStats(body, fieldSpecs([]string{field})); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	metrics, err := catalog.Resolve([]string{"requests", "hit_ratio"}, catalog.KindHistorical)
	if err != nil {
		b.Fatal(err)
	}
	specs := fieldSpecs(catalog.Fields([]string{"requests", "hit_ratio"}, catalog.KindHistorical))
	from := q.TimeRange.From.Truncate(time.Minute)
	payload, err := ds.client.Stats(context.Background(), fastly.StatsQuery{ServiceID: fastlysim.ShopServiceID, Fields: specs, From: from, To: simNow, By: "minute", Now: simNow})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("4_frame", func(b *testing.B) {
		loop(b, func() {
			if _, err := frames.StatsFrames(payload, frames.StatsRequest{Metrics: metrics, Fields: specs, From: from, To: simNow, Step: 60, Now: simNow, ByService: true}); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("5_encode", func(b *testing.B) {
		loop(b, func() {
			encodeAnswer(b, answer)
		})
	})
	b.Run("all", func(b *testing.B) {
		loop(b, func() {
			encodeAnswer(b, ask())
		})
	})
}
