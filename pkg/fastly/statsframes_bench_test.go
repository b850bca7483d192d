//go:build unix

package fastly_test

import (
	"testing"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
)

// BenchmarkStatsToFrames measures what a 30-day minute panel costs the plugin: decoding the
// body and building its frames, as query_stats.go does.
func BenchmarkStatsToFrames(b *testing.B) {
	body := fastly.BigStatsBody(b)
	from := time.Unix(fastly.BenchStartSeconds, 0).UTC()
	to := from.Add(time.Duration(fastly.BenchRecords) * time.Minute)
	for _, c := range []struct {
		name    string
		metrics []string
	}{
		{"1_metric", []string{"requests"}},
		{"5_metrics", []string{"requests", "hit_ratio", "status_5xx", "bandwidth", "error_ratio"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			metrics, err := catalog.Resolve(c.metrics, catalog.KindHistorical)
			if err != nil {
				b.Fatal(err)
			}
			names := catalog.Fields(c.metrics, catalog.KindHistorical)
			specs := make([]fastly.FieldSpec, len(names))
			for i, n := range names {
				m, _ := catalog.Lookup(n)
				specs[i] = fastly.FieldSpec{Name: n, Float: m.Float, Ratio: m.Ratio}
			}
			req := frames.StatsRequest{Metrics: metrics, Fields: specs, From: from, To: to, Step: 60, Now: to.Add(time.Hour), ByService: true}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			n, start := 0, fastly.CPUTime()
			for b.Loop() {
				p, err := fastly.DecodeStats(body, specs)
				if err != nil {
					b.Fatal(err)
				}
				fr, err := frames.StatsFrames(p, req)
				if err != nil {
					b.Fatal(err)
				}
				if len(fr) != len(metrics) || fr[0].Rows() != fastly.BenchRecords {
					b.Fatalf("got %d frames of %d rows", len(fr), fr[0].Rows())
				}
				n++
			}
			fastly.ReportCPU(b, start, n, len(body))
		})
	}
}
