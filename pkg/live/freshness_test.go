package live

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestLateDataIsAnnouncedOnce: when Fastly answers but its data stops moving for 70 s, the
// stream says once how far behind Fastly is, says once when it has caught up, and the late
// seconds then arrive with their real values, none shown early as zero.
func TestLateDataIsAnnouncedOnce(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	lagFrom, lagTo := simStart.Add(5*time.Second), simStart.Add(75*time.Second)
	e.stall = func(now time.Time) bool { return !now.Before(lagFrom) && now.Before(lagTo) }
	sub, err := e.hub.Subscribe(shop, []string{"requests"}, simStart.Unix()-15)
	require.NoError(t, err)
	c := collect(t, sub)
	ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= lagTo.Unix() })
	var behind, caughtUp []string
	for _, u := range ups {
		switch {
		case u.Notice.Good:
			caughtUp = append(caughtUp, u.Notice.Text)
		case u.Notice.Text != "":
			behind = append(behind, u.Notice.Text)
		}
	}
	require.Len(t, behind, 1, "one notice while Fastly is late: %q", behind)
	assert.Regexp(t, `^Fastly's real-time data is \d+s behind: the newest complete second is \d\d:\d\d:\d\d UTC`, behind[0])
	assert.Equal(t, []string{"Fastly's real-time data has caught up."}, caughtUp)
	first, vals := requestsOf(t, ups)
	for i, v := range vals {
		s := first + int64(i)
		require.Equal(t, simRequests(e.sim, fastlysim.ShopServiceID, s), v, "second %d", s)
	}
}

// TestPanelsOpeningTogetherCostOneExtraRequest opens ten panels with different metrics on one
// service at once (each a window query, then a stream): the poller widens its field set with
// at most one request more per second than it would make anyway.
func TestPanelsOpeningTogetherCostOneExtraRequest(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	metrics := []string{"requests", "hits", "miss", "pass", "status_5xx", "status_4xx", "resp_body_bytes", "miss_histogram", "errors", "synth"}
	var wg sync.WaitGroup
	cols := make([]*collector, len(metrics))
	for i, m := range metrics {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := e.hub.Window(context.Background(), shop, []string{m})
			if !assert.NoError(t, err) {
				return
			}
			assert.True(t, covers(b.Fields, []string{m}), "the window of panel %d has its metric", i)
			sub, err := e.hub.Subscribe(shop, []string{m}, b.To)
			if assert.NoError(t, err) {
				cols[i] = collect(t, sub)
			}
		}()
	}
	wg.Wait()
	require.NotContains(t, cols, (*collector)(nil))
	start := e.clock.Now()
	for _, c := range cols {
		c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= start.Unix()-5 })
	}
	reqs := e.requests()
	var worst []string
	for i, r := range reqs {
		n := 0
		for _, q := range reqs[i:] {
			if q.Sub(r) < time.Second {
				n++
			}
		}
		if n > 2 {
			worst = append(worst, fmt.Sprintf("%d requests from %s", n, r.Format("15:04:05.000")))
		}
	}
	assert.Empty(t, worst, "at most one request per second beyond the poll itself; all: %s", strings.Join(fmtTimes(reqs), " "))
}

func fmtTimes(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Format("05.000")
	}
	return out
}
