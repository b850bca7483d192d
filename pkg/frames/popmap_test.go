package frames

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// Coordinates as Fastly's /datacenters sends them (pkg/fastlysim/datacenters.json); FRA is left out
// to stand for a POP newer than the cached list.
var testPOPs = []fastly.POP{
	{Code: "AMS", Name: "Amsterdam", Group: "Europe", Latitude: 52.308613, Longitude: 4.763889},
	{Code: "LHR", Name: "London - LHR", Group: "Europe", Latitude: 51.4775, Longitude: -0.461389},
}

func TestPOPMapFromRealtime(t *testing.T) {
	ms, f := rtMetrics(t, "all_requests", "hit_ratio")
	secs := []fastly.RealtimeSecond{
		{Recorded: 10, POPs: []fastly.POPStats{
			{POP: "AMS", RealtimeStats: stats(f, map[string]float64{"requests": 4, "compute_requests": 2, "all_hit_requests": 1, "all_miss_requests": 1})},
			{POP: "LHR", RealtimeStats: stats(f, map[string]float64{"requests": 8, "all_hit_requests": 3, "all_miss_requests": 1})},
		}},
		{Recorded: 11, POPs: []fastly.POPStats{
			{POP: "FRA", RealtimeStats: stats(f, map[string]float64{"compute_requests": 2, "all_hit_requests": 2})},
			{POP: "LHR", RealtimeStats: stats(f, map[string]float64{"requests": 4, "all_hit_requests": 1, "all_miss_requests": 1})},
		}},
	}
	series, _ := NewRealtimeBuilder(RealtimeRequest{Metrics: ms, ServiceID: "S1", ServiceName: "shop", ByPOP: true}).
		Frame([]RealtimeSpan{{From: 10, To: 11, Seconds: secs, Fields: f}})

	fr := POPMap(data.Frames{series}, testPOPs)

	require.Equal(t, 3, fr.Rows(), "one row per POP")
	assert.Equal(t, data.FrameTypeTable, fr.Meta.Type)
	assert.Equal(t, []string{"AMS", "FRA", "LHR"}, stringColumn(fr, "pop"))
	assert.Equal(t, []string{"Amsterdam", "", "London - LHR"}, stringColumn(fr, "pop_name"))
	assert.Equal(t, []*float64{ptr(52.308613), nil, ptr(51.4775)}, column(t, fr, "latitude"), "a POP /datacenters lacks has no place on the map")
	assert.Equal(t, []*float64{ptr(4.763889), nil, ptr(-0.461389)}, column(t, fr, "longitude"))
	assert.Equal(t, []*float64{ptr(3), ptr(1), ptr(6)}, column(t, fr, "all_requests"), "the mean rate of VCL and Compute requests over the window, idle seconds counted as 0")
	assert.Equal(t, []*float64{ptr(0.5), ptr(1), ptr(0.625)}, column(t, fr, "hit_ratio"), "the mean of the seconds that had a ratio")
	assert.Equal(t, "reqps", field(fr, "all_requests").Config.Unit)
	assert.Equal(t, "Hit ratio", field(fr, "hit_ratio").Config.DisplayNameFromDS)
	experimental.CheckGoldenJSONFrame(t, "testdata", "popmap_realtime", fr, *update)
}

func TestPOPMapIgnoresSeriesWithoutAPOP(t *testing.T) {
	ms, f := rtMetrics(t, "requests")
	total, _ := NewRealtimeBuilder(RealtimeRequest{Metrics: ms, ServiceID: "S1"}).
		Frame([]RealtimeSpan{{From: 10, To: 10, Seconds: []fastly.RealtimeSecond{{Recorded: 10, Aggregated: stats(f, map[string]float64{"requests": 1})}}, Fields: f}})
	fr := POPMap(data.Frames{total}, testPOPs)
	assert.Equal(t, 0, fr.Rows())
	assert.Equal(t, []string{"pop", "pop_name", "latitude", "longitude", "service", "service_name"}, fieldNames(fr), "the location columns are there even empty")
}

func TestPOPMapKeepsServicesApart(t *testing.T) {
	ms, f := rtMetrics(t, "requests")
	frame := func(id string, n float64) *data.Frame {
		fr, _ := NewRealtimeBuilder(RealtimeRequest{Metrics: ms, ServiceID: id, ServiceName: id + "-name", ByPOP: true}).
			Frame([]RealtimeSpan{{From: 10, To: 10, Seconds: []fastly.RealtimeSecond{{Recorded: 10, POPs: []fastly.POPStats{
				{POP: "AMS", RealtimeStats: stats(f, map[string]float64{"requests": n})}}}}, Fields: f}})
		return fr
	}
	fr := POPMap(data.Frames{frame("S2", 5), frame("S1", 7)}, testPOPs)
	assert.Equal(t, []string{"S1", "S2"}, stringColumn(fr, "service"))
	assert.Equal(t, []string{"S1-name", "S2-name"}, stringColumn(fr, "service_name"))
	assert.Equal(t, []*float64{ptr(7), ptr(5)}, column(t, fr, "requests"))
}

func TestPOPMapNullWhenNothingIsKnown(t *testing.T) {
	vals := []*float64{nil, nil}
	series := data.NewFrame("", data.NewField("hit_ratio AMS", data.Labels{"pop": "AMS", "metric": "hit_ratio"}, vals))
	fr := POPMap(data.Frames{series}, testPOPs)
	assert.Equal(t, []*float64{nil}, column(t, fr, "hit_ratio"), "no traffic: no ratio, never 0")
}

func stringColumn(fr *data.Frame, name string) []string {
	f := field(fr, name)
	out := make([]string, f.Len())
	for i := range out {
		out[i] = f.At(i).(string)
	}
	return out
}

func fieldNames(fr *data.Frame) []string {
	var out []string
	for _, f := range fr.Fields {
		out = append(out, f.Name)
	}
	return out
}
