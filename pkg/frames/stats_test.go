package frames

import (
	"flag"
	"math"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func metrics(t *testing.T, names ...string) []catalog.Metric {
	t.Helper()
	ms, err := catalog.Resolve(names, catalog.KindHistorical)
	require.NoError(t, err)
	return ms
}

func specs(names ...string) []fastly.FieldSpec {
	out := make([]fastly.FieldSpec, len(names))
	for i, n := range names {
		m, _ := catalog.Lookup(n)
		out[i] = fastly.FieldSpec{Name: n, Float: m.Float, Ratio: m.Ratio}
	}
	return out
}

func decodeFixture(t *testing.T, name string, fields []fastly.FieldSpec) *fastly.StatsPayload {
	t.Helper()
	body, err := os.ReadFile("../fastly/testdata/" + name)
	require.NoError(t, err)
	p, err := fastly.DecodeStats(body, fields)
	require.NoError(t, err)
	return p
}

// floatAt reads a value of either numeric field type, with ok=false for null.
func floatAt(f *data.Field, i int) (float64, bool) {
	v, ok := f.ConcreteAt(i)
	if !ok {
		return 0, false
	}
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return math.NaN(), true
}

func TestAggregateMinuteFixture(t *testing.T) {
	ms := metrics(t, "requests", "hit_ratio", "deliver_sub_time", "bandwidth_bps")
	fields := specs(catalog.Fields([]string{"requests", "hit_ratio", "deliver_sub_time", "bandwidth_bps"}, catalog.KindHistorical)...)
	p := decodeFixture(t, "historical_stats_aggregate_by_minute.json", fields)
	from := time.Date(2024, 3, 12, 15, 40, 0, 0, time.UTC)
	to := time.Date(2024, 3, 12, 15, 54, 42, 0, time.UTC)
	frames, err := StatsFrames(p, StatsRequest{Metrics: ms, Fields: fields, From: from, To: to, Step: 60, Now: to.Add(time.Hour)})
	require.NoError(t, err)
	require.Len(t, frames, 4)

	requests := frames[0].Fields[1]
	require.Equal(t, 15, requests.Len())
	assert.Equal(t, "short", requests.Config.Unit)
	assert.Equal(t, "Requests (VCL)", requests.Config.DisplayNameFromDS)
	v, ok := floatAt(requests, 6) // 15:46, the one bucket Fastly returned
	require.True(t, ok)
	assert.Equal(t, 234.0, v)
	v, ok = floatAt(requests, 0)
	require.True(t, ok, "an absent, settled count bucket is zero, not null")
	assert.Equal(t, 0.0, v)

	hitRatio := frames[1].Fields[1]
	assert.Equal(t, "percentunit", hitRatio.Config.Unit)
	v, _ = floatAt(hitRatio, 6)
	assert.InDelta(t, 0.9957264957264957, v, 1e-15, "same as the hit_ratio Fastly computed")
	_, ok = floatAt(hitRatio, 0)
	assert.False(t, ok, "a ratio with no traffic is null")

	subTime, _ := floatAt(frames[2].Fields[1], 6)
	assert.Equal(t, 0.003453427, subTime)
	bps, _ := floatAt(frames[3].Fields[1], 6)
	assert.InDelta(t, 83749.0*8/60, bps, 1e-9)
	assert.Equal(t, "bps", frames[3].Fields[1].Config.Unit)

	assert.Equal(t, data.FrameTypeTimeSeriesMulti, frames[0].Meta.Type)
	assert.Empty(t, frames[0].Meta.Notices, "every bucket is settled an hour later")
	for i, f := range frames {
		experimental.CheckGoldenJSONFrame(t, "testdata", "aggregate_minute_"+ms[i].Name, f, *update)
	}
}

func TestFieldFormDailyBandwidthPerSecond(t *testing.T) {
	ms := metrics(t, "bandwidth")
	fields := specs("bandwidth")
	p := decodeFixture(t, "historical_stats_service_field_bandwidth_by_day.json", fields)
	from := time.Date(2022, 2, 5, 0, 0, 0, 0, time.UTC)
	to := time.Date(2022, 2, 14, 16, 50, 48, 0, time.UTC)
	frames, err := StatsFrames(p, StatsRequest{
		Metrics: ms, Fields: fields, From: from, To: to, Step: 86400, Now: to.Add(time.Minute),
		PerSecond: true, ByService: true, ServiceNames: map[string]string{"kKJb5bOFI47uHeBVluGfX1": "www.example.com"},
	})
	require.NoError(t, err)
	require.Len(t, frames, 1)
	f := frames[0]
	values := f.Fields[1]
	require.Equal(t, 10, values.Len())
	v, _ := floatAt(values, 0)
	assert.InDelta(t, 1845740.0/86400, v, 1e-9)
	assert.Equal(t, "Bps", values.Config.Unit)
	assert.Equal(t, data.Labels{"metric": "bandwidth", "service": "kKJb5bOFI47uHeBVluGfX1", "service_name": "www.example.com"}, values.Labels)
	assert.Equal(t, "www.example.com Bandwidth", values.Config.DisplayNameFromDS)
	require.Len(t, f.Meta.Notices, 1, "today's bucket is still being filled")
	assert.Contains(t, f.Meta.Notices[0].Text, "Fastly may still be adding to buckets after 2022-02-1")
	v, _ = floatAt(values, 9)
	assert.InDelta(t, 77255.0/86400, v, 1e-9, "a present, unsettled bucket keeps its value")
	experimental.CheckGoldenJSONFrame(t, "testdata", "field_bandwidth_daily_per_second", f, *update)
}

func TestIdleServiceIsZeroNotEmpty(t *testing.T) {
	ms := metrics(t, "requests", "hit_ratio")
	fields := specs(catalog.Fields([]string{"requests", "hit_ratio"}, catalog.KindHistorical)...)
	p := decodeFixture(t, "historical_stats_service_empty_array.json", fields)
	p.Services[0].ServiceID = "idle"
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	frames, err := StatsFrames(p, StatsRequest{Metrics: ms, Fields: fields, From: from, To: from.Add(time.Hour), Step: 60, Now: from.Add(2 * time.Hour), ByService: true})
	require.NoError(t, err)
	require.Len(t, frames, 2)
	for i := 0; i < 60; i++ {
		v, ok := floatAt(frames[0].Fields[1], i)
		require.True(t, ok)
		require.Equal(t, 0.0, v)
		_, ok = floatAt(frames[1].Fields[1], i)
		require.False(t, ok)
	}
}

// twoServices is a map-form answer: svcA has two minutes, svcB one of them.
func twoServices() *fastly.StatsPayload {
	return &fastly.StatsPayload{Services: []fastly.ServiceStats{
		{ServiceID: "svcA", StartTimes: []int64{60, 120}, Columns: []fastly.StatsColumn{
			{Ints: []int64{100, 50}}, {Ints: []int64{90, 10}}, {Ints: []int64{10, 30}}, {Floats: []float64{0.5, math.NaN()}},
		}},
		{ServiceID: "svcB", StartTimes: []int64{60}, Columns: []fastly.StatsColumn{
			{Ints: []int64{1 << 60}}, {Ints: []int64{0}}, {Ints: []int64{100}}, {Floats: []float64{0.25}},
		}},
	}}
}

func TestServicesAreAddedUpUnlessGroupedAndRatiosComeFromSums(t *testing.T) {
	fields := []fastly.FieldSpec{{Name: "requests"}, {Name: "hits"}, {Name: "miss"}, {Name: "origin_offload", Float: true, Ratio: true}}
	req := StatsRequest{Metrics: metrics(t, "requests", "hit_ratio"), Fields: fields, From: time.Unix(60, 0), To: time.Unix(240, 0), Step: 60, Now: time.Unix(100000, 0)}
	frames, err := StatsFrames(twoServices(), req)
	require.NoError(t, err)
	require.Len(t, frames, 2)
	total, _ := frames[0].Fields[1].ConcreteAt(0)
	assert.Equal(t, int64(1<<60)+100, total, "integers beyond 2^53 stay exact")
	ratio, _ := floatAt(frames[1].Fields[1], 0)
	assert.InDelta(t, 90.0/(90+110), ratio, 1e-12, "hit ratio of the sum, not the sum of ratios")
	_, ok := floatAt(frames[1].Fields[1], 2)
	assert.False(t, ok, "no traffic in the third minute: null ratio")
	assert.Equal(t, data.Labels{"metric": "requests"}, frames[0].Fields[1].Labels)

	req.ByService = true
	frames, err = StatsFrames(twoServices(), req)
	require.NoError(t, err)
	require.Len(t, frames, 4)
	assert.Equal(t, "svcB", frames[2].Fields[1].Labels["service_name"], "the id stands in for an unknown name")
	b, _ := frames[2].Fields[1].ConcreteAt(1)
	assert.Equal(t, int64(0), b, "svcB's absent second minute is zero")

	req.ByService = false
	req.Metrics = metrics(t, "origin_offload")
	_, err = StatsFrames(twoServices(), req)
	assert.EqualError(t, err, "origin_offload is a ratio Fastly computes per service, so it cannot be added across services: group by service")
}

func TestLegendFormat(t *testing.T) {
	fields := []fastly.FieldSpec{{Name: "requests"}, {Name: "hits"}, {Name: "miss"}, {Name: "origin_offload", Float: true, Ratio: true}}
	frames, err := StatsFrames(twoServices(), StatsRequest{
		Metrics: metrics(t, "requests"), Fields: fields, From: time.Unix(60, 0), To: time.Unix(180, 0), Step: 60, Now: time.Unix(100000, 0),
		ByService: true, ServiceNames: map[string]string{"svcA": "shop"}, LegendFormat: "{{service_name}} / {{ label }} ({{service}})",
	})
	require.NoError(t, err)
	assert.Equal(t, "shop / Requests (VCL) (svcA)", frames[0].Fields[1].Config.DisplayNameFromDS)
}

func TestUnsettledAbsentBucketsAreNullAndNoticed(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 30, 0, time.UTC)
	from := now.Add(-time.Hour).Truncate(time.Minute)
	p := &fastly.StatsPayload{Services: []fastly.ServiceStats{{ServiceID: "svc", StartTimes: []int64{from.Unix()}, Columns: []fastly.StatsColumn{{Ints: []int64{5}}}}}}
	frames, err := StatsFrames(p, StatsRequest{Metrics: metrics(t, "requests"), Fields: []fastly.FieldSpec{{Name: "requests"}}, From: from, To: now, Step: 60, Now: now, ByService: true, PerSecond: true})
	require.NoError(t, err)
	values := frames[0].Fields[1]
	require.Equal(t, 61, values.Len())
	first, _ := floatAt(values, 0)
	assert.InDelta(t, 5.0/60, first, 1e-12)
	_, ok := floatAt(values, 40)
	assert.True(t, ok, "20 minutes ago is settled: zero")
	_, ok = floatAt(values, 50)
	assert.False(t, ok, "10 minutes ago may still arrive: null, not zero")
	require.Len(t, frames[0].Meta.Notices, 1)
	assert.Equal(t, "reqps", values.Config.Unit)
}
