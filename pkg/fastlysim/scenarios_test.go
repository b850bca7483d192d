package fastlysim

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hourRecord fetches one service's stats record for the UTC hour starting at hour.
func hourRecord(h *harness, id string, hour time.Time) map[string]float64 {
	h.t.Helper()
	var body struct {
		Data []map[string]any `json:"data"`
	}
	h.getOK(fmt.Sprintf("/stats/service/%s?by=hour&from=%d&to=%d", id, hour.Unix(), hour.Add(time.Hour).Unix()), &body)
	out := map[string]float64{}
	if len(body.Data) == 0 {
		return out
	}
	for k, v := range body.Data[0] {
		if n, ok := v.(json.Number); ok {
			out[k], _ = n.Float64()
		}
	}
	return out
}

// originHour sums one service's Origin Inspector metrics over an hour.
func originHour(h *harness, id string, hour time.Time, metrics string) map[string]float64 {
	h.t.Helper()
	var body struct {
		Data []struct {
			Values []map[string]json.Number `json:"values"`
		} `json:"data"`
	}
	h.getOK(fmt.Sprintf("/metrics/origins/services/%s?start=%d&end=%d&downsample=hour&metric=%s", id, hour.Unix(), hour.Add(time.Hour).Unix(), metrics), &body)
	out := map[string]float64{}
	for _, d := range body.Data {
		for _, v := range d.Values {
			for k, n := range v {
				if f, err := n.Float64(); err == nil && k != "timestamp" {
					out[k] += f
				}
			}
		}
	}
	return out
}

func TestScenariosChangeTheirHoursOnly(t *testing.T) {
	hour := testNow.Truncate(time.Hour).Add(-3 * time.Hour)
	before := hour.Add(-time.Hour)
	cases := []struct {
		sc    Scenario
		check func(t *testing.T, normal, played map[string]float64)
	}{
		{TrafficStopped, func(t *testing.T, normal, played map[string]float64) {
			assert.Positive(t, normal["requests"])
			assert.Zero(t, played["requests"], "no record at all: Fastly leaves idle buckets out")
		}},
		{ErrorStorm, func(t *testing.T, normal, played map[string]float64) {
			assert.Greater(t, played["status_5xx"]/played["requests"], 5*normal["status_5xx"]/normal["requests"])
			assert.Greater(t, played["status_503"], 10*normal["status_503"])
		}},
		{CacheBypass, func(t *testing.T, normal, played map[string]float64) {
			assert.Greater(t, normal["hit_ratio"], 0.9)
			assert.Less(t, played["hit_ratio"], 0.3)
			assert.InDelta(t, normal["requests"], played["requests"], 0.01*normal["requests"], "the same traffic, answered differently")
		}},
		{SlowOrigin, func(t *testing.T, normal, played map[string]float64) {
			assert.InDelta(t, 20, (played["miss_time"]/played["miss"])/(normal["miss_time"]/normal["miss"]), 4)
		}},
		{OriginErrors, func(t *testing.T, normal, played map[string]float64) {
			fetches := func(m map[string]float64) float64 { return m["miss"] + m["pass"] }
			assert.Greater(t, played["status_503"]/fetches(played), 0.3)
			assert.Less(t, normal["status_503"]/fetches(normal), 0.05)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.sc.String(), func(t *testing.T) {
			h := newHarness(t, Config{})
			normal := hourRecord(h, ShopServiceID, hour)
			require.NoError(t, h.sim.PlayScenario(ShopServiceID, tc.sc, hour.Add(10*time.Minute), hour.Add(20*time.Minute)))
			tc.check(t, normal, hourRecord(h, ShopServiceID, hour))
			assert.Equal(t, hourRecord(newHarness(t, Config{}), ShopServiceID, before), hourRecord(h, ShopServiceID, before), "the hour before is untouched")
			assert.Equal(t, hourRecord(newHarness(t, Config{}), APIServiceID, hour), hourRecord(h, APIServiceID, hour), "other services are untouched")
			h.sim.ClearScenarios()
			assert.Equal(t, normal, hourRecord(h, ShopServiceID, hour))
		})
	}
}

func TestScenariosReachTheInspectors(t *testing.T) {
	h := newHarness(t, Config{})
	hour := testNow.Truncate(time.Hour).Add(-3 * time.Hour)
	normal := originHour(h, ShopServiceID, hour, "responses,status_5xx,latency_1000_to_5000ms")
	require.NoError(t, h.sim.PlayScenario(ShopServiceID, OriginErrors, hour, hour.Add(time.Hour)))
	require.NoError(t, h.sim.PlayScenario(ShopServiceID, SlowOrigin, hour, hour.Add(time.Hour)))
	played := originHour(h, ShopServiceID, hour, "responses,status_5xx,latency_1000_to_5000ms")
	assert.Less(t, normal["status_5xx"]/normal["responses"], 0.05)
	assert.Greater(t, played["status_5xx"]/played["responses"], 0.3)
	assert.Greater(t, played["latency_1000_to_5000ms"], 10*normal["latency_1000_to_5000ms"])
}

func TestScenariosReachRealtime(t *testing.T) {
	h := newHarness(t, Config{})
	second := testNow.Add(-time.Minute)
	agg, _ := h.sim.RealtimeSecond(ShopServiceID, second)
	require.NotEmpty(t, agg)
	require.NoError(t, h.sim.PlayScenario(ShopServiceID, TrafficStopped, second, second.Add(time.Second)))
	agg, dcs := h.sim.RealtimeSecond(ShopServiceID, second)
	assert.Empty(t, agg)
	assert.Empty(t, dcs)
}

func TestPlayScenarioRefusesWhatItDoesNotKnow(t *testing.T) {
	sim := New(Config{})
	assert.EqualError(t, sim.PlayScenario("nope", ErrorStorm, testNow, testNow.Add(time.Hour)), `no simulated service "nope"`)
	assert.EqualError(t, sim.PlayScenario(ShopServiceID, Scenario(99), testNow, testNow.Add(time.Hour)), "unknown scenario 99")
}

func TestParseScenarioReadsEveryName(t *testing.T) {
	for sc := TrafficStopped; sc <= OriginErrors; sc++ {
		got, err := ParseScenario(strings.ReplaceAll(sc.String(), " ", "-"))
		require.NoError(t, err)
		assert.Equal(t, sc, got)
	}
	_, err := ParseScenario("meteor")
	assert.EqualError(t, err, `unknown scenario "meteor": use one of traffic-stopped, error-storm, cache-bypass, slow-origin, origin-errors`)
}
