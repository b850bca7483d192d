package fastly

import (
	"encoding/json"
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeInspectorPage reads one inspector answer and joins it as Client.Inspector does.
func decodeInspectorPage(serviceID string, body []byte) (*InspectorResult, error) {
	var page inspectorPage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, err
	}
	return joinInspector(serviceID, [][]inspectorPage{{page}}), nil
}

// FuzzDecodeInspector: any answer, seeded from the real fixtures, decodes without panicking;
// an accepted one is valid JSON, its series each carry a dimension set, and no bucket holds a
// NaN or an infinity (a value the frames would show as a number nobody measured).
func FuzzDecodeInspector(f *testing.F) {
	for _, name := range []string{"domain_inspector_historical_by_domain_hourly.json", "origin_inspector_historical_empty.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"data":[{"dimensions":{"host":"a"},"values":[{"timestamp":60,"responses":1e308,"edge_hit_ratio":null}]}],"meta":{"next_cursor":""}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := decodeInspectorPage("svc1", body)
		if err != nil {
			return
		}
		require.True(t, json.Valid(body), "accepted invalid JSON %q", body)
		for _, s := range res.Series {
			require.NotNil(t, s.Dimensions)
			for _, metrics := range s.Buckets {
				for name, v := range metrics {
					require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s = %v", name, v)
				}
			}
		}
	})
}

// FuzzDecodeInspectorRealtime: the inspectors' real-time answers, seeded from the real
// fixtures: no panic; an accepted answer is valid JSON, with seconds ascending and unique,
// POPs sorted, and one value per asked field.
func FuzzDecodeInspectorRealtime(f *testing.F) {
	for _, name := range []string{"realtime_origins_with_data.json", "realtime_domains_with_data.json", "realtime_channel_no_data.json"} {
		f.Add(fixture(f, name))
	}
	fields := NewRealtimeFields([]string{"responses", "edge_requests", "status_2xx"})
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := DecodeInspectorRealtime(body, fields)
		if err != nil {
			return
		}
		require.True(t, json.Valid(body), "accepted invalid JSON %q", body)
		for k, s := range res.Seconds {
			if k > 0 {
				require.Less(t, res.Seconds[k-1].Recorded, s.Recorded)
			}
			require.Len(t, s.Aggregated.Values, fields.Len())
			require.True(t, sort.SliceIsSorted(s.POPs, func(a, b int) bool { return s.POPs[a].POP < s.POPs[b].POP }))
			for _, p := range s.POPs {
				require.Len(t, p.Values, fields.Len())
			}
		}
	})
}
