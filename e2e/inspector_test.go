package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// typedQuery is one Grafana query of any type over [from, to).
func typedQuery(refID, queryType string, from, to time.Time, model map[string]any) backend.DataQuery {
	model["queryType"] = queryType
	body, _ := json.Marshal(model)
	return backend.DataQuery{
		RefID: refID, QueryType: queryType, JSON: body,
		TimeRange: backend.TimeRange{From: from, To: to}, Interval: time.Minute, MaxDataPoints: 1000,
	}
}

// originLatencyBuckets are Origin Inspector's latency fields with their bounds in ms (the
// last bucket is open-ended), as the simulator serves them.
var originLatencyBuckets = []struct {
	field  string
	lo, hi float64
}{
	{"latency_0_to_1ms", 0, 1}, {"latency_1_to_5ms", 1, 5}, {"latency_5_to_10ms", 5, 10},
	{"latency_10_to_50ms", 10, 50}, {"latency_50_to_100ms", 50, 100}, {"latency_100_to_250ms", 100, 250},
	{"latency_250_to_500ms", 250, 500}, {"latency_500_to_1000ms", 500, 1000}, {"latency_1000_to_5000ms", 1000, 5000},
	{"latency_5000_to_10000ms", 5000, 10000}, {"latency_10000_to_60000ms", 10000, 60000}, {"latency_60000ms", 60000, math.Inf(1)},
}

// inspectorTruth is what the simulator's inspector endpoint serves: dimension value (origin
// host or domain) -> bucket start -> metric -> value. Absent metrics were not sent.
type inspectorTruth map[string]map[int64]map[string]float64

// simInspector reads /metrics/{product}/services/{id} from the simulator directly, grouped by
// the product's own dimension, at most ten metrics per call as the API demands.
func (f *fixture) simInspector(t *testing.T, product, dim, id string, from, to time.Time, down string, metrics []string) inspectorTruth {
	t.Helper()
	out := inspectorTruth{}
	for start := 0; start < len(metrics); start += 10 {
		part := metrics[start:min(start+10, len(metrics))]
		q := url.Values{}
		q.Set("start", strconv.FormatInt(from.Unix(), 10))
		q.Set("end", strconv.FormatInt(to.Unix(), 10))
		q.Set("downsample", down)
		q.Set("metric", strings.Join(part, ","))
		q.Set("group_by", dim)
		q.Set("limit", "200")
		var page struct {
			Data []struct {
				Dimensions map[string]string `json:"dimensions"`
				Values     []map[string]any  `json:"values"`
			} `json:"data"`
			Meta struct {
				NextCursor string `json:"next_cursor"`
			} `json:"meta"`
		}
		f.simGet(t, "/metrics/"+product+"/services/"+id+"?"+q.Encode(), &page)
		if page.Meta.NextCursor != "" {
			t.Fatalf("the simulator paged an answer of %d series: the truth would be incomplete", len(page.Data))
		}
		for _, s := range page.Data {
			name := s.Dimensions[dim]
			if out[name] == nil {
				out[name] = map[int64]map[string]float64{}
			}
			for _, v := range s.Values {
				ts, _ := num(v["timestamp"])
				b := out[name][int64(ts)]
				if b == nil {
					b = map[string]float64{}
					out[name][int64(ts)] = b
				}
				for k, raw := range v {
					if x, ok := num(raw); ok && k != "timestamp" {
						b[k] = x
					}
				}
			}
		}
	}
	return out
}

