package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// realtimeRequests is what the simulator served as requests for one second (0 when idle).
func (f *fixture) realtimeRequests(id string, sec time.Time) float64 {
	agg, _ := f.sim.RealtimeSecond(id, sec)
	v, _ := num(agg["requests"])
	if agg == nil {
		return 0
	}
	return v
}

// packetRows reads a stream packet's rows: a Live packet is frame JSON whose data part holds
// columns; times are epoch milliseconds. Later packets carry data only, without schema.
func packetRows(t *testing.T, p *pluginv2.StreamPacket) (times []time.Time, requests []*float64) {
	t.Helper()
	var fj struct {
		Data struct {
			Values [][]*float64 `json:"values"`
		} `json:"data"`
	}
	if err := json.Unmarshal(p.Data, &fj); err != nil {
		t.Fatalf("stream packet is not frame JSON: %v: %s", err, p.Data)
	}
	cols := fj.Data.Values
	if len(cols) != 2 {
		t.Fatalf("stream packet has %d columns, want time and requests: %s", len(cols), p.Data)
	}
	for i, ms := range cols[0] {
		if ms == nil {
			t.Fatalf("stream packet row %d has no time", i)
		}
		times = append(times, time.UnixMilli(int64(*ms)).UTC())
	}
	return times, cols[1]
}

// TestRealtimeStream is a live panel's life: the query returns what Fastly holds and names a
// channel; Grafana subscribes to it and runs the stream, which must keep delivering new
// seconds with the simulator's numbers. A malformed channel is refused.
func TestRealtimeStream(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	id := fastlysim.ShopServiceID
	body, _ := json.Marshal(map[string]any{"queryType": "realtime", "services": []string{id}, "metrics": []string{"requests"}})
	now := time.Now()
	resp := f.p.queryData(t, pc, backend.DataQuery{
		RefID: "RT", QueryType: "realtime", JSON: body, MaxDataPoints: 1000, Interval: time.Second,
		TimeRange: backend.TimeRange{From: now.Add(-2 * time.Minute), To: now},
	})
	frames := okResponse(t, resp, "RT").Frames
	if len(frames) != 1 {
		t.Fatalf("real-time query gave %d frames, want 1", len(frames))
	}
	fr := frames[0]
	prefix := "ds/" + pc.DataSourceInstanceSettings.UID + "/"
	if fr.Meta == nil || !strings.HasPrefix(fr.Meta.Channel, prefix) {
		t.Fatalf("real-time frame names no channel of this data source: meta %+v", fr.Meta)
	}
	if fr.Meta.Type != data.FrameTypeTimeSeriesWide || len(fr.Fields) != 2 || fr.Rows() == 0 {
		t.Fatalf("real-time window: type %q, %d fields, %d rows; want a wide frame of time and requests with rows", fr.Meta.Type, len(fr.Fields), fr.Rows())
	}
	var windowTotal float64
	for i := 0; i < fr.Rows(); i++ {
		ts := fr.Fields[0].At(i).(time.Time)
		raw, _ := fr.Fields[1].ConcreteAt(i)
		got, _ := num(raw)
		if want := f.realtimeRequests(id, ts); got != want {
			t.Errorf("window second %s: requests %v, the simulator served %v", ts.Format("15:04:05"), got, want)
		}
		windowTotal += got
	}
	if windowTotal == 0 {
		t.Errorf("the window of the busiest service has no requests")
	}
	lastWindowSecond := fr.Fields[0].At(fr.Rows() - 1).(time.Time)
	path := strings.TrimPrefix(fr.Meta.Channel, prefix)

	run, stop := f.openStream(t, pc, path)
	// Two packets with new seconds show the poller keeps going; each second is checked against
	// the simulator, and the stream must start right after the window's last second.
	last := lastWindowSecond
	var streamTotal float64
	for packets := 0; packets < 2; {
		pkt, err := run.Recv()
		if err != nil {
			t.Fatalf("RunStream after %d packets: %v", packets, err)
		}
		times, reqs := packetRows(t, pkt)
		if len(times) == 0 {
			continue
		}
		for i, ts := range times {
			if !ts.Equal(last.Add(time.Second)) {
				t.Errorf("stream second %s does not follow %s: a gap or a repeat", ts.Format("15:04:05"), last.Format("15:04:05"))
			}
			last = ts
			var got float64
			if reqs[i] != nil {
				got = *reqs[i]
			}
			streamTotal += got
			if want := f.realtimeRequests(id, ts); got != want {
				t.Errorf("stream second %s: requests %v, the simulator served %v", ts.Format("15:04:05"), got, want)
			}
		}
		packets++
	}
	stop() // the last viewer leaves
	if streamTotal == 0 {
		t.Errorf("the stream of the busiest service delivered no requests")
	}

	for _, bad := range []string{"rt", "nope/" + id + "/m=requests", "rt/" + id + "/m=no_such_metric", "rt/not-an-id!/m=requests"} {
		res, err := f.p.stream.SubscribeStream(callCtx(t), backend.ToProto().SubscribeStreamRequest(&backend.SubscribeStreamRequest{PluginContext: pc, Path: bad}))
		if err != nil {
			t.Errorf("SubscribeStream %q: %v, want a refusal status", bad, err)
			continue
		}
		if got := backend.FromProto().SubscribeStreamResponse(res).Status; got != backend.SubscribeStreamStatusNotFound {
			t.Errorf("SubscribeStream %q: status %v, want NotFound", bad, got)
		}
	}
	// A well-formed channel for a service the token cannot see must not start a poller.
	res, err := f.p.stream.SubscribeStream(callCtx(t), backend.ToProto().SubscribeStreamRequest(&backend.SubscribeStreamRequest{PluginContext: pc, Path: "rt/ZZnotAFastlyService000/m=requests"}))
	if err != nil {
		t.Fatalf("SubscribeStream for an unknown service: %v", err)
	}
	if got := backend.FromProto().SubscribeStreamResponse(res).Status; got != backend.SubscribeStreamStatusPermissionDenied {
		t.Errorf("SubscribeStream for an unknown service: status %v, want PermissionDenied", got)
	}
}

// openStream joins a channel as Grafana Live does: SubscribeStream must say OK, then RunStream
// starts. The stream ends when stop is called (the last viewer leaving), with the test, or
// after a minute.
func (f *fixture) openStream(t *testing.T, pc backend.PluginContext, path string) (run pluginv2.Stream_RunStreamClient, stop func()) {
	t.Helper()
	sub, err := f.p.stream.SubscribeStream(callCtx(t), backend.ToProto().SubscribeStreamRequest(&backend.SubscribeStreamRequest{PluginContext: pc, Path: path}))
	if err != nil {
		t.Fatalf("SubscribeStream %s: %v", path, err)
	}
	if got := backend.FromProto().SubscribeStreamResponse(sub).Status; got != backend.SubscribeStreamStatusOK {
		t.Fatalf("SubscribeStream %s: status %v, want OK", path, got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	run, err = f.p.stream.RunStream(ctx, backend.ToProto().RunStreamRequest(&backend.RunStreamRequest{PluginContext: pc, Path: path}))
	if err != nil {
		t.Fatalf("RunStream %s: %v", path, err)
	}
	return run, cancel
}
