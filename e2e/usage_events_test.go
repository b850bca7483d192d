package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// usageTable is a usage frame read back: the row labels of its string column and each
// metric column.
type usageTable struct {
	labels  []string
	metrics map[string][]int64
}

func readUsage(t *testing.T, fr *data.Frame, labelField string) usageTable {
	t.Helper()
	assertFrameType(t, fr, data.FrameTypeNumericLong)
	if len(fr.Fields) == 0 || fr.Fields[0].Name != labelField || fr.Fields[0].Type() != data.FieldTypeString {
		t.Fatalf("usage frame does not start with the string column %q: %v", labelField, fr.Fields)
	}
	u := usageTable{metrics: map[string][]int64{}}
	for i := 0; i < fr.Rows(); i++ {
		u.labels = append(u.labels, fr.Fields[0].At(i).(string))
	}
	for _, fl := range fr.Fields[1:] {
		if fl.Type() != data.FieldTypeInt64 {
			t.Fatalf("usage column %s is %s, want int64 (byte totals pass 2^53)", fl.Name, fl.Type())
		}
		col := make([]int64, fl.Len())
		for i := range col {
			col[i] = fl.At(i).(int64)
		}
		u.metrics[fl.Name] = col
	}
	return u
}

func sumInts(xs []int64) int64 {
	var n int64
	for _, x := range xs {
		n += x
	}
	return n
}

// TestUsageByRegion: billing usage over two whole UTC days (Fastly counts usage by the day),
// per region and in total. Each region's row is what /stats/usage served for it, Requests
// adding its VCL requests and its compute_requests; the rows add up to the total query, and
// that total is every service's requests, VCL and Compute, in its daily stats records.
func TestUsageByRegion(t *testing.T) {
	f := newFixture(t)
	to := time.Now().UTC().Truncate(24 * time.Hour)
	from := to.Add(-48 * time.Hour)
	pc := f.cfg.pluginContext()
	metrics := []string{"all_requests", "requests", "compute_requests", "bandwidth"}
	resp := f.p.queryData(t, pc,
		typedQuery("REGION", "usage", from, to, map[string]any{"metrics": metrics, "groupBy": "region"}),
		typedQuery("TOTAL", "usage", from, to, map[string]any{"metrics": metrics}))

	byRegion := okResponse(t, resp, "REGION").Frames
	total := okResponse(t, resp, "TOTAL").Frames
	if len(byRegion) != 1 || len(total) != 1 {
		t.Fatalf("usage queries gave %d and %d frames, want one each", len(byRegion), len(total))
	}
	regions := readUsage(t, byRegion[0], "region")
	sum := readUsage(t, total[0], "region")
	if len(sum.labels) != 1 || sum.labels[0] != "all" {
		t.Errorf("ungrouped usage rows = %v, want a single row labelled all", sum.labels)
	}
	if !slices.IsSorted(regions.labels) {
		t.Errorf("usage regions are not sorted: %v", regions.labels)
	}

	// What the plugin asked /stats/usage for, and what the simulator answers to exactly that.
	var raw string
	for _, r := range f.sim.Requests() {
		if r.Path == "/stats/usage" {
			if raw != "" && r.RawQuery != raw {
				t.Errorf("the two usage queries asked different ranges: %s and %s", raw, r.RawQuery)
			}
			raw = r.RawQuery
		}
		if r.Path == "/stats/usage_by_service" {
			t.Errorf("usage without services asked per service: %s?%s", r.Path, r.RawQuery)
		}
	}
	if raw == "" {
		t.Fatalf("the plugin never called /stats/usage; calls: %+v", f.sim.Requests())
	}
	params, _ := url.ParseQuery(raw)
	if params.Get("from") != strconv.FormatInt(from.Unix(), 10) || params.Get("to") != strconv.FormatInt(to.Unix(), 10) {
		t.Errorf("/stats/usage asked from=%s to=%s, want the panel's range %d..%d", params.Get("from"), params.Get("to"), from.Unix(), to.Unix())
	}
	var served struct {
		Data map[string]map[string]int64 `json:"data"`
	}
	f.simGet(t, "/stats/usage?"+raw, &served)
	if len(served.Data) == 0 {
		t.Fatalf("the simulator served no usage regions")
	}
	var servedRequests, servedBandwidth int64
	for region, u := range served.Data {
		u["all_requests"] = u["requests"] + u["compute_requests"]
		servedRequests += u["all_requests"]
		servedBandwidth += u["bandwidth"]
		i := slices.Index(regions.labels, region)
		if i < 0 {
			if u["all_requests"] != 0 || u["bandwidth"] != 0 {
				t.Errorf("region %s (%d requests) has no row", region, u["all_requests"])
			}
			continue
		}
		for _, m := range metrics {
			if got := regions.metrics[m][i]; got != u[m] {
				t.Errorf("%s of region %s = %d, /stats/usage served %d", m, region, got, u[m])
			}
		}
	}
	for _, region := range regions.labels {
		if _, ok := served.Data[region]; !ok {
			t.Errorf("row for region %q that /stats/usage did not serve", region)
		}
	}

	reqs, bw := sumInts(regions.metrics["all_requests"]), sumInts(regions.metrics["bandwidth"])
	if reqs == 0 || bw == 0 {
		t.Fatalf("usage over two days: %d requests, %d bytes: nothing to compare", reqs, bw)
	}
	if compute := sumInts(regions.metrics["compute_requests"]); compute == 0 || reqs != sumInts(regions.metrics["requests"])+compute {
		t.Errorf("Requests %d is not the VCL requests plus the %d Compute requests", reqs, compute)
	}
	if tr, tb := sumInts(sum.metrics["all_requests"]), sumInts(sum.metrics["bandwidth"]); tr != reqs || tb != bw {
		t.Errorf("regions add up to %d requests and %d bytes, the total query says %d and %d", reqs, bw, tr, tb)
	}
	if reqs != servedRequests || bw != servedBandwidth {
		t.Errorf("regions add up to %d requests and %d bytes, /stats/usage served %d and %d", reqs, bw, servedRequests, servedBandwidth)
	}

	// Independently of the usage endpoint: every service's daily stats records.
	var statsRequests int64
	for _, svc := range f.sim.Services() {
		for d := from; d.Before(to); d = d.Add(24 * time.Hour) {
			statsRequests += f.recordCount(t, svc.ID, "day", d, "requests") + f.recordCount(t, svc.ID, "day", d, "compute_requests")
		}
	}
	if reqs != statsRequests {
		t.Errorf("usage requests %d, the services' daily stats records add up to %d", reqs, statsRequests)
	}
	t.Logf("%d regions: %d requests, %d bytes", len(regions.labels), reqs, bw)
}

