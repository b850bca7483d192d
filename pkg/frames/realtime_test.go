package frames

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

func rtMetrics(t *testing.T, names ...string) ([]catalog.Metric, *fastly.RealtimeFields) {
	t.Helper()
	ms, err := catalog.Resolve(names, catalog.KindRealtime)
	require.NoError(t, err)
	return ms, fastly.NewRealtimeFields(catalog.Fields(names, catalog.KindRealtime))
}

// stats builds measurements from name -> value, plus an optional histogram.
func stats(f *fastly.RealtimeFields, vals map[string]float64, hist ...fastly.HistogramBin) fastly.RealtimeStats {
	st := fastly.RealtimeStats{Values: make([]float64, f.Len()), MissHistogram: hist}
	for k, v := range vals {
		if i, ok := f.Index(k); ok {
			st.Values[i] = v
		}
	}
	return st
}

func ptr(v float64) *float64 { return &v }

// column returns the values of the field named name.
func column(t *testing.T, fr *data.Frame, name string) []*float64 {
	t.Helper()
	for _, f := range fr.Fields {
		if f.Name == name {
			out := make([]*float64, f.Len())
			for i := range out {
				out[i] = f.At(i).(*float64)
			}
			return out
		}
	}
	require.FailNow(t, "no field "+name)
	return nil
}

