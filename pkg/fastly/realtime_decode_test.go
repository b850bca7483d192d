package fastly

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rtFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestDecodeRealtimeIdleAnswer(t *testing.T) {
	r, err := DecodeRealtime(rtFixture(t, "realtime_channel_no_data.json"), NewRealtimeFields([]string{"requests"}))
	require.NoError(t, err)
	assert.Equal(t, int64(1635959484), r.Timestamp)
	assert.Equal(t, int64(9), r.AggregateDelay)
	assert.Equal(t, "No data available, please retry", r.Error)
	assert.Empty(t, r.Seconds)
}

func TestDecodeRealtimeKeepsOnlyWantedFields(t *testing.T) {
	f := NewRealtimeFields([]string{"requests", "status_5xx", "miss_sub_time", "hits_time", "compute_requests", MissHistogramKey, "requests"})
	require.Equal(t, []string{"requests", "status_5xx", "miss_sub_time", "hits_time", "compute_requests"}, f.Names(), "repeats dropped, histogram kept apart")
	r, err := DecodeRealtime(rtFixture(t, "realtime_channel_two_seconds.json"), f)
	require.NoError(t, err)
	assert.Equal(t, int64(1732579212), r.Timestamp)
	assert.Empty(t, r.Error)
	require.Len(t, r.Seconds, 2)
	assert.Equal(t, []int64{1732579209, 1732579211}, []int64{r.Seconds[0].Recorded, r.Seconds[1].Recorded}, "seconds come out in time order")

	s := r.Seconds[1]
	assert.Equal(t, []float64{30, 3, 35000000, 0.004512, 0}, s.Aggregated.Values, "absent compute_requests is 0")
	assert.ElementsMatch(t, []HistogramBin{{10, 2}, {20, 3}, {150, 1}}, s.Aggregated.MissHistogram)
	require.Len(t, s.POPs, 2)
	assert.Equal(t, "FRA", s.POPs[0].POP, "POPs sorted by code")
	assert.Equal(t, "LHR", s.POPs[1].POP)
	assert.Equal(t, []float64{18, 2, 0, 0, 0}, s.POPs[1].Values)
	assert.Len(t, s.POPs[0].MissHistogram, 2)

	early := r.Seconds[0]
	assert.Equal(t, []float64{5, 0, 0, 0, 0}, early.Aggregated.Values)
	assert.Nil(t, early.Aggregated.MissHistogram)
}

func TestDecodeRealtimeWithoutHistogram(t *testing.T) {
	r, err := DecodeRealtime(rtFixture(t, "realtime_channel_two_seconds.json"), NewRealtimeFields([]string{"hits"}))
	require.NoError(t, err)
	assert.Nil(t, r.Seconds[1].Aggregated.MissHistogram, "not asked for, not decoded")
	assert.Equal(t, []float64{20}, r.Seconds[1].Aggregated.Values)
}

func TestDecodeRealtimeEdgeCases(t *testing.T) {
	f := NewRealtimeFields([]string{"requests", "a\"b"})
	for name, c := range map[string]struct {
		body string
		want []float64
	}{
		"numbers":         {`{"Data":[{"recorded":5,"aggregated":{"requests":-1.5e3}}]}`, []float64{-1500, 0}},
		"big integer":     {`{"Data":[{"recorded":5,"aggregated":{"requests":123456789012345678}}]}`, []float64{123456789012345678, 0}},
		"null value":      {`{"Data":[{"recorded":5,"aggregated":{"requests":null}}]}`, []float64{0, 0}},
		"escaped key":     {`{"Data":[{"recorded":5,"aggregated":{"a\"b":7,"requ\u0065sts":2}}]}`, []float64{2, 7}},
		"whitespace":      {" {\n\"Data\" : [ { \"recorded\" : 5 , \"aggregated\" : { \"requests\" : 3 } } ] } \n", []float64{3, 0}},
		"repeat second":   {`{"Data":[{"recorded":5,"aggregated":{"requests":1}},{"recorded":5,"aggregated":{"requests":9}}]}`, []float64{9, 0}},
		"unknown top key": {`{"Extra":{"x":[true,false,null,"s"]},"Data":[{"recorded":5,"aggregated":{"requests":4}}]}`, []float64{4, 0}},
	} {
		r, err := DecodeRealtime([]byte(c.body), f)
		require.NoError(t, err, name)
		require.Len(t, r.Seconds, 1, name)
		assert.Equal(t, c.want, r.Seconds[0].Aggregated.Values, name)
	}
	r, err := DecodeRealtime([]byte(`{"Data":null,"Timestamp":3}`), f)
	require.NoError(t, err)
	assert.Empty(t, r.Seconds)
}

