package plugin

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func fieldByName(fr *data.Frame, name string) *data.Field {
	for _, f := range fr.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// TestRealtimeQueryWindow: a real-time query returns the 120 s Fastly holds, every second,
// with the simulator's numbers, and names its live channel.
func TestRealtimeQueryWindow(t *testing.T) {
	e := newLiveEnv(t, simToken)
	id := fastlysim.StaticServiceID
	r := e.query(t, map[string]any{"queryType": "realtime", "services": []string{id}, "metrics": []string{"requests", "error_ratio", "bandwidth"}})
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	fr := r.Frames[0]
	assert.Equal(t, "ds/fastly-test/rt/"+id+"/m=requests.error_ratio.bandwidth", fr.Meta.Channel)
	assert.Equal(t, data.FrameTypeTimeSeriesWide, fr.Meta.Type)
	require.Equal(t, 120, fr.Rows(), "the whole window, idle seconds included")
	latest := liveStart.Unix() - 1 - fastly.DefaultAggregateDelay // the newest final second trails the cursor
	assert.Equal(t, time.Unix(latest, 0).UTC(), fr.Fields[0].At(119))
	assert.Equal(t, time.Unix(latest-119, 0).UTC(), fr.Fields[0].At(0))
	req, ratio, bw := fieldByName(fr, "requests"), fieldByName(fr, "error_ratio"), fieldByName(fr, "bandwidth")
	busy := 0
	for i := range fr.Rows() {
		s := latest - 119 + int64(i)
		n := simValue(e.sim, id, "", "requests", s)
		assert.Equal(t, n, *req.At(i).(*float64), "requests at %d", s)
		if n == 0 {
			assert.Nil(t, ratio.At(i).(*float64), "no traffic: ratio is null")
			continue
		}
		busy++
		assert.InDelta(t, simValue(e.sim, id, "", "status_5xx", s)/n, *ratio.At(i).(*float64), 1e-12)
		var bytes float64
		for _, f := range []string{"resp_header_bytes", "resp_body_bytes", "bereq_header_bytes", "bereq_body_bytes"} {
			bytes += simValue(e.sim, id, "", f, s)
		}
		assert.Equal(t, bytes, *bw.At(i).(*float64), "bandwidth at %d", s)
	}
	assert.Greater(t, busy, 60, "the static service is busy on a Friday afternoon")
	assert.Equal(t, "reqps", req.Config.Unit)
	assert.Equal(t, "Bps", bw.Config.Unit)
	assert.Equal(t, "static-assets Requests (VCL)", req.Config.DisplayNameFromDS)
}

// TestRealtimeQueryByPOP: groupBy pop with a POP filter gives one series per chosen POP.
func TestRealtimeQueryByPOP(t *testing.T) {
	e := newLiveEnv(t, simToken)
	id := fastlysim.StaticServiceID
	latest := liveStart.Unix() - 1 - fastly.DefaultAggregateDelay
	_, dcs := e.sim.RealtimeSecond(id, time.Unix(latest, 0))
	var pops []string
	for p := range dcs {
		pops = append(pops, p)
	}
	require.GreaterOrEqual(t, len(pops), 2)
	pops = pops[:2]
	r := e.query(t, map[string]any{"queryType": "realtime", "services": []string{id}, "metrics": []string{"requests"}, "groupBy": "pop",
		"pops": []string{strings.ToLower(pops[0]), pops[1]}})
	require.NoError(t, r.Error)
	fr := r.Frames[0]
	assert.Equal(t, "ds/fastly-test/rt/"+id+"/m=requests/p="+pops[0]+pops[1]+"/g=pop", fr.Meta.Channel, "POP codes upper-cased")
	require.Len(t, fr.Fields, 3)
	for _, pop := range pops {
		f := fieldByName(fr, "requests "+pop)
		require.NotNil(t, f, pop)
		assert.Equal(t, pop, f.Labels["pop"])
		for i := range fr.Rows() {
			s := latest - 119 + int64(i)
			assert.Equal(t, simValue(e.sim, id, pop, "requests", s), *f.At(i).(*float64), "%s at %d", pop, s)
		}
	}
}

// TestRealtimeLongLegend: the legend is a display option, so however long it is, a one-metric
// real-time query works: its answer has the legend's names, its channel is the one the same
// query without a legend gets, and the stream (shared by panels whatever their legend, and by
// browsers still subscribed to a path with the legend in it) sends the default names.
func TestRealtimeLongLegend(t *testing.T) {
	e := newLiveEnv(t, simToken)
	id := fastlysim.StaticServiceID
	q := map[string]any{"queryType": "realtime", "services": []string{id}, "metrics": []string{"requests"}}
	plain := e.query(t, q)
	require.NoError(t, plain.Error)
	channel := plain.Frames[0].Meta.Channel
	path := strings.TrimPrefix(channel, "ds/fastly-test/")
	require.Equal(t, "rt/"+id+"/m=requests", path)
	for _, n := range []int{92, 500} {
		start := "{{service_name}} · {{label}} "
		q["legendFormat"] = start + strings.Repeat("x", n-len(start))
		r := e.query(t, q)
		require.NoError(t, r.Error, "a %d-byte legend", n)
		require.Len(t, r.Frames, 1)
		assert.Equal(t, channel, r.Frames[0].Meta.Channel, "a %d-byte legend leaves the channel as it is", n)
		assert.Equal(t, "static-assets · Requests (VCL) "+strings.Repeat("x", n-len(start)), r.Frames[0].Fields[1].Config.DisplayNameFromDS)
	}

	old := path + "/l=" + base64.RawURLEncoding.EncodeToString([]byte("{{service_name}} · {{label}} xxxxxxxxxxxxxxx"))
	for _, p := range []string{path, old} {
		sender := newPacketSender()
		stop, _ := runStream(e.ds, p, sender)
		packets := sender.waitPackets(t, 1)
		require.NoError(t, stop(), p)
		require.NotNil(t, packets[0].Schema, p)
		f := packets[0].Schema.Fields[1]
		assert.Equal(t, "requests", f.Name, p)
		assert.Equal(t, "static-assets Requests (VCL)", f.Config.DisplayNameFromDS, "%s: streams carry the default names", p)
		assert.Equal(t, map[string]string{"metric": "requests", "service": id, "service_name": "static-assets"}, f.Labels, p)
	}
}

func TestRealtimeQueryErrors(t *testing.T) {
	e := newLiveEnv(t, simToken)
	id := fastlysim.StaticServiceID
	many := make([]string, 41)
	for i := range many {
		many[i] = fmt.Sprintf("P%02d", i)
	}
	services := make([]string, 11)
	for i := range services {
		services[i] = fmt.Sprintf("svc%02dAAAAAAAAAAAAAAAAAA", i)
	}
	for name, c := range map[string]struct {
		q    map[string]any
		want string
	}{
		"unknown metric":    {map[string]any{"services": []string{id}, "metrics": []string{"requests", "reqs"}}, `unknown metric "reqs"`},
		"historical only":   {map[string]any{"services": []string{id}, "metrics": []string{"origin_offload_typo"}}, "origin_offload_typo"},
		"too many POPs":     {map[string]any{"services": []string{id}, "pops": many}, "pick fewer metrics or POPs"},
		"too many services": {map[string]any{"services": services}, "at most 10 services"},
		"bad grouping":      {map[string]any{"services": []string{id}, "groupBy": "region"}, "cannot be grouped"},
	} {
		c.q["queryType"] = "realtime"
		r := e.query(t, c.q)
		require.Error(t, r.Error, name)
		assert.Contains(t, r.Error.Error(), c.want, name)
		assert.Equal(t, backend.StatusBadRequest, r.Status, name)
	}
}

// TestRealtimeQueryTokenRejected: the query fails with Fastly's 401, explained, token hidden.
func TestRealtimeQueryTokenRejected(t *testing.T) {
	e := newLiveEnv(t, "wrong-SECRET-token")
	r := e.query(t, map[string]any{"queryType": "realtime", "services": []string{fastlysim.StaticServiceID}})
	require.Error(t, r.Error)
	assert.Equal(t, backend.StatusUnauthorized, r.Status)
	assert.Contains(t, r.Error.Error(), "token was rejected")
	assert.NotContains(t, r.Error.Error(), "SECRET")
}

// TestRealtimeAllServices: "*" means one live channel per service the token sees (services are
// never summed in real time), so on the simulator's 45-service account it is refused with a
// message that says how to fix it, instead of starting 45 pollers.
func TestRealtimeAllServices(t *testing.T) {
	e := newLiveEnv(t, simToken)
	rt, q, err := parseQuery(backend.DataQuery{JSON: []byte(`{"queryType":"realtime","services":["*"],"metrics":["requests"],"groupBy":"service"}`)})
	require.NoError(t, err)
	_, _, err = e.ds.realtimeChannels(context.Background(), q, rt.TypeSpec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("at most 10 services (this one has %d): pick fewer services", len(e.sim.Services())))

	q.Services = []string{fastlysim.ShopServiceID, fastlysim.StaticServiceID}
	q.LegendFormat = "{{service_name}}"
	chans, _, err := e.ds.realtimeChannels(context.Background(), q, rt.TypeSpec)
	require.NoError(t, err)
	require.Len(t, chans, 2)
	for i, id := range q.Services {
		path, err := chans[i].Path()
		require.NoError(t, err)
		assert.Equal(t, "rt/"+id+"/m=requests", path, "one channel per service; the legend is the panel's, not the channel's")
	}
}
