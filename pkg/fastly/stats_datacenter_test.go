package fastly

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStatsDatacenterGoesFieldByFieldAndIsCachedApart: a one-POP query sends the POP as
// `datacenter`, uses the per-field endpoints even for more fields than a panel would fetch that
// way, and its settled buckets are cached apart from the unfiltered ones: the POP's answer
// never stands in for the account's total, nor the other way round.
func TestStatsDatacenterGoesFieldByFieldAndIsCachedApart(t *testing.T) {
	f, c := newFake(t)
	var mu sync.Mutex
	var asked []string
	for _, field := range []string{"requests", "hits", "miss", "pass", "errors", "synth", "status_5xx", "status_4xx"} {
		f.handlers["/stats/service/svc1/field/"+field] = func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			asked = append(asked, r.URL.Path+"?"+r.URL.RawQuery)
			mu.Unlock()
			n, echo := 100, "" // the whole service
			if dc := r.URL.Query().Get("datacenter"); dc == "LHR" {
				n, echo = 7, `,"datacenter":"LHR"`
			}
			fmt.Fprintf(w, `{"status":"success","meta":{"from":"x","to":"y","by":"hour","region":"all"%s},"msg":null,"data":[{%q:%d,"service_id":"svc1","start_time":%s}]}`,
				echo, field, n, r.URL.Query().Get("from"))
		}
	}
	f.handlers["/stats/service/svc1"] = func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path+"?"+r.URL.RawQuery)
		mu.Unlock()
		assert.Empty(t, r.URL.Query().Get("datacenter"))
		fmt.Fprintf(w, `{"status":"success","meta":{"from":"x","to":"y","by":"hour","region":"all"},"msg":null,"data":[{"requests":100,"service_id":"svc1","start_time":%s}]}`,
			r.URL.Query().Get("from"))
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fields := []FieldSpec{{Name: "requests"}, {Name: "hits"}, {Name: "miss"}, {Name: "pass"}, {Name: "errors"}, {Name: "synth"}, {Name: "status_5xx"}, {Name: "status_4xx"}}
	q := StatsQuery{ServiceID: "svc1", Fields: fields, From: from, To: from.Add(time.Hour), By: "hour", Now: from.Add(48 * time.Hour)}

	lhr := q
	lhr.Datacenter = "LHR"
	assert.Equal(t, 8, POPStatsCalls(lhr), "one call per field for a range of one chunk")
	p, err := c.Stats(context.Background(), lhr)
	require.NoError(t, err)
	require.Len(t, asked, 8, "one call per field")
	sort.Strings(asked)
	assert.Equal(t, fmt.Sprintf("/stats/service/svc1/field/errors?by=hour&datacenter=LHR&from=%d&to=%d", from.Unix(), from.Add(time.Hour).Unix()), asked[0])
	assert.Equal(t, []int64{7}, p.Services[0].Columns[0].Ints)

	total, err := c.Stats(context.Background(), q)
	require.NoError(t, err)
	assert.Equal(t, []int64{100}, total.Services[0].Columns[0].Ints, "the POP's cached answer is not the total")
	again, err := c.Stats(context.Background(), lhr)
	require.NoError(t, err)
	assert.Equal(t, []int64{7}, again.Services[0].Columns[0].Ints)
	assert.Len(t, asked, 9, "the total is one whole-record call; the POP's second answer came from the cache")
}

// TestStatsDatacenterMustBeEchoed: a POP-filtered answer counts only when its meta echoes the
// POPs asked for, in any order; without the echo (an API version without the filter, or a
// region overriding it) it is a DatacenterIgnoredError. A query never sends region and
// datacenter together.
func TestStatsDatacenterMustBeEchoed(t *testing.T) {
	f, c := newFake(t)
	echo := ""
	calls := 0
	f.handlers["/stats/service/svc1/field/requests"] = func(w http.ResponseWriter, r *http.Request) {
		calls++
		fmt.Fprintf(w, `{"status":"success","meta":{"from":"x","to":"y","by":"hour","region":"all"%s},"msg":null,"data":[{"requests":5,"service_id":"svc1","start_time":%s}]}`,
			echo, r.URL.Query().Get("from"))
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	q := StatsQuery{ServiceID: "svc1", Fields: []FieldSpec{{Name: "requests"}}, From: from, To: from.Add(time.Hour), By: "hour",
		Now: from.Add(2 * time.Hour), Datacenter: "LHR,AMS"}
	for _, e := range []string{"", `,"datacenter":null`, `,"datacenter":"LHR"`} {
		echo = e
		_, err := c.Stats(context.Background(), q)
		var ignored *DatacenterIgnoredError
		require.ErrorAs(t, err, &ignored, "meta%s", e)
		assert.Equal(t, "LHR,AMS", ignored.Sent)
	}
	assert.EqualError(t, func() error { _, err := c.Stats(context.Background(), q); return err }(),
		"Fastly did not filter /stats/service/svc1/field/requests by POP: asked for LHR,AMS, its answer's meta names datacenter LHR")
	echo = `,"datacenter":"AMS,LHR"`
	p, err := c.Stats(context.Background(), q)
	require.NoError(t, err, "the same POPs in another order")
	assert.Equal(t, []int64{5}, p.Services[0].Columns[0].Ints)

	before := calls
	q.Region = "europe"
	_, err = c.Stats(context.Background(), q)
	assert.ErrorIs(t, err, errRegionAndDatacenter)
	assert.Equal(t, before, calls, "refused before any call")
}
