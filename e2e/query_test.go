package e2e

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// statsQuery is one Grafana query of type stats over [from, to).
func statsQuery(refID string, from, to time.Time, model map[string]any) backend.DataQuery {
	model["queryType"] = "stats"
	body, _ := json.Marshal(model)
	return backend.DataQuery{
		RefID: refID, QueryType: "stats", JSON: body,
		TimeRange: backend.TimeRange{From: from, To: to}, Interval: time.Minute, MaxDataPoints: 1000,
	}
}

// settledHour is the UTC hour that ended an hour ago: long past Fastly's (and the simulator's)
// 15-minute settling delay, so every bucket in it is final.
func settledHour() (from, to time.Time) {
	to = time.Now().UTC().Truncate(time.Hour).Add(-time.Hour)
	return to.Add(-time.Hour), to
}

// okResponse is the answer to refID, failing the test when it is missing or an error.
func okResponse(t *testing.T, resp *backend.QueryDataResponse, refID string) backend.DataResponse {
	t.Helper()
	r, ok := resp.Responses[refID]
	if !ok {
		t.Fatalf("no response for %s", refID)
	}
	if r.Error != nil {
		t.Fatalf("%s failed: status %d, %v", refID, r.Status, r.Error)
	}
	return r
}

// series is one frame read back: bucket starts and values (nil = null).
type series struct {
	frame  *data.Frame
	times  []time.Time
	values []*float64
}

func readSeries(t *testing.T, fr *data.Frame) series {
	t.Helper()
	if fr.Meta == nil || fr.Meta.Type != data.FrameTypeTimeSeriesMulti {
		t.Fatalf("frame %q is not timeseries-multi: meta %+v", fr.Name, fr.Meta)
	}
	if len(fr.Fields) != 2 || fr.Fields[0].Type() != data.FieldTypeTime {
		t.Fatalf("frame %q is not [time, value]: %v", fr.Name, fr.Fields)
	}
	s := series{frame: fr}
	for i := 0; i < fr.Rows(); i++ {
		s.times = append(s.times, fr.Fields[0].At(i).(time.Time))
		var v *float64
		if raw, ok := fr.Fields[1].ConcreteAt(i); ok {
			if x, ok := num(raw); ok {
				v = &x
			}
		}
		s.values = append(s.values, v)
	}
	return s
}

func (s series) labels() data.Labels { return s.frame.Fields[1].Labels }

func (s series) unit() string {
	if c := s.frame.Fields[1].Config; c != nil {
		return c.Unit
	}
	return ""
}

// sum adds the non-null values.
func (s series) sum() float64 {
	var total float64
	for _, v := range s.values {
		if v != nil {
			total += *v
		}
	}
	return total
}

// checkGrid wants n buckets of step from start on.
func (s series) checkGrid(t *testing.T, start time.Time, step time.Duration, n int) {
	t.Helper()
	if len(s.times) != n {
		t.Fatalf("frame %q has %d points, want %d", s.frame.Name, len(s.times), n)
	}
	for i, ts := range s.times {
		if want := start.Add(time.Duration(i) * step); !ts.Equal(want) {
			t.Fatalf("frame %q point %d is at %s, want %s", s.frame.Name, i, ts, want)
		}
	}
}

// byMetric indexes frames by their metric label.
func byMetric(t *testing.T, frames data.Frames) map[string]series {
	t.Helper()
	out := map[string]series{}
	for _, fr := range frames {
		s := readSeries(t, fr)
		out[s.labels()["metric"]] = s
	}
	return out
}

