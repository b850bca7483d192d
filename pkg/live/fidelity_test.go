package live

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// countField is each real-time product's request count, the value the fidelity tests follow.
var countField = map[fastly.RealtimeProduct]string{
	fastly.RealtimeChannel: "requests",
	fastly.RealtimeOrigins: "responses",
	fastly.RealtimeDomains: "edge_requests",
}

// simModes are the behaviours Fastly leaves undocumented, each of which the poller must get
// right: whether /ts/{T} repeats its boundary second, and whether the cursor follows the clock
// or only the newest record.
var simModes = []fastlysim.Config{{}, {RealtimeRepeatBoundary: true}, {RealtimeCursorOnRecords: true}, {RealtimeRepeatBoundary: true, RealtimeCursorOnRecords: true}}

func modeName(c fastlysim.Config) string {
	return fmt.Sprintf("repeat=%v,onRecords=%v", c.RealtimeRepeatBoundary, c.RealtimeCursorOnRecords)
}

// served is what the simulator holds for key now (its /ts/h answer), second by second, read
// without the hub: the reference the streamed seconds must equal.
func (e *simEnv) served(t *testing.T, key Key) (from, to int64, vals map[int64]float64) {
	t.Helper()
	field := countField[key.Product]
	f := fastly.NewRealtimeFields([]string{field})
	resp, err := e.client.Realtime(context.Background(), key.Product, key.Service, fastly.RealtimeHistory, f)
	require.NoError(t, err)
	vals = map[int64]float64{}
	for _, s := range resp.Seconds {
		vals[s.Recorded] = s.Aggregated.Values[0]
	}
	return resp.Timestamp - 119, resp.Timestamp - fastly.DefaultAggregateDelay, vals
}

// TestStreamEqualsServed follows a busy and a sparse service on every real-time product in
// every simulator mode: each streamed second must equal what the simulator served, with none
// lost, none doubled and no zero shown before its second was final.
func TestStreamEqualsServed(t *testing.T) {
	for _, product := range []fastly.RealtimeProduct{fastly.RealtimeChannel, fastly.RealtimeOrigins, fastly.RealtimeDomains} {
		for _, id := range []string{fastlysim.APIServiceID, fastlysim.SparseServiceID} {
			for _, mode := range simModes {
				t.Run(fmt.Sprintf("%s/%s/%s", product, id, modeName(mode)), func(t *testing.T) {
					e := newSimEnv(t, "sim-token", mode)
					key := Key{Product: product, Service: id}
					field := countField[product]
					after := simStart.Unix() - 30
					sub, err := e.hub.Subscribe(key, []string{field}, after)
					require.NoError(t, err)
					c := collect(t, sub)
					ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= simStart.Unix()+40 })
					sub.Close()
					first, vals := valuesOf(t, ups, field)
					assert.Equal(t, after+1, first, "the stream starts right after the second already shown")
					from, to, want := e.served(t, key)
					require.LessOrEqual(t, from, first, "the reference still covers the whole stream")
					nonzero := 0
					for i, v := range vals {
						s := first + int64(i)
						require.NotEqual(t, -1.0, v, "second %d lost", s)
						require.LessOrEqual(t, s, to, "second %d shown before Fastly had it", s)
						require.Equal(t, want[s], v, "second %d", s)
						if v > 0 {
							nonzero++
						}
					}
					assert.Positive(t, nonzero, "the service had traffic")
					if id == fastlysim.SparseServiceID {
						assert.Less(t, nonzero, len(vals)*3/4, "the sparse service has idle seconds")
					}
				})
			}
		}
	}
}

// TestOutagesPerProduct rides out a 60 s outage with nothing lost or repeated, and shows a
// 200 s one as a null gap, on every real-time product and in both boundary modes.
func TestOutagesPerProduct(t *testing.T) {
	for _, product := range []fastly.RealtimeProduct{fastly.RealtimeChannel, fastly.RealtimeOrigins, fastly.RealtimeDomains} {
		for _, mode := range simModes[:2] {
			for _, outage := range []time.Duration{60 * time.Second, 200 * time.Second} {
				t.Run(fmt.Sprintf("%s/%s/%s", product, modeName(mode), outage), func(t *testing.T) {
					e := newSimEnv(t, "sim-token", mode)
					outFrom, outTo := simStart.Add(10*time.Second), simStart.Add(10*time.Second+outage)
					e.down = func(now time.Time) int {
						if !now.Before(outFrom) && now.Before(outTo) {
							return http.StatusServiceUnavailable
						}
						return 0
					}
					key := Key{Product: product, Service: fastlysim.APIServiceID}
					field := countField[product]
					sub, err := e.hub.Subscribe(key, []string{field}, simStart.Unix()-15)
					require.NoError(t, err)
					c := collect(t, sub)
					ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= outTo.Unix() })
					sub.Close()
					first, vals := valuesOf(t, ups, field)
					_, _, want := e.served(t, key)
					lost, lostRuns, checked := 0, 0, 0
					for i, v := range vals {
						s := first + int64(i)
						if v == -1 {
							lost++
							if i == 0 || vals[i-1] != -1 {
								lostRuns++
							}
							continue
						}
						if w, ok := want[s]; ok || s > outTo.Unix()-100 {
							require.Equal(t, w, v, "second %d", s)
							checked++
						}
					}
					if outage < fastly.RealtimeRetention {
						assert.Zero(t, lost, "an outage under 120 s loses nothing")
					} else {
						assert.Equal(t, 1, lostRuns, "one gap")
						assert.InDelta(t, float64(outage-fastly.RealtimeRetention)/float64(time.Second), float64(lost), 12, "what Fastly no longer held")
					}
					assert.Greater(t, checked, 30)
				})
			}
		}
	}
}