// servedEvent is one /events entry as the simulator served it.
type servedEvent struct {
	typ, service, desc string
	at                 time.Time
	version            float64
}

// simEvents lists every event of the given types in [from, to] straight from the simulator,
// following its pages.
func (f *fixture) simEvents(t *testing.T, from, to time.Time, types []string) map[string]servedEvent {
	t.Helper()
	out := map[string]servedEvent{}
	for _, typ := range types {
		for page := 1; ; page++ {
			q := url.Values{}
			q.Set("filter[event_type]", typ)
			q.Set("filter[created_at][gte]", from.UTC().Format(time.RFC3339))
			q.Set("filter[created_at][lte]", to.UTC().Format(time.RFC3339))
			q.Set("page[number]", strconv.Itoa(page))
			q.Set("page[size]", "100")
			var body struct {
				Data []struct {
					ID         string `json:"id"`
					Attributes struct {
						EventType   string         `json:"event_type"`
						ServiceID   string         `json:"service_id"`
						Description string         `json:"description"`
						CreatedAt   time.Time      `json:"created_at"`
						Metadata    map[string]any `json:"metadata"`
					} `json:"attributes"`
				} `json:"data"`
				Links struct {
					Next string `json:"next"`
				} `json:"links"`
			}
			f.simGet(t, "/events?"+q.Encode(), &body)
			for _, d := range body.Data {
				a := d.Attributes
				v, _ := num(a.Metadata["version"])
				out[d.ID] = servedEvent{typ: a.EventType, service: a.ServiceID, desc: a.Description, at: a.CreatedAt, version: v}
			}
			if body.Links.Next == "" || len(body.Data) == 0 {
				break
			}
		}
	}
	return out
}