func field(fr *data.Frame, name string) *data.Field {
	for _, f := range fr.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func TestRealtimeFrameAggregate(t *testing.T) {
	ms, f := rtMetrics(t, "requests", "hit_ratio", "error_ratio", "bandwidth", "bandwidth_bps", "miss_sub_time", "miss_latency_p50")
	secs := []fastly.RealtimeSecond{
		{Recorded: 100, Aggregated: stats(f, map[string]float64{"requests": 10, "hits": 6, "miss": 2, "status_5xx": 1,
			"resp_header_bytes": 100, "resp_body_bytes": 900, "bereq_header_bytes": 50, "miss_sub_time": 2.5e9},
			fastly.HistogramBin{UpperMs: 10, Count: 4})},
		// 101 had no traffic: Fastly left it out.
		{Recorded: 102, Aggregated: stats(f, map[string]float64{"requests": 4, "status_5xx": 4})},
	}
	fr, grew := NewRealtimeBuilder(RealtimeRequest{Metrics: ms, ServiceID: "S1", ServiceName: "shop"}).
		Frame([]RealtimeSpan{{From: 99, To: 102, Seconds: secs, Fields: f}})
	assert.False(t, grew)
	assert.Equal(t, data.FrameTypeTimeSeriesWide, fr.Meta.Type)
	require.Equal(t, 4, fr.Rows(), "one row per second, idle ones too")
	assert.Equal(t, time.Unix(99, 0).UTC(), fr.Fields[0].At(0))
	assert.Equal(t, []*float64{ptr(0), ptr(10), ptr(0), ptr(4)}, column(t, fr, "requests"), "idle seconds are zero, not holes")
	assert.Equal(t, []*float64{nil, ptr(0.75), nil, nil}, column(t, fr, "hit_ratio"), "a ratio without traffic is null")
	assert.Equal(t, []*float64{nil, ptr(0.1), nil, ptr(1)}, column(t, fr, "error_ratio"))
	assert.Equal(t, []*float64{ptr(0), ptr(1050), ptr(0), ptr(0)}, column(t, fr, "bandwidth"))
	assert.Equal(t, []*float64{ptr(0), ptr(8400), ptr(0), ptr(0)}, column(t, fr, "bandwidth_bps"))
	assert.Equal(t, []*float64{ptr(0), ptr(2.5), ptr(0), ptr(0)}, column(t, fr, "miss_sub_time"), "real-time sends nanoseconds")
	assert.Equal(t, []*float64{nil, ptr(9.5), nil, nil}, column(t, fr, "miss_latency_p50"), "median of 4 fetches in the 9-10 ms bucket")

	units := map[string]string{}
	for _, fl := range fr.Fields[1:] {
		units[fl.Name] = fl.Config.Unit
	}
	assert.Equal(t, map[string]string{"requests": "reqps", "hit_ratio": "percentunit", "error_ratio": "percentunit",
		"bandwidth": "Bps", "bandwidth_bps": "bps", "miss_sub_time": "s", "miss_latency_p50": "ms"}, units)
	req := field(fr, "requests")
	assert.Equal(t, data.Labels{"metric": "requests", "service": "S1", "service_name": "shop"}, req.Labels)
	assert.Equal(t, "shop Requests (VCL)", req.Config.DisplayNameFromDS)
}

func TestRealtimeFramePOPs(t *testing.T) {
	ms, f := rtMetrics(t, "requests", "hit_ratio")
	secs := []fastly.RealtimeSecond{
		{Recorded: 10, POPs: []fastly.POPStats{
			{POP: "AMS", RealtimeStats: stats(f, map[string]float64{"requests": 5, "hits": 1, "miss": 1})},
			{POP: "LHR", RealtimeStats: stats(f, map[string]float64{"requests": 7, "hits": 3, "miss": 1})},
		}},
		{Recorded: 11, POPs: []fastly.POPStats{
			{POP: "FRA", RealtimeStats: stats(f, map[string]float64{"requests": 2, "hits": 2})},
		}},
	}
	span := []RealtimeSpan{{From: 10, To: 11, Seconds: secs, Fields: f}}

	t.Run("chosen POPs, one series each", func(t *testing.T) {
		fr, grew := NewRealtimeBuilder(RealtimeRequest{Metrics: ms, ServiceID: "S1", POPs: []string{"LHR", "FRA"}, ByPOP: true}).Frame(span)
		assert.False(t, grew, "the series are the chosen POPs from the start")
		assert.Equal(t, []*float64{ptr(7), ptr(0)}, column(t, fr, "requests LHR"), "a POP absent in a second is zero")
		assert.Equal(t, []*float64{ptr(0), ptr(2)}, column(t, fr, "requests FRA"))
		assert.Equal(t, []*float64{ptr(0.75), nil}, column(t, fr, "hit_ratio LHR"))
		assert.Nil(t, field(fr, "requests AMS"))
		assert.Equal(t, "LHR", field(fr, "requests LHR").Labels["pop"])
	})
	t.Run("chosen POPs summed", func(t *testing.T) {
		fr, _ := NewRealtimeBuilder(RealtimeRequest{Metrics: ms, ServiceID: "S1", POPs: []string{"LHR", "AMS"}}).Frame(span)
		assert.Equal(t, []*float64{ptr(12), ptr(0)}, column(t, fr, "requests"))
		assert.Equal(t, []*float64{ptr(4.0 / 6), nil}, column(t, fr, "hit_ratio"), "ratios come from the summed counts")
	})
	t.Run("every POP, discovered", func(t *testing.T) {
		b := NewRealtimeBuilder(RealtimeRequest{Metrics: ms[:1], ServiceID: "S1", ByPOP: true, LegendFormat: "{{pop}} {{label}}"})
		fr, grew := b.Frame(span[:1])
		assert.True(t, grew)
		var names []string
		for _, fl := range fr.Fields[1:] {
			names = append(names, fl.Name)
		}
		assert.Equal(t, []string{"requests AMS", "requests FRA", "requests LHR"}, names, "POPs in code order")
		assert.Equal(t, "FRA Requests (VCL)", field(fr, "requests FRA").Config.DisplayNameFromDS)
		next := []RealtimeSpan{{From: 12, To: 12, Seconds: []fastly.RealtimeSecond{{Recorded: 12, POPs: []fastly.POPStats{{POP: "LHR", RealtimeStats: stats(f, map[string]float64{"requests": 1})}}}}, Fields: f}}
		fr, grew = b.Frame(next)
		assert.False(t, grew, "a known POP keeps the schema")
		assert.Equal(t, []*float64{ptr(0)}, column(t, fr, "requests AMS"), "POPs stay, at zero when idle")
		assert.Equal(t, []*float64{ptr(1)}, column(t, fr, "requests LHR"))
	})
}

func TestRealtimeFrameLostSeconds(t *testing.T) {
	ms, f := rtMetrics(t, "requests")
	secs := []fastly.RealtimeSecond{{Recorded: 500, Aggregated: stats(f, map[string]float64{"requests": 3})}}
	fr, _ := NewRealtimeBuilder(RealtimeRequest{Metrics: ms}).Frame([]RealtimeSpan{{From: 500, To: 501, LostFrom: 300, LostTo: 499, Seconds: secs, Fields: f}})
	require.Equal(t, 4, fr.Rows())
	assert.Equal(t, []*float64{nil, nil, ptr(3), ptr(0)}, column(t, fr, "requests"), "the lost stretch is null at both ends, never filled")
	assert.Equal(t, time.Unix(300, 0).UTC(), fr.Fields[0].At(0))
	assert.Equal(t, time.Unix(499, 0).UTC(), fr.Fields[0].At(1))
}

func TestRealtimeFrameNoSpans(t *testing.T) {
	ms, _ := rtMetrics(t, "requests", "hit_ratio")
	fr, _ := NewRealtimeBuilder(RealtimeRequest{Metrics: ms}).Frame(nil)
	assert.Equal(t, 0, fr.Rows())
	assert.Len(t, fr.Fields, 3, "the schema is there even without rows")
}