func TestDecodeRealtimeRejects(t *testing.T) {
	f := NewRealtimeFields([]string{"requests", MissHistogramKey})
	for _, body := range []string{
		``, `[]`, `{"Data":{}}`, `{"Data":[{"aggregated":{"requests":"12"}}]}`, `{"Data":[1]}`,
		`{"Data":[{"aggregated":{"requests":1,}}]}`, `{"Timestamp":1}x`, `{"Data":[{"aggregated":{"miss_histogram":{"10":"x"}}}]}`,
		`{"Data":[{"aggregated":{"requests":01}}]}`, `{"Error":"unterminated}`, `{"a":tru}`,
	} {
		_, err := DecodeRealtime([]byte(body), f)
		var de *RealtimeDecodeError
		assert.ErrorAs(t, err, &de, "%q", body)
	}
	body := rtFixture(t, "realtime_channel_two_seconds.json")
	for n := range len(body) - 1 {
		_, err := DecodeRealtime(body[:n], f)
		require.Error(t, err, "a body cut at %d bytes must fail, not half-succeed", n)
	}
}

// reference decodes with encoding/json, for comparison.
func reference(t testing.TB, body []byte, fields []string) map[int64]map[string]float64 {
	var raw struct {
		Data []struct {
			Recorded   int64                                 `json:"recorded"`
			Aggregated map[string]json.RawMessage            `json:"aggregated"`
			Datacenter map[string]map[string]json.RawMessage `json:"datacenter"`
		}
	}
	require.NoError(t, json.Unmarshal(body, &raw))
	out := map[int64]map[string]float64{}
	for _, d := range raw.Data {
		m := map[string]float64{}
		put := func(prefix string, stats map[string]json.RawMessage) {
			for _, f := range fields {
				if v, ok := stats[f]; ok {
					x, err := strconv.ParseFloat(string(v), 64)
					require.NoError(t, err)
					m[prefix+f] = x
				}
			}
		}
		put("", d.Aggregated)
		for pop, st := range d.Datacenter {
			put(pop+"/", st)
		}
		out[d.Recorded] = m
	}
	return out
}

func TestDecodeRealtimeMatchesEncodingJSON(t *testing.T) {
	fields := []string{"requests", "hits", "miss", "status_5xx", "resp_body_bytes", "miss_sub_time"}
	body := buildRealtimeBody(t, 100, 3)
	r, err := DecodeRealtime(body, NewRealtimeFields(fields))
	require.NoError(t, err)
	ref := reference(t, body, fields)
	require.Len(t, r.Seconds, len(ref))
	for _, s := range r.Seconds {
		want := ref[s.Recorded]
		got := map[string]float64{}
		for i, f := range fields {
			if v := s.Aggregated.Values[i]; v != 0 {
				got[f] = v
			}
			for _, p := range s.POPs {
				if v := p.Values[i]; v != 0 {
					got[p.POP+"/"+f] = v
				}
			}
		}
		assert.Equal(t, want, got, "second %d", s.Recorded)
		assert.True(t, sort.SliceIsSorted(s.POPs, func(a, b int) bool { return s.POPs[a].POP < s.POPs[b].POP }))
	}
}

func FuzzDecodeRealtime(f *testing.F) {
	f.Add(rtFixture(f, "realtime_channel_two_seconds.json"))
	f.Add(rtFixture(f, "realtime_channel_no_data.json"))
	f.Add([]byte(`{"Data":[{"recorded":1,"aggregated":{"requests":1e400}}]}`))
	fields := NewRealtimeFields([]string{"requests", "hits", MissHistogramKey})
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeRealtime(body, fields)
		if err != nil {
			return
		}
		require.True(t, json.Valid(body), "accepted invalid JSON %q", body)
		for k := 1; k < len(r.Seconds); k++ {
			require.Less(t, r.Seconds[k-1].Recorded, r.Seconds[k].Recorded)
		}
	})
}

func TestRealtimeNullsReadAsAbsent(t *testing.T) {
	body := []byte(`{"Timestamp":1700000001,"AggregateDelay":null,"Data":[
		{"recorded":1700000001,"aggregated":{"requests":null,"hits":3},"datacenter":null},
		{"recorded":1700000002,"aggregated":null,"datacenter":{"LHR":{"requests":4}}}]}`)
	res, err := DecodeRealtime(body, NewRealtimeFields([]string{"requests", "hits"}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Timestamp != 1700000001 || res.AggregateDelay != 0 || len(res.Seconds) != 2 {
		t.Fatalf("got %+v", res)
	}
	if got := res.Seconds[0].Aggregated.Values; got[0] != 0 || got[1] != 3 {
		t.Fatalf("first second: %v", got)
	}
	if len(res.Seconds[0].POPs) != 0 || len(res.Seconds[1].POPs) != 1 || res.Seconds[1].POPs[0].Values[0] != 4 {
		t.Fatalf("POPs: %+v", res.Seconds)
	}
}
