package frames

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// Live Origin Inspector seconds go through the real-time builder with the origins formulas:
// error_ratio over every source's responses, and percentiles from every source's latency
// bucket fields.
func TestRealtimeBuilderWithOriginsKind(t *testing.T) {
	ms := kindMetrics(t, catalog.KindOrigins, "all_responses", "error_ratio", "origin_latency_p50")
	names := catalog.Fields([]string{"all_responses", "error_ratio", "origin_latency_p50"}, catalog.KindOrigins)
	fields := fastly.NewRealtimeFields(names)
	values := make([]float64, fields.Len())
	set := func(n string, v float64) {
		i, ok := fields.Index(n)
		require.True(t, ok, n)
		values[i] = v
	}
	set("all_responses", 100)
	set("all_status_5xx", 5)
	set("all_latency_1_to_5ms", 40)
	set("all_latency_5_to_10ms", 60)
	b := NewRealtimeBuilder(RealtimeRequest{Metrics: ms, ServiceID: "svc", ServiceName: "svc", Kind: catalog.KindOrigins})
	fr, _ := b.Frame([]RealtimeSpan{{From: 100, To: 101, Fields: fields, Seconds: []fastly.RealtimeSecond{
		{Recorded: 100, Aggregated: fastly.RealtimeStats{Values: values}},
	}}})
	require.Equal(t, 2, fr.Rows())
	at := func(field, row int) *float64 { return fr.Fields[field].At(row).(*float64) }
	assert.Equal(t, 100.0, *at(1, 0))
	assert.InDelta(t, 0.05, *at(2, 0), 1e-12)
	// rank 50 of 100: 40 in 1-5 ms, so 10 of 60 into 5-10 ms.
	assert.InDelta(t, 5+5*10.0/60, *at(3, 0), 1e-12)
	assert.Nil(t, at(2, 1), "an idle second has no ratio")
	assert.Nil(t, at(3, 1), "nor a percentile")
	assert.Equal(t, 0.0, *at(1, 1))
}