// TestOriginsByOrigin is an Origin Inspector panel split by origin: one labelled series per
// origin and metric; every bucket's responses are the simulator's for that origin, the origins
// add up to the service's backend fetches in its stats record, and the p95 latency lies in the
// histogram bucket that holds the 95th percentile of what was served.
func TestOriginsByOrigin(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	id := fastlysim.ShopServiceID
	resp := f.p.queryData(t, f.cfg.pluginContext(), typedQuery("OI", "origins", from, to, map[string]any{
		"services": []string{id}, "metrics": []string{"responses", "origin_latency_p95"},
		"groupBy": "origin", "resolution": "minute",
	}))
	frames := okResponse(t, resp, "OI").Frames

	latencyFields := make([]string, len(originLatencyBuckets))
	for i, b := range originLatencyBuckets {
		latencyFields[i] = b.field
	}
	truth := f.simInspector(t, "origins", "host", id, from, to, "minute", append([]string{"responses"}, latencyFields...))
	if len(truth) < 2 {
		t.Fatalf("the simulator served %d origins for the shop: grouping by origin is not exercised", len(truth))
	}

	got := map[string]map[string]series{} // metric -> origin -> series
	for _, fr := range frames {
		s := readSeries(t, fr)
		l := s.labels()
		if l["service"] != id || l["service_name"] != "www.example-shop.com" || l["origin"] == "" {
			t.Errorf("frame %q labels = %v, want service %s, its name and an origin", fr.Name, l, id)
		}
		if got[l["metric"]] == nil {
			got[l["metric"]] = map[string]series{}
		}
		if _, dup := got[l["metric"]][l["origin"]]; dup {
			t.Errorf("two %s series for origin %s", l["metric"], l["origin"])
		}
		got[l["metric"]][l["origin"]] = s
	}
	for _, metric := range []string{"responses", "origin_latency_p95"} {
		var names []string
		for o := range got[metric] {
			names = append(names, o)
		}
		var want []string
		for o := range truth {
			want = append(want, o)
		}
		slices.Sort(names)
		slices.Sort(want)
		if !slices.Equal(names, want) {
			t.Errorf("%s series are for origins %v, the simulator served %v", metric, names, want)
		}
	}
	if len(got["responses"]) == 0 || len(got["origin_latency_p95"]) == 0 {
		t.Fatalf("missing responses or origin_latency_p95 series: got metrics %v", keys(got))
	}

	// Every bucket: per origin, what the simulator served; over origins, the service total.
	busy := 0
	for m := 0; m < 60; m++ {
		bucket := from.Add(time.Duration(m) * time.Minute)
		var sum float64
		for origin, s := range got["responses"] {
			s.checkGrid(t, from, time.Minute, 60)
			v := s.values[m]
			want := truth[origin][bucket.Unix()]["responses"]
			if v == nil || *v != want {
				t.Errorf("responses of %s at %s = %v, the simulator served %v", origin, bucket.Format("15:04"), deref(v), want)
				continue
			}
			sum += *v
		}
		total := f.recordCount(t, id, "minute", bucket, "origin_fetches")
		if int64(sum) != total {
			t.Errorf("responses at %s add up to %v over origins, the service's stats record has %d origin fetches", bucket.Format("15:04"), sum, total)
		}
		if total > 0 {
			busy++
		}
	}
	if busy < 50 {
		t.Fatalf("only %d of 60 minutes had origin traffic: the sums prove little", busy)
	}

	// origin_latency_p95 is in ms and falls in the bucket that holds the 95th percentile.
	checked := 0
	for origin, s := range got["origin_latency_p95"] {
		if u := s.unit(); u != "ms" {
			t.Errorf("origin_latency_p95 of %s has unit %q, want ms", origin, u)
		}
		s.checkGrid(t, from, time.Minute, 60)
		for m, ts := range s.times {
			b := truth[origin][ts.Unix()]
			var total float64
			for _, lb := range originLatencyBuckets {
				total += b[lb.field]
			}
			v := s.values[m]
			if total == 0 {
				if v != nil {
					t.Errorf("p95 of %s at %s = %v without any response, want null", origin, ts.Format("15:04"), *v)
				}
				continue
			}
			if v == nil {
				t.Errorf("p95 of %s at %s is null, the simulator served %v responses in its histogram", origin, ts.Format("15:04"), total)
				continue
			}
			var seen float64
			for _, lb := range originLatencyBuckets {
				n := b[lb.field]
				if n <= 0 {
					continue
				}
				if seen+n >= 0.95*total {
					if *v < lb.lo || *v > lb.hi || (math.IsInf(lb.hi, 1) && *v != lb.lo) {
						t.Errorf("p95 of %s at %s = %v ms, the 95th percentile of what was served is in %s (%v..%v ms)", origin, ts.Format("15:04"), *v, lb.field, lb.lo, lb.hi)
					}
					break
				}
				seen += n
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d p95 values could be checked", checked)
	}
	t.Logf("%d origins, %d busy minutes summed, %d p95 values checked", len(truth), busy, checked)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestDomainsNotEnabled: Domain Inspector is a paid, per-service product. Asking for a service
// without it fails the query with how to enable it, as the user's problem (400, downstream),
// without asking Fastly for metrics it has not got. With All services, those without it are
// left out and named in a notice.
func TestDomainsNotEnabled(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	id := fastlysim.StaticServiceID
	f.simGet(t, "/enabled-products/v1/domain_inspector/services/"+fastlysim.ShopServiceID, &map[string]any{})
	if st := f.simStatus(t, "/enabled-products/v1/domain_inspector/services/"+id); st != http.StatusBadRequest {
		t.Fatalf("the simulator answers %d for Domain Inspector on %s: the test needs a service without it", st, id)
	}
	f.sim.ResetRequests()

	resp := f.p.queryData(t, f.cfg.pluginContext(), typedQuery("DI", "domains", from, to, map[string]any{
		"services": []string{id}, "metrics": []string{"edge_requests"}, "resolution": "minute",
	}))
	msg := failedResponse(t, resp, "DI", backend.StatusBadRequest)
	wantContains(t, "disabled-product error", msg,
		"Domain Inspector is not enabled", id, "enable it in the Fastly web interface",
		"PUT /enabled-products/v1/domain_inspector/services/"+id)
	if src := resp.Responses["DI"].ErrorSource; src != backend.ErrorSourceDownstream {
		t.Errorf("disabled-product error source = %q, want downstream", src)
	}
	checked := false
	for _, r := range f.sim.Requests() {
		if strings.HasPrefix(r.Path, "/metrics/") {
			t.Errorf("the plugin asked for metrics of a service without the product: %s?%s", r.Path, r.RawQuery)
		}
		checked = checked || r.Path == "/enabled-products/v1/domain_inspector/services/"+id
	}
	if !checked {
		t.Errorf("the plugin never asked Fastly whether Domain Inspector is enabled; calls: %+v", f.sim.Requests())
	}

	// All services, by service: only the services with the product get series.
	resp = f.p.queryData(t, f.cfg.pluginContext(), typedQuery("ALL", "domains", from, to, map[string]any{
		"services": []string{"*"}, "metrics": []string{"edge_requests"}, "groupBy": "service", "resolution": "minute",
	}))
	r := okResponse(t, resp, "ALL")
	var services []string
	for _, fr := range r.Frames {
		s := readSeries(t, fr)
		services = append(services, s.labels()["service"])
		var want int64
		for _, ts := range s.times {
			want += f.recordCount(t, s.labels()["service"], "minute", ts, "requests")
		}
		if int64(s.sum()) != want {
			t.Errorf("edge_requests of %s add up to %v over the hour, its stats records to %d", s.labels()["service"], s.sum(), want)
		}
	}
	slices.Sort(services)
	want := []string{fastlysim.APIServiceID, fastlysim.ShopServiceID, fastlysim.SparseServiceID}
	slices.Sort(want)
	if !slices.Equal(services, want) {
		t.Errorf("All services by service gave series for %v, want only the services with Domain Inspector %v", services, want)
	}
	all := len(f.sim.Services())
	wantNotice := fmt.Sprintf("%d of %d services do not have Domain Inspector enabled", all-len(want), all)
	found := false
	for _, fr := range r.Frames {
		if fr.Meta == nil {
			continue
		}
		for _, n := range fr.Meta.Notices {
			found = found || strings.Contains(n.Text, wantNotice)
		}
	}
	if !found {
		t.Errorf("no notice saying %q", wantNotice)
	}
}

// simStatus is the HTTP status the simulator answers a GET with.
func (f *fixture) simStatus(t *testing.T, path string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, f.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Fastly-Key", simToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s from the simulator: %v", path, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestResourceInspectorNames checks the origin and domain pickers: the names the simulator
// served for the last hour, sorted; a missing service and a service without the product are
// JSON errors that say what to do.
func TestResourceInspectorNames(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	id := fastlysim.ShopServiceID

	r := f.p.callResource(t, pc, http.MethodGet, "origins?service="+id)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /origins?service=%s: status %d: %s", id, r.Status, r.Body)
	}
	origins := decode[[]string](t, r)
	end := time.Now().UTC().Truncate(time.Minute)
	start := end.Truncate(time.Hour).Add(-time.Hour) // the previous and the current hour
	truth := f.simInspector(t, "origins", "host", id, start, end, "hour", []string{"responses"})
	if want := keys(truth); len(want) == 0 || !slices.Equal(origins, want) {
		t.Errorf("GET /origins = %v, the simulator served origins %v", origins, want)
	}
	if len(origins) == 0 || !slices.IsSorted(origins) {
		t.Errorf("GET /origins = %v: want a non-empty sorted list", origins)
	}

	r = f.p.callResource(t, pc, http.MethodGet, "domains?service="+id)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /domains?service=%s: status %d: %s", id, r.Status, r.Body)
	}
	domains := decode[[]string](t, r)
	dtruth := f.simInspector(t, "domains", "domain", id, start, end, "hour", []string{"edge_requests"})
	if want := keys(dtruth); len(want) == 0 || !slices.Equal(domains, want) {
		t.Errorf("GET /domains = %v, the simulator served domains %v", domains, want)
	}

	r = f.p.callResource(t, pc, http.MethodGet, "origins")
	if r.Status != http.StatusBadRequest {
		t.Errorf("GET /origins without a service: status %d, want 400: %s", r.Status, r.Body)
	}
	wantContains(t, "/origins error", errorText(t, r), "?service=")

	static := fastlysim.StaticServiceID
	r = f.p.callResource(t, pc, http.MethodGet, "domains?service="+static)
	if r.Status != http.StatusBadRequest {
		t.Errorf("GET /domains for a service without Domain Inspector: status %d, want 400: %s", r.Status, r.Body)
	}
	msg := errorText(t, r)
	wantContains(t, "/domains error", msg, "Domain Inspector is not enabled", static,
		"enable it in the Fastly web interface", "PUT /enabled-products/v1/domain_inspector/services/"+static)
	assertNoToken(t, "/domains error", string(r.Body))
}

// assertFrameType fails unless fr has the data-plane type want.
func assertFrameType(t *testing.T, fr *data.Frame, want data.FrameType) {
	t.Helper()
	if fr.Meta == nil || fr.Meta.Type != want {
		t.Fatalf("frame %q: meta %+v, want type %s", fr.Name, fr.Meta, want)
	}
}
