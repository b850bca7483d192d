package live

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

const svc = "SU1Z0isxPaozGVKXdv0eY"

func TestChannelRoundTrip(t *testing.T) {
	for _, c := range []Channel{
		{Product: fastly.RealtimeChannel, Service: svc, Metrics: []string{"requests"}},
		{Product: fastly.RealtimeChannel, Service: svc, Metrics: []string{"requests", "hit_ratio", "miss_latency_p95"}, POPs: []string{"LHR", "JFK", "SJC"}, GroupBy: "pop"},
		{Product: fastly.RealtimeChannel, Service: svc, Metrics: []string{"bandwidth_bps"}, POPs: []string{"LHR", "ABCD"}},
		{Product: fastly.RealtimeChannel, Service: svc, Metrics: []string{"requests"}, POPs: []string{"ABCDEF"}},
		{Product: fastly.RealtimeOrigins, Service: svc, Metrics: []string{"responses"}, GroupBy: "pop"},
		{Product: fastly.RealtimeDomains, Service: svc, Metrics: []string{"edge_requests"}},
	} {
		path, err := c.Path()
		require.NoError(t, err, "%+v", c)
		assert.LessOrEqual(t, len(path), MaxPathLen)
		for _, r := range path {
			assert.True(t, pathChar(byte(r)) && r < 128, "%q has %q", path, r)
		}
		got, err := ParseChannel(path)
		require.NoError(t, err, path)
		assert.Equal(t, c, got, path)
	}
}

func TestChannelPathIsCompact(t *testing.T) {
	c := Channel{Product: fastly.RealtimeChannel, Service: svc, Metrics: []string{"requests", "hit_ratio"}, POPs: []string{"LHR", "JFK"}, GroupBy: "pop"}
	path, err := c.Path()
	require.NoError(t, err)
	assert.Equal(t, "rt/"+svc+"/m=requests.hit_ratio/p=LHRJFK/g=pop", path)
}

// TestChannelOldLegendPath: paths that earlier versions wrote with the panel's legend (l=,
// base64url) still decode, to the same channel as without it, so a browser subscribed across
// an upgrade keeps its stream; the path written today leaves the legend out.
func TestChannelOldLegendPath(t *testing.T) {
	want := Channel{Product: fastly.RealtimeChannel, Service: svc, Metrics: []string{"requests", "hit_ratio"}, POPs: []string{"LHR", "JFK"}, GroupBy: "pop"}
	for _, old := range []string{
		"rt/" + svc + "/m=requests.hit_ratio/p=LHRJFK/g=pop/l=e3twb3B9fQ", // {{pop}}
		"rt/" + svc + "/m=requests.hit_ratio/l=e3tzZXJ2aWNlX25hbWV9fSB7e2xhYmVsfX0/p=LHRJFK/g=pop",
	} {
		got, err := ParseChannel(old)
		require.NoError(t, err, old)
		assert.Equal(t, want, got, old)
		path, err := got.Path()
		require.NoError(t, err)
		assert.Equal(t, "rt/"+svc+"/m=requests.hit_ratio/p=LHRJFK/g=pop", path)
	}
}

func TestChannelLengthBound(t *testing.T) {
	var pops []string
	for i := range 41 {
		pops = append(pops, fmt.Sprintf("P%02d", i))
	}
	c := Channel{Product: fastly.RealtimeChannel, Service: svc, Metrics: []string{"requests"}, POPs: pops}
	_, err := c.Path()
	require.ErrorIs(t, err, ErrChannelTooLong, "41 POPs do not fit")
	assert.Contains(t, err.Error(), "pick fewer metrics or POPs")

	c.POPs = pops[:40]
	path, err := c.Path()
	require.NoError(t, err, "40 POPs fit, written back to back in threes")
	assert.LessOrEqual(t, len(path), MaxPathLen)

	c = Channel{Product: fastly.RealtimeChannel, Service: svc, Metrics: strings.Split("requests.hits.miss.pass.status_2xx.status_4xx.status_5xx.hit_ratio.error_ratio.bandwidth_bps.miss_latency_p50.miss_latency_p99.edge_bps.pass_ratio", ".")}
	_, err = c.Path()
	assert.ErrorIs(t, err, ErrChannelTooLong)

	_, err = ParseChannel("rt/" + svc + "/m=" + strings.Repeat("a", MaxPathLen))
	assert.ErrorIs(t, err, ErrChannelTooLong)
}

func TestParseChannelRejects(t *testing.T) {
	for _, path := range []string{
		"", "rt", "rt/" + svc, "xx/" + svc + "/m=requests", "rt/" + svc + "/m=requests/m=hits",
		"rt/" + svc + "/m=", "rt/" + svc + "/m=requests/z=1", "rt/bad-id/m=requests", "rt/" + svc + "/m=req uests",
		"rt/" + svc + "/m=requests/g=service", "rt/" + svc + "/m=requests/p=LHRJ", "rt/" + svc + "/m=requests/p=LHR/q=JFK",
		"rt/" + svc + "/m=requests/l=!!", "rt/" + svc + "/m=requests/l=a/l=b", "rt/" + svc + "/m=requests/q=LH-R", "rt/" + svc + "/m=requests/", "rt/" + svc + "/m=requests..hits",
		"rt/" + svc + "/m=requests/l=@@@",
	} {
		_, err := ParseChannel(path)
		assert.Error(t, err, "%q", path)
	}
}

func FuzzParseChannel(f *testing.F) {
	f.Add("rt/" + svc + "/m=requests.hit_ratio/p=LHRJFK/g=pop/l=e3twb3B9fQ")
	f.Add("oi/" + svc + "/m=responses/q=LHR.ABCD")
	f.Fuzz(func(t *testing.T, path string) {
		c, err := ParseChannel(path)
		if err != nil {
			return
		}
		again, err := c.Path()
		require.NoError(t, err, "a parsed channel encodes again")
		require.LessOrEqual(t, len(again), MaxPathLen)
		c2, err := ParseChannel(again)
		require.NoError(t, err)
		require.Equal(t, c, c2)
	})
}
