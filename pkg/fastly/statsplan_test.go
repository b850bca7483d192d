package fastly

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func specsNamed(names ...string) []FieldSpec {
	out := make([]FieldSpec, len(names))
	for i, n := range names {
		out[i] = FieldSpec{Name: n}
	}
	return out
}

func TestFewFieldsAreAskedOneCallPerFieldAndJoined(t *testing.T) {
	f, c := newFake(t)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for k, name := range []string{"requests", "hits", "miss"} {
		f.handlers["/stats/service/svc1/field/"+name] = func(w http.ResponseWriter, _ *http.Request) {
			// Fastly leaves out buckets without traffic: hits has no record for the second minute.
			second := fmt.Sprintf(`,{"%s":%d,"service_id":"svc1","start_time":%d}`, name, 20+k, from.Unix()+60)
			if name == "hits" {
				second = ""
			}
			fmt.Fprintf(w, `{"status":"success","meta":{},"msg":null,"data":[{"%s":%d,"service_id":"svc1","start_time":%d}%s]}`,
				name, 10+k, from.Unix(), second)
		}
	}
	p, err := c.Stats(context.Background(), StatsQuery{ServiceID: "svc1", Fields: specsNamed("requests", "hits", "miss"), From: from, To: from.Add(2 * time.Minute), By: "minute"})
	require.NoError(t, err)
	assert.Len(t, f.asked(), 3, "one call per field, no whole records")
	require.Len(t, p.Services, 1)
	s := p.Services[0]
	assert.Equal(t, []int64{from.Unix(), from.Unix() + 60}, s.StartTimes)
	assert.Equal(t, []int64{10, 20}, s.Columns[0].Ints)
	assert.Equal(t, []int64{11, 0}, s.Columns[1].Ints, "a bucket a field's answer lacks is 0 for it, as a missing key is")
	assert.Equal(t, []int64{12, 22}, s.Columns[2].Ints)
}

func TestManyFieldsAreAskedAsWholeRecords(t *testing.T) {
	f, c := newFake(t)
	var mu sync.Mutex
	var asked []string
	f.handlers["/stats/service/svc1"] = minuteRecords(&mu, &asked)
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fields := specsNamed("requests", "hits", "miss", "pass", "errors", "status_5xx", "bandwidth")
	require.Greater(t, len(fields), maxFieldCalls)
	p, err := c.Stats(context.Background(), StatsQuery{ServiceID: "svc1", Fields: fields, From: from, To: from.Add(time.Hour), By: "minute"})
	require.NoError(t, err)
	assert.Len(t, asked, 1, "seven fields: one whole-record call, not seven")
	require.Len(t, p.Services[0].StartTimes, 60)
	assert.Equal(t, from.Unix()/60, p.Services[0].Columns[0].Ints[0])
}

func TestStatsCallsInFlightAreBounded(t *testing.T) {
	f, c := newFake(t)
	release := make(chan struct{})
	var mu sync.Mutex
	inFlight, most := 0, 0
	var asked []string
	records := minuteRecords(&mu, &asked)
	handler := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		<-release
		records(w, r)
		mu.Lock()
		inFlight--
		mu.Unlock()
	}
	fields := specsNamed("requests", "hits", "miss", "pass", "errors", "status_5xx")
	for _, fs := range fields {
		f.handlers["/stats/service/svc1/field/"+fs.Name] = handler
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	done := make(chan error, 1)
	go func() {
		// Six fields over four days of minutes: 24 calls wanted at once.
		_, err := c.Stats(context.Background(), StatsQuery{ServiceID: "svc1", Fields: fields, From: from, To: from.Add(96 * time.Hour), By: "minute"})
		done <- err
	}()
	for {
		mu.Lock()
		n := inFlight
		mu.Unlock()
		if n == DefaultMaxConcurrent {
			break
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	require.NoError(t, <-done)
	assert.Equal(t, DefaultMaxConcurrent, most, "never more calls in flight than the client's slots")
	assert.Len(t, asked, 24)
}
