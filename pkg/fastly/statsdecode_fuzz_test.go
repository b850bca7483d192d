package fastly

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"testing"
	"unicode/utf8"
)

var fuzzSpecs = []FieldSpec{
	{Name: "requests"},
	{Name: "bandwidth"},
	{Name: "hit_ratio", Float: true, Ratio: true},
	{Name: "miss_sub_time", Float: true},
	{Name: "start_time"},
}

var handBodies = []string{
	`{"status":"success","meta":{"by":"minute"},"data":{"b":[{"start_time":60,"requests":5,"hit_ratio":null}],"a":[{"start_time":1,"bandwidth":1e3}],"c":null}}`,
	`{"data":[{"start_time":1,"requests":9007199254740993,"s":"x\"}]","n":{"requests":[1]},"miss_sub_time":3.649e-06}],"status":"success","msg":null}`,
	`{"msg":"Bad range","status":"error","data":null}`,
	"{\n  \"data\": [ { \"start_time\" : 120 , \"\\u0072equests\" : 12.0 } ],\n  \"status\": \"success\"\n}\n",
}

// checkAgainstReference is the property both the fuzz target and the corruption test assert:
// no panic, and a successful decode is valid JSON with the right shape and the same values that
// encoding/json reads from it.
func checkAgainstReference(t *testing.T, body []byte) {
	t.Helper()
	p, err := DecodeStats(body, fuzzSpecs)
	if err != nil {
		return
	}
	if !json.Valid(body) {
		t.Fatalf("accepted invalid JSON: %q", body)
	}
	checkShape(t, p, fuzzSpecs)
	var env map[string]json.RawMessage
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("encoding/json rejects what DecodeStats accepted: %v", err)
	}
	data := bytes.TrimSpace(env["data"])
	switch {
	case len(data) > 0 && data[0] == '[':
		var recs []map[string]json.RawMessage
		if err := json.Unmarshal(data, &recs); err != nil || len(p.Services) != 1 {
			t.Fatalf("array form: %v, %d services", err, len(p.Services))
		}
		compareRecords(t, p.Services[0], recs)
	case len(data) > 0 && data[0] == '{':
		var svcs map[string][]map[string]json.RawMessage
		if err := json.Unmarshal(data, &svcs); err != nil || len(p.Services) != len(svcs) {
			t.Fatalf("map form: %v, %d services, want %d", err, len(p.Services), len(svcs))
		}
		for k, s := range p.Services {
			if k > 0 && p.Services[k-1].ServiceID >= s.ServiceID {
				t.Fatalf("services out of order: %q then %q", p.Services[k-1].ServiceID, s.ServiceID)
			}
			if utf8.ValidString(s.ServiceID) { // encoding/json rewrites invalid UTF-8 in keys
				compareRecords(t, s, svcs[s.ServiceID])
			}
		}
	}
}

func compareRecords(t *testing.T, s ServiceStats, recs []map[string]json.RawMessage) {
	t.Helper()
	if len(s.StartTimes) != len(recs) {
		t.Fatalf("service %q: %d records, encoding/json sees %d", s.ServiceID, len(s.StartTimes), len(recs))
	}
	for r, rec := range recs {
		if want, ok := refInt(rec["start_time"]); ok && want != s.StartTimes[r] {
			t.Fatalf("record %d start_time = %d, want %d", r, s.StartTimes[r], want)
		}
		for k, spec := range fuzzSpecs {
			raw := bytes.TrimSpace(rec[spec.Name])
			if spec.Float {
				want := 0.0
				if spec.Ratio {
					want = math.NaN()
				}
				if len(raw) > 0 && string(raw) != "null" {
					want, _ = strconv.ParseFloat(string(raw), 64)
				}
				if got := s.Columns[k].Floats[r]; math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Fatalf("record %d %s = %v, want %v (%s)", r, spec.Name, got, want, raw)
				}
				continue
			}
			want, ok := refInt(raw)
			if len(raw) == 0 || string(raw) == "null" {
				want, ok = 0, true
			}
			if got := s.Columns[k].Ints[r]; ok && got != want {
				t.Fatalf("record %d %s = %d, want %d (%s)", r, spec.Name, got, want, raw)
			}
		}
	}
}

// refInt reads integer literals only: fractions and exponents are rounded by DecodeStats with
// exact decimal arithmetic, which strconv cannot check.
func refInt(raw json.RawMessage) (int64, bool) {
	v, err := strconv.ParseInt(string(bytes.TrimSpace(raw)), 10, 64)
	return v, err == nil
}

func FuzzDecodeStats(f *testing.F) {
	for _, name := range []string{
		"historical_stats_aggregate_by_minute.json",
		"historical_stats_service_field_bandwidth_by_day.json",
		"historical_stats_service_empty_array.json",
		"historical_stats_field_all_services_empty_map.json",
	} {
		f.Add(readFixture(f, name))
	}
	for _, b := range handBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(checkAgainstReference)
}

// TestDecodeStatsSingleByteCorruptions runs the fuzz property over every single-byte change of
// the hand bodies to JSON's structural characters, so `go test` covers it without -fuzz.
func TestDecodeStatsSingleByteCorruptions(t *testing.T) {
	for _, body := range handBodies {
		for _, c := range []byte(`"\{}[],:0-.e n`) {
			for i := range len(body) {
				b := []byte(body)
				b[i] = c
				checkAgainstReference(t, b)
			}
		}
	}
}
