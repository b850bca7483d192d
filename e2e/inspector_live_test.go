package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// simLiveDomains reads the simulator's Domain Inspector real-time answer for the last 120 s
// directly and sums each second's edge_requests over the service's domains.
func (f *fixture) simLiveDomains(t *testing.T, id string) map[int64]float64 {
	t.Helper()
	var body struct {
		Data []struct {
			Recorded   int64                     `json:"recorded"`
			Aggregated map[string]map[string]any `json:"aggregated"`
		} `json:"Data"`
	}
	f.simGet(t, "/v1/domains/"+id+"/ts/h", &body)
	out := map[int64]float64{}
	for _, e := range body.Data {
		for _, metrics := range e.Aggregated {
			v, _ := num(metrics["edge_requests"])
			out[e.Recorded] += v
		}
	}
	return out
}

// TestLiveDomainsStream is a live Domain Inspector panel: the query returns the seconds Fastly
// holds, each equal to the simulator's domains summed (and so to the service's real-time
// requests), and names a di/ channel; Grafana subscribes and runs it, and the stream sends
// the schema first and then new seconds with the simulator's numbers.
func TestLiveDomainsStream(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	id := fastlysim.ShopServiceID
	now := time.Now()
	q := typedQuery("LIVE", "domains", now.Add(-5*time.Minute), now, map[string]any{
		"services": []string{id}, "metrics": []string{"edge_requests"}, "live": true,
	})
	q.Interval = time.Second
	frames := okResponse(t, f.p.queryData(t, pc, q), "LIVE").Frames
	direct := f.simLiveDomains(t, id)
	if len(frames) != 1 {
		t.Fatalf("live domains query gave %d frames, want 1", len(frames))
	}
	fr := frames[0]
	prefix := "ds/" + pc.DataSourceInstanceSettings.UID + "/"
	if want := prefix + "di/" + id + "/m=edge_requests"; fr.Meta == nil || fr.Meta.Channel != want {
		t.Fatalf("live domains frame: meta %+v, want channel %s", fr.Meta, want)
	}
	assertFrameType(t, fr, data.FrameTypeTimeSeriesWide)
	if len(fr.Fields) != 2 || fr.Fields[1].Name != "edge_requests" || fr.Rows() < 100 {
		t.Fatalf("live domains window: %d fields (%v), %d rows; want time and edge_requests over about 120 s", len(fr.Fields), fr.Fields, fr.Rows())
	}
	var windowTotal float64
	compared := 0
	for i := 0; i < fr.Rows(); i++ {
		ts := fr.Fields[0].At(i).(time.Time)
		raw, _ := fr.Fields[1].ConcreteAt(i)
		got, _ := num(raw)
		if want := f.realtimeRequests(id, ts); got != want {
			t.Errorf("window second %s: edge_requests %v, the service's real-time requests were %v", ts.Format("15:04:05"), got, want)
		}
		if want, ok := direct[ts.Unix()]; ok {
			compared++
			if got != want {
				t.Errorf("window second %s: edge_requests %v, /v1/domains summed over domains gives %v", ts.Format("15:04:05"), got, want)
			}
		}
		windowTotal += got
	}
	if windowTotal == 0 || compared < 100 {
		t.Fatalf("the window has %v requests, %d seconds compared with /v1/domains: nothing to check", windowTotal, compared)
	}
	last := fr.Fields[0].At(fr.Rows() - 1).(time.Time)
	path := strings.TrimPrefix(fr.Meta.Channel, prefix)

	run, stop := f.openStream(t, pc, path)
	streamed := map[time.Time]float64{}
	var streamTotal float64
	for packets := 0; len(streamed) < 2; packets++ {
		pkt, err := run.Recv()
		if err != nil {
			t.Fatalf("RunStream after %d packets: %v", packets, err)
		}
		if packets == 0 {
			var schema struct {
				Schema struct {
					Fields []struct {
						Name string `json:"name"`
					} `json:"fields"`
				} `json:"schema"`
			}
			if err := json.Unmarshal(pkt.Data, &schema); err != nil {
				t.Fatalf("first stream packet is not frame JSON: %v", err)
			}
			var names []string
			for _, fl := range schema.Schema.Fields {
				names = append(names, fl.Name)
			}
			if len(names) != 2 || names[0] != "time" || names[1] != "edge_requests" {
				t.Fatalf("first stream packet's schema has fields %v, want [time edge_requests]: %s", names, pkt.Data)
			}
		}
		times, vals := packetRows(t, pkt)
		for i, ts := range times {
			if !ts.After(last) {
				t.Errorf("stream second %s does not follow %s", ts.Format("15:04:05"), last.Format("15:04:05"))
			}
			last = ts
			var got float64
			if vals[i] != nil {
				got = *vals[i]
			}
			if got < 0 {
				t.Errorf("stream second %s: negative edge_requests %v", ts.Format("15:04:05"), got)
			}
			if want := f.realtimeRequests(id, ts); got != want {
				t.Errorf("stream second %s: edge_requests %v, the service's real-time requests were %v", ts.Format("15:04:05"), got, want)
			}
			streamTotal += got
			streamed[ts] = got
		}
	}
	stop() // the last viewer leaves

	// The streamed seconds are still within the 120 s Fastly keeps: check them against the
	// inspector endpoint itself too.
	direct = f.simLiveDomains(t, id)
	for ts, got := range streamed {
		want, ok := direct[ts.Unix()]
		if !ok {
			t.Errorf("stream second %s is not in /v1/domains", ts.Format("15:04:05"))
			continue
		}
		if got != want {
			t.Errorf("stream second %s: edge_requests %v, /v1/domains summed over domains gives %v", ts.Format("15:04:05"), got, want)
		}
	}
	if streamTotal == 0 {
		t.Errorf("the stream of the busiest service delivered no requests")
	}
	t.Logf("window: %d seconds (%d compared with /v1/domains), stream: %d seconds, %v requests", fr.Rows(), compared, len(streamed), streamTotal)
}