// TestQueryStatsOneService asks for an hour of one service by the minute and compares every
// bucket with the record the simulator served for it.
func TestQueryStatsOneService(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	id := fastlysim.ShopServiceID
	resp := f.p.queryData(t, f.cfg.pluginContext(), statsQuery("A", from, to, map[string]any{
		"services": []string{id}, "metrics": []string{"requests", "hit_ratio", "status_5xx"}, "resolution": "minute",
	}))
	got := byMetric(t, okResponse(t, resp, "A").Frames)
	if len(got) != 3 {
		t.Fatalf("got frames for %d metrics, want requests, hit_ratio and status_5xx", len(got))
	}
	wantUnits := map[string]string{"requests": "short", "hit_ratio": "percentunit", "status_5xx": "short"}
	for metric, s := range got {
		s.checkGrid(t, from, time.Minute, 60)
		if u := s.unit(); u != wantUnits[metric] {
			t.Errorf("%s unit = %q, want %q", metric, u, wantUnits[metric])
		}
		if l := s.labels(); l["service"] != id || l["service_name"] != "www.example-shop.com" {
			t.Errorf("%s labels = %v, want service %s and its name", metric, l, id)
		}
	}

	var total int64
	for i, ts := range got["requests"].times {
		rec, served := f.sim.Record(id, "minute", ts, "")
		count := func(field string) int64 {
			if !served {
				return 0
			}
			v, _ := num(rec[field])
			return int64(v)
		}
		for _, metric := range []string{"requests", "status_5xx"} {
			v := got[metric].values[i]
			if v == nil || int64(*v) != count(metric) {
				t.Errorf("%s at %s = %v, the simulator served %d", metric, ts.Format("15:04"), deref(v), count(metric))
			}
		}
		total += count("requests")

		hits, miss := count("hits"), count("miss")
		hr := got["hit_ratio"].values[i]
		switch {
		case hits+miss == 0 && hr != nil:
			t.Errorf("hit_ratio at %s = %v without hits or misses, want null", ts.Format("15:04"), *hr)
		case hits+miss > 0 && (hr == nil || math.Abs(*hr-float64(hits)/float64(hits+miss)) > 1e-12):
			t.Errorf("hit_ratio at %s = %v, want %d/(%d+%d)", ts.Format("15:04"), deref(hr), hits, hits, miss)
		}
	}
	if total == 0 {
		t.Fatalf("the simulator served no requests for the busiest service: the comparison proves nothing")
	}
}

