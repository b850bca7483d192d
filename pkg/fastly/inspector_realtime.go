package fastly

import (
	"cmp"
	"encoding/json"
	"math"
	"sort"
	"strconv"
)

// inspectorRealtimeBody is the inspector real-time answer: one more level than the channel,
// a name (origin host or domain) between the POP and the metrics.
type inspectorRealtimeBody struct {
	Timestamp      int64  `json:"Timestamp"`
	AggregateDelay int64  `json:"AggregateDelay"`
	Error          string `json:"Error"`
	Data           []struct {
		Recorded   int64                                            `json:"recorded"`
		Aggregated map[string]map[string]json.RawMessage            `json:"aggregated"`
		Datacenter map[string]map[string]map[string]json.RawMessage `json:"datacenter"`
	} `json:"Data"`
}

// DecodeInspectorRealtime reads an inspector real-time answer, keeping only fields (see
// InspectorRealtime for how names are summed). Entries without "recorded" (the hand-written
// fixtures have none) are placed at the newest second the cursor vouches for, Timestamp -
// AggregateDelay, or skipped when there is no Timestamp; entries for the same second are
// merged, and seconds come out ascending.
func DecodeInspectorRealtime(body []byte, fields *RealtimeFields) (*RealtimeResponse, error) {
	var in inspectorRealtimeBody
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	out := &RealtimeResponse{Timestamp: in.Timestamp, AggregateDelay: in.AggregateDelay, Error: in.Error}
	bySecond := map[int64]*RealtimeSecond{}
	pops := map[int64]map[string]*POPStats{}
	for _, d := range in.Data {
		sec := d.Recorded
		if sec == 0 && in.Timestamp > 0 {
			sec = in.Timestamp - cmp.Or(max(in.AggregateDelay, 0), DefaultAggregateDelay)
		}
		if sec <= 0 {
			continue
		}
		s := bySecond[sec]
		if s == nil {
			s = &RealtimeSecond{Recorded: sec, Aggregated: RealtimeStats{Values: make([]float64, fields.Len())}}
			bySecond[sec] = s
			pops[sec] = map[string]*POPStats{}
		}
		for _, metrics := range d.Aggregated {
			addInspectorMetrics(s.Aggregated.Values, metrics, fields)
		}
		for pop, names := range d.Datacenter {
			ps := pops[sec][pop]
			if ps == nil {
				ps = &POPStats{POP: pop, RealtimeStats: RealtimeStats{Values: make([]float64, fields.Len())}}
				pops[sec][pop] = ps
			}
			for _, metrics := range names {
				addInspectorMetrics(ps.Values, metrics, fields)
			}
		}
	}
	for sec, s := range bySecond {
		for _, ps := range pops[sec] {
			s.POPs = append(s.POPs, *ps)
		}
		sort.Slice(s.POPs, func(i, j int) bool { return s.POPs[i].POP < s.POPs[j].POP })
		out.Seconds = append(out.Seconds, *s)
	}
	sort.Slice(out.Seconds, func(i, j int) bool { return out.Seconds[i].Recorded < out.Seconds[j].Recorded })
	return out, nil
}

// addInspectorMetrics adds one name's wanted metrics into values. A ratio cannot be summed
// over names, so a ratio field always decodes as NaN (no value) rather than a wrong one.
func addInspectorMetrics(values []float64, metrics map[string]json.RawMessage, fields *RealtimeFields) {
	for name, raw := range metrics {
		i, ok := fields.Index(name)
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			continue // not a number (null, an object): nothing to add
		}
		if isRatioField(name) {
			values[i] = math.NaN()
			continue
		}
		values[i] += v
	}
}

// isRatioField names the inspector real-time fields that are ratios, not counts.
func isRatioField(name string) bool {
	return name == "edge_hit_ratio" || name == "origin_offload"
}