// TestEventsAnnotations: an annotation query over the last 30 days for the whole account
// returns exactly the version and purge events the simulator holds in the range, newest
// first, with the annotation fields Grafana reads (time, title, text, tags).
func TestEventsAnnotations(t *testing.T) {
	f := newFixture(t)
	to := time.Now().UTC().Truncate(time.Second)
	from := to.Add(-30 * 24 * time.Hour)
	resp := f.p.queryData(t, f.cfg.pluginContext(), typedQuery("EV", "events", from, to, map[string]any{}))
	frames := okResponse(t, resp, "EV").Frames
	if len(frames) != 1 {
		t.Fatalf("events query gave %d frames, want 1", len(frames))
	}
	fr := frames[0]
	col := map[string]*data.Field{}
	for _, fl := range fr.Fields {
		col[fl.Name] = fl
	}
	for _, name := range []string{"time", "title", "text", "tags", "event_type", "service", "id"} {
		if col[name] == nil {
			t.Fatalf("events frame lacks the %q field: %v", name, fr.Fields)
		}
	}
	if col["time"].Type() != data.FieldTypeTime {
		t.Fatalf("events time field is %s", col["time"].Type())
	}

	want := f.simEvents(t, from, to, []string{"version.activate", "version.deactivate", "service.purge_all"})
	names := map[string]string{}
	for _, s := range f.sim.Services() {
		names[s.ID] = s.Name
	}
	seen := map[string]bool{}
	activations := 0
	var prev time.Time
	for i := 0; i < fr.Rows(); i++ {
		ts := col["time"].At(i).(time.Time)
		id := col["id"].At(i).(string)
		title, text := col["title"].At(i).(string), col["text"].At(i).(string)
		if ts.Before(from) || ts.After(to) {
			t.Errorf("event %s at %s is outside %s..%s", id, ts, from, to)
		}
		if i > 0 && ts.After(prev) {
			t.Errorf("event %d at %s is newer than the one before (%s): want newest first", i, ts, prev)
		}
		prev = ts
		if seen[id] {
			t.Errorf("event %s listed twice", id)
		}
		seen[id] = true
		w, ok := want[id]
		if !ok {
			t.Errorf("event %s (%s) was not served by the simulator for this range", id, title)
			continue
		}
		if !ts.Equal(w.at) || col["event_type"].At(i).(string) != w.typ || col["service"].At(i).(string) != w.service {
			t.Errorf("event %s = %s %s %s, the simulator served %s %s %s", id, ts, col["event_type"].At(i), col["service"].At(i), w.at, w.typ, w.service)
		}
		var tags []string
		if err := json.Unmarshal(col["tags"].At(i).(json.RawMessage), &tags); err != nil {
			t.Errorf("tags of %s are not a JSON list of strings: %v", id, err)
		}
		if !slices.Contains(tags, w.typ) || !slices.Contains(tags, names[w.service]) {
			t.Errorf("tags of %s = %v, want its type %s and service %s", id, tags, w.typ, names[w.service])
		}
		if !strings.Contains(text, names[w.service]) || !strings.Contains(text, title) {
			t.Errorf("text of %s = %q, want its title and service name %s", id, text, names[w.service])
		}
		switch w.typ {
		case "version.activate":
			activations++
			if wantTitle := fmt.Sprintf("Version %d activated", int(w.version)); title != wantTitle {
				t.Errorf("title of %s = %q, want %q (%s)", id, title, wantTitle, w.desc)
			}
		case "service.purge_all":
			if title != "Purged all content" {
				t.Errorf("title of purge %s = %q", id, title)
			}
		}
	}
	for id, w := range want {
		if !seen[id] {
			t.Errorf("the simulator served %s %s on %s at %s, the annotations lack it", id, w.typ, w.service, w.at)
		}
	}
	t.Logf("%d events (%d activations), the simulator served %d", fr.Rows(), activations, len(want))
	if activations == 0 {
		t.Errorf("no version.activate in 30 days of a busy account: %d events", fr.Rows())
	}
}
