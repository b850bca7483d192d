package fastlysim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The real-time simulator is checked against the invariants of real rt.fastly.com answers
// (pkg/fastly/testdata/realtime_channel_one_second.json, realtime_channel_no_data.json), and the checker
// itself is run on those answers first, so a wrong belief cannot hide in both.

var popCode = regexp.MustCompile(`^[A-Z]{3}$`)

// checkRealtimeAnswer asserts what every real answer shows: the envelope's keys, entries of
// {recorded, aggregated, datacenter} in ascending seconds, known field names only, POP codes
// as keys, aggregated = the sum of the POPs (which field names appear is TestRealtimeShape's), and the cursor AggregateDelay (9) seconds ahead
// of the newest record. cursorExact is false where the newest second may be idle (the cursor
// then runs on the clock, ahead of the newest record).
func checkRealtimeAnswer(t *testing.T, body []byte, cursorExact bool) {
	t.Helper()
	var env map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &env))
	keys := keysOf(env)
	var a struct {
		Timestamp      int64
		AggregateDelay int64
		Error          string
		Data           []map[string]json.RawMessage
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	require.NoError(t, d.Decode(&a))
	if len(a.Data) == 0 {
		assert.Equal(t, []string{"AggregateDelay", "Data", "Error", "Timestamp"}, keys)
		assert.Equal(t, noDataError, a.Error)
	} else {
		assert.Equal(t, []string{"AggregateDelay", "Data", "Timestamp"}, keys)
	}
	assert.EqualValues(t, 9, a.AggregateDelay)
	var newest int64
	for _, e := range a.Data {
		assert.Equal(t, []string{"aggregated", "datacenter", "recorded"}, keysOf(e))
		var rec int64
		require.NoError(t, json.Unmarshal(e["recorded"], &rec))
		assert.Greater(t, rec, newest, "entries ascend, one per second")
		newest = rec
		var agg map[string]any
		var dc map[string]map[string]any
		require.NoError(t, json.Unmarshal(e["aggregated"], &agg))
		require.NoError(t, json.Unmarshal(e["datacenter"], &dc))
		require.NotEmpty(t, dc, "a second without traffic is left out, not sent empty")
		sum := map[string]float64{}
		for pop, m := range dc {
			assert.Regexp(t, popCode, pop)
			for k, v := range m {
				if f, ok := v.(float64); ok {
					sum[k] += f
				}
			}
		}
		for k, v := range agg {
			if f, ok := v.(float64); ok {
				assert.InDelta(t, sum[k], f, 1e-6*max(1, f), "aggregated %s is the sum of the POPs", k)
			}
		}
	}
	switch {
	case len(a.Data) > 0 && cursorExact:
		assert.Equal(t, newest+a.AggregateDelay, a.Timestamp, "Timestamp = newest recorded + AggregateDelay")
	case len(a.Data) > 0:
		assert.GreaterOrEqual(t, a.Timestamp, newest+a.AggregateDelay, "the cursor never trails the data")
	}
}

func TestRealtimeFidelityCheckerOnRealAnswers(t *testing.T) {
	for _, name := range []string{"realtime_channel_one_second.json", "realtime_channel_no_data.json"} {
		var raw json.RawMessage
		fixture(t, name, &raw)
		checkRealtimeAnswer(t, raw, true)
	}
}

// TestRealtimeFidelity checks busy and sparse services, every endpoint form and every
// undocumented-behaviour switch against the real answers' invariants.
func TestRealtimeFidelity(t *testing.T) {
	for _, mode := range []Config{{}, {RealtimeRepeatBoundary: true}, {RealtimeCursorOnRecords: true}} {
		for _, c := range []struct {
			name string
			id   string
			at   time.Time
		}{{"busy", ShopServiceID, testNow}, {"sparse", SparseServiceID, testNow}, {"idle", IdleServiceID, testNow}} {
			t.Run(fmt.Sprintf("%s repeat=%v onRecords=%v", c.name, mode.RealtimeRepeatBoundary, mode.RealtimeCursorOnRecords), func(t *testing.T) {
				clock := &fakeClock{t: c.at}
				mode.Now, mode.After = clock.Now, clock.step
				h := newHarness(t, mode)
				exact := c.name == "busy" || mode.RealtimeCursorOnRecords
				for _, tail := range []string{"0", "h", "h/limit/7"} {
					checkRealtimeAnswer(t, h.get(rtPath(c.id, tail)).body, exact)
				}
				var first rtAnswer
				h.getOK(rtPath(c.id, "h"), &first)
				cursor := first.Timestamp
				sparse := 0
				for range 20 {
					clock.Add(3 * time.Second)
					r := h.get(rtPath(c.id, fmt.Sprint(cursor)))
					checkRealtimeAnswer(t, r.body, exact)
					var a rtAnswer
					decodeExact(t, r.body, &a)
					if len(a.Data) > 0 && len(a.Data) < 3 {
						sparse++
					}
					cursor = a.Timestamp
				}
				if c.name == "sparse" && !mode.RealtimeCursorOnRecords {
					assert.Positive(t, sparse, "some answers leave idle seconds out")
				}
			})
		}
	}
}

func TestRealtimeSparseServiceLeavesIdleSecondsOut(t *testing.T) {
	h := newHarness(t, Config{})
	var a rtAnswer
	h.getOK(rtPath(SparseServiceID, "h"), &a)
	require.NotEmpty(t, a.Data)
	assert.Less(t, len(a.Data), 100, "a sparse service has idle seconds in its window")
	secs := make([]int64, len(a.Data))
	for i, e := range a.Data {
		secs[i] = e.Recorded
	}
	assert.True(t, slices.IsSorted(secs))
}
