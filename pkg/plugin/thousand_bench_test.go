//go:build unix

package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// thousandQuery is a 6-hour stats query over every service of the large account.
func thousandQuery(b *testing.B, extra map[string]any) backend.DataQuery {
	q := map[string]any{"queryType": "stats", "services": []string{"*"}, "metrics": []string{"requests"}, "groupBy": "service"}
	for k, v := range extra {
		q[k] = v
	}
	raw, err := json.Marshal(q)
	if err != nil {
		b.Fatal(err)
	}
	return backend.DataQuery{RefID: "A", QueryType: "stats", JSON: raw, MaxDataPoints: 1000, Interval: time.Minute,
		TimeRange: backend.TimeRange{From: simNow.Add(-6 * time.Hour), To: simNow}}
}

// BenchmarkThousandServices times, with nothing cached, what a large account (1,045 services:
// the simulator's 45 and 1,000 busy ones) asks of the plugin: the services picker, a 6-hour
// per-minute query of every service, and its top 10 with the rest as "other". Grafana gives a
// query 30 s by default.
func BenchmarkThousandServices(b *testing.B) {
	replay := &gzipReplay{sim: fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }, BusyServices: 1000}),
		gz: map[string][]byte{}, raw: map[string][]byte{}, header: map[string]http.Header{}}
	srv := httptest.NewServer(replay)
	b.Cleanup(srv.Close)
	cold := func() *Datasource {
		inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
			UID: "fastly-bench", JSONData: []byte(fmt.Sprintf(`{"apiUrl":%q,"realtimeUrl":%q}`, srv.URL, srv.URL)),
			DecryptedSecureJSONData: map[string]string{"apiToken": simToken},
		})
		if err != nil {
			b.Fatal(err)
		}
		ds := inst.(*Datasource)
		ds.now = func() time.Time { return simNow }
		return ds
	}
	picker := func() int {
		ds := cold()
		defer ds.Dispose()
		var got *backend.CallResourceResponse
		err := ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: "GET", Path: "services", URL: "services"},
			backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
		if err != nil || got == nil || got.Status != 200 {
			b.Fatal("services picker failed", err)
		}
		var list []any
		if err := json.Unmarshal(got.Body, &list); err != nil {
			b.Fatal(err)
		}
		return len(list)
	}
	query := func(q backend.DataQuery) int {
		ds := cold()
		defer ds.Dispose()
		resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{q}})
		if err != nil || resp.Responses["A"].Error != nil {
			b.Fatal(err, resp.Responses["A"].Error)
		}
		encodeAnswer(b, resp)
		return len(resp.Responses["A"].Frames)
	}
	all, top := thousandQuery(b, nil), thousandQuery(b, map[string]any{"top": 10})
	b.Logf("picker lists %d services; all services: %d series; top 10: %d series", picker(), query(all), query(top))
	_, gz, raw := replay.statsBodies()
	b.Logf("stats answers: %d gzipped bytes, %d plain bytes", sum(gz), sum(raw))

	b.Run("picker", func(b *testing.B) { loop(b, func() { picker() }) })
	b.Run("all_services", func(b *testing.B) { loop(b, func() { query(all) }) })
	b.Run("top_10", func(b *testing.B) { loop(b, func() { query(top) }) })
}
