package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// logRange is a settled half hour: minutes older than two are final in the simulator, so the
// sampled records cannot change under the test.
func logRange() (time.Time, time.Time) {
	to := time.Now().UTC().Truncate(time.Minute).Add(-10 * time.Minute)
	return to.Add(-30 * time.Minute), to
}

func TestInsightsTopURLsThroughThePlugin(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	from, to := logRange()
	resp := f.p.queryData(t, pc, typedQuery("A", "insights", from, to, map[string]any{
		"services": []string{fastlysim.ShopServiceID}, "insight": "top-url-by-requests", "limit": 10,
	}))
	r := resp.Responses["A"]
	if r.Error != nil {
		t.Fatalf("insights query failed: %v", r.Error)
	}
	frame := r.Frames[0]
	if frame.Meta == nil || frame.Meta.Type != data.FrameTypeNumericLong {
		t.Fatalf("want a numeric-long table, got %+v", frame.Meta)
	}
	if frame.Fields[0].Name != "url" || frame.Fields[0].Config.DisplayNameFromDS != "URL" || frame.Rows() != 10 {
		t.Fatalf("want 10 URLs in the first column, got %s with %d rows", frame.Fields[0].Name, frame.Rows())
	}
	if got := frame.Fields[1].Config.DisplayNameFromDS; got != "Share of requests" {
		t.Errorf("second column is %q, want Share of requests", got)
	}

	// The same ranking as the simulator serves it, row for row.
	var truth struct {
		Data []struct {
			Dimensions map[string]string    `json:"dimensions"`
			Values     []map[string]float64 `json:"values"`
		} `json:"data"`
	}
	f.simGet(t, "/observability/log-insights?"+url.Values{
		"visualization": {"top-url-by-requests"}, "service_id": {fastlysim.ShopServiceID}, "limit": {"10"},
		"start": {from.Format(time.RFC3339)}, "end": {to.Format(time.RFC3339)},
	}.Encode(), &truth)
	for i, row := range truth.Data {
		if got := frame.Fields[0].At(i).(string); got != row.Dimensions["url"] {
			t.Errorf("row %d: URL %q, the simulator ranks %q", i, got, row.Dimensions["url"])
		}
		if got := *frame.Fields[1].At(i).(*float64); got != row.Values[0]["request_percentage"] {
			t.Errorf("row %d: share %v, the simulator sent %v", i, got, row.Values[0]["request_percentage"])
		}
	}

	bad := f.p.queryData(t, pc, typedQuery("B", "insights", from, to, map[string]any{
		"services": []string{fastlysim.ShopServiceID}, "insight": "top-pages",
	})).Responses["B"]
	if bad.Error == nil || bad.Status != http.StatusBadRequest {
		t.Fatalf("an unknown ranking must fail with 400, got %v %v", bad.Status, bad.Error)
	}
	assertNoToken(t, "the unknown-ranking error", bad.Error.Error())

	off := f.p.queryData(t, pc, typedQuery("C", "insights", from, to, map[string]any{
		"services": []string{fastlysim.ComputeServiceID},
	})).Responses["C"]
	if off.Error == nil {
		t.Fatal("a service without Log Explorer & Insights must say so, not answer empty")
	}
}

func TestLogsAndLogSeriesThroughThePlugin(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	from, to := logRange()
	resp := f.p.queryData(t, pc,
		typedQuery("A", "logs", from, to, map[string]any{
			"services": []string{fastlysim.ShopServiceID}, "limit": 150,
			"filters": []map[string]string{{"field": "is_cache_hit", "op": "eq", "value": "false"}},
		}),
		typedQuery("B", "logseries", from, to, map[string]any{
			"services": []string{fastlysim.ShopServiceID}, "dimension": "request_path", "limit": 10,
		}),
	)
	logs := resp.Responses["A"]
	if logs.Error != nil {
		t.Fatalf("logs query failed: %v", logs.Error)
	}
	frame := logs.Frames[0]
	if frame.Meta.Type != data.FrameTypeLogLines || frame.Rows() != 150 {
		t.Fatalf("want 150 lines in a log-lines frame, got %d (%s)", frame.Rows(), frame.Meta.Type)
	}
	var labels map[string]string
	if err := json.Unmarshal(frame.Fields[4].At(0).(json.RawMessage), &labels); err != nil {
		t.Fatal(err)
	}
	if labels["cache_state"] == "HIT" || labels["pop"] == "" || labels["status"] == "" {
		t.Errorf("labels of a filtered miss: %v", labels)
	}

	series := resp.Responses["B"]
	if series.Error != nil {
		t.Fatalf("logseries query failed: %v", series.Error)
	}
	if len(series.Frames) != 10 {
		t.Fatalf("want the top 10 URLs, got %d series", len(series.Frames))
	}
	// Each series is, minute by minute, the average response time the simulator's time series
	// sends for the URL, asked as the current reference has it: the service chosen by filtering
	// its log field service_id. A minute without records is unknown (null), never 0.
	var truth struct {
		Data []struct {
			Dimensions map[string]string  `json:"dimensions"`
			Values     map[string]float64 `json:"values"`
		} `json:"data"`
	}
	const avg = "avg[response_time]"
	f.simGet(t, "/observability/timeseries?"+url.Values{
		"source": {"logs"}, "granularity": {"minute"}, "series": {avg},
		"dimensions": {"service_id,request_path"}, "filter[service_id]": {fastlysim.ShopServiceID},
		"from": {from.Format(time.RFC3339)}, "to": {to.Format(time.RFC3339)},
	}.Encode(), &truth)
	want := map[string]float64{}
	for _, row := range truth.Data {
		want[row.Dimensions["request_path"]+"@"+row.Dimensions["time"]] = row.Values[avg]
	}
	known := 0
	for _, fr := range series.Frames {
		path := fr.Fields[1].Labels["request_path"]
		for i := 0; i < fr.Rows(); i++ {
			at := fr.Fields[0].At(i).(time.Time).UTC().Format(time.RFC3339)
			got := fr.Fields[1].At(i).(*float64)
			w, ok := want[path+"@"+at]
			switch {
			case !ok && got != nil:
				t.Errorf("%s at %s: plugin %v, simulator sent no records", path, at, *got)
			case ok && (got == nil || *got != w):
				t.Errorf("%s at %s: plugin %v, simulator %v", path, at, got, w)
			case ok:
				known++
			}
		}
	}
	if known == 0 {
		t.Fatal("no minute of the top URLs had a known average to compare")
	}
}

func TestLogsCatalogAndOldRangesThroughThePlugin(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	reply := f.p.callResource(t, pc, http.MethodGet, "logs-catalog")
	var cat struct {
		Rankings []struct{ Name, Description string } `json:"rankings"`
	}
	if reply.Status != http.StatusOK || json.Unmarshal(reply.Body, &cat) != nil || len(cat.Rankings) != 15 {
		t.Fatalf("logs-catalog: %d %s", reply.Status, reply.Body)
	}
	old := time.Now().Add(-10 * 24 * time.Hour)
	r := f.p.queryData(t, pc, typedQuery("A", "logs", old, old.Add(time.Hour), map[string]any{
		"services": []string{fastlysim.ShopServiceID},
	})).Responses["A"]
	if r.Error != nil || len(r.Frames) != 1 || len(r.Frames[0].Meta.Notices) != 1 {
		t.Fatalf("a range older than 7 days answers a notice, got %v %+v", r.Error, r.Frames)
	}
	if n := r.Frames[0].Meta.Notices[0]; n.Severity != data.NoticeSeverityWarning {
		t.Errorf("notice severity %v: %s", n.Severity, n.Text)
	}
}