// TestQueryIdleService: a settled bucket without traffic is a zero count but a null ratio
// (0/0 is no hit ratio at all, not 0%).
func TestQueryIdleService(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	id := fastlysim.IdleServiceID
	for m := 0; m < 60; m++ {
		if n := f.recordCount(t, id, "minute", from.Add(time.Duration(m)*time.Minute), "requests"); n != 0 {
			t.Fatalf("the idle service served %d requests: the test needs one without traffic", n)
		}
	}
	resp := f.p.queryData(t, f.cfg.pluginContext(), statsQuery("A", from, to, map[string]any{
		"services": []string{id}, "metrics": []string{"requests", "hit_ratio"}, "resolution": "minute",
	}))
	got := byMetric(t, okResponse(t, resp, "A").Frames)
	req, hr := got["requests"], got["hit_ratio"]
	req.checkGrid(t, from, time.Minute, 60)
	hr.checkGrid(t, from, time.Minute, 60)
	for i, ts := range req.times {
		if v := req.values[i]; v == nil || *v != 0 {
			t.Errorf("requests at %s = %v, want 0", ts.Format("15:04"), deref(v))
		}
		if v := hr.values[i]; v != nil {
			t.Errorf("hit_ratio at %s = %v, want null", ts.Format("15:04"), *v)
		}
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// TestQueryAllServices covers "*" grouped by service (one series per service with traffic) and
// a list of services without grouping (one summed series).
func TestQueryAllServices(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	minutes := make([]time.Time, 60)
	for i := range minutes {
		minutes[i] = from.Add(time.Duration(i) * time.Minute)
	}
	served := func(id string) (total int64, perMinute []int64) {
		for _, m := range minutes {
			n := f.recordCount(t, id, "minute", m, "requests")
			perMinute = append(perMinute, n)
			total += n
		}
		return total, perMinute
	}

	resp := f.p.queryData(t, f.cfg.pluginContext(),
		statsQuery("ALL", from, to, map[string]any{"services": []string{"*"}, "metrics": []string{"requests"}, "groupBy": "service", "resolution": "minute"}),
		statsQuery("SUM", from, to, map[string]any{
			"services":   []string{fastlysim.ShopServiceID, fastlysim.APIServiceID, fastlysim.ComputeServiceID},
			"metrics":    []string{"requests"},
			"resolution": "minute",
		}))

	gotByService := map[string]series{}
	for _, fr := range okResponse(t, resp, "ALL").Frames {
		s := readSeries(t, fr)
		id := s.labels()["service"]
		if _, dup := gotByService[id]; dup || id == "" {
			t.Fatalf("service label %q missing or repeated", id)
		}
		gotByService[id] = s
	}
	withTraffic := 0
	for _, svc := range f.sim.Services() {
		total, perMinute := served(svc.ID)
		s, ok := gotByService[svc.ID]
		if total == 0 {
			if ok && s.sum() != 0 {
				t.Errorf("idle service %s shows %v requests", svc.Name, s.sum())
			}
			continue
		}
		withTraffic++
		if !ok {
			t.Errorf("service %s (%d requests) has no series", svc.Name, total)
			continue
		}
		s.checkGrid(t, from, time.Minute, 60)
		if s.labels()["service_name"] != svc.Name {
			t.Errorf("series for %s is labelled %v", svc.ID, s.labels())
		}
		for i, n := range perMinute {
			if v := s.values[i]; v == nil || int64(*v) != n {
				t.Errorf("%s at %s = %v, the simulator served %d", svc.Name, minutes[i].Format("15:04"), deref(v), n)
			}
		}
	}
	if withTraffic < 2 {
		t.Fatalf("only %d services had traffic: grouping is not exercised", withTraffic)
	}

	sumFrames := okResponse(t, resp, "SUM").Frames
	if len(sumFrames) != 1 {
		t.Fatalf("ungrouped query gave %d frames, want one summed series", len(sumFrames))
	}
	s := readSeries(t, sumFrames[0])
	s.checkGrid(t, from, time.Minute, 60)
	if svc := s.labels()["service"]; svc != "" {
		t.Errorf("summed series carries service label %q", svc)
	}
	want := make([]int64, 60)
	for _, id := range []string{fastlysim.ShopServiceID, fastlysim.APIServiceID, fastlysim.ComputeServiceID} {
		_, perMinute := served(id)
		for i, n := range perMinute {
			want[i] += n
		}
	}
	for i, n := range want {
		if v := s.values[i]; v == nil || int64(*v) != n {
			t.Errorf("sum at %s = %v, want %d", minutes[i].Format("15:04"), deref(v), n)
		}
	}
}

// TestQueryAutoResolution: two days at most 1000 points cannot be minutes, so auto must ask
// Fastly for hours, and each hour must equal its sixty minutes.
func TestQueryAutoResolution(t *testing.T) {
	f := newFixture(t)
	_, to := settledHour()
	from := to.Add(-48 * time.Hour)
	id := fastlysim.APIServiceID
	resp := f.p.queryData(t, f.cfg.pluginContext(), statsQuery("A", from, to, map[string]any{
		"services": []string{id}, "metrics": []string{"requests"}, "resolution": "auto",
	}))
	frames := okResponse(t, resp, "A").Frames
	if len(frames) != 1 {
		t.Fatalf("got %d frames, want 1", len(frames))
	}
	s := readSeries(t, frames[0])
	s.checkGrid(t, from, time.Hour, 48)
	for i, ts := range s.times {
		want := f.recordCount(t, id, "hour", ts, "requests")
		if v := s.values[i]; v == nil || int64(*v) != want {
			t.Errorf("hour %s = %v, the simulator served %d", ts.Format("01-02 15:04"), deref(v), want)
		}
	}
	// The hour record is only trustworthy if it is the sum of its minutes: check two hours,
	// the first and the last.
	for _, i := range []int{0, 47} {
		var minutes int64
		for m := 0; m < 60; m++ {
			minutes += f.recordCount(t, id, "minute", s.times[i].Add(time.Duration(m)*time.Minute), "requests")
		}
		if v := s.values[i]; v == nil || int64(*v) != minutes {
			t.Errorf("hour %s = %v, its minutes add up to %d", s.times[i].Format("01-02 15:04"), deref(v), minutes)
		}
	}
	askedHours := false
	for _, r := range f.sim.Requests() {
		if strings.HasPrefix(r.Path, "/stats") && strings.Contains(r.RawQuery, "by=minute") {
			t.Errorf("auto over two days asked Fastly for minutes: %s?%s", r.Path, r.RawQuery)
		}
		askedHours = askedHours || strings.HasPrefix(r.Path, "/stats") && strings.Contains(r.RawQuery, "by=hour")
	}
	if !askedHours {
		t.Errorf("no /stats call with by=hour; calls: %+v", f.sim.Requests())
	}
}
