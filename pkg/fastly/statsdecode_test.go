package fastly

import (
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustDecode(t *testing.T, body string, specs ...FieldSpec) *StatsPayload {
	t.Helper()
	p, err := DecodeStats([]byte(body), specs)
	if err != nil {
		t.Fatalf("DecodeStats: %v\nbody: %s", err, body)
	}
	checkShape(t, p, specs)
	return p
}

// checkShape asserts what every caller relies on: one column per spec, Ints or Floats as the
// spec says, and one value per record.
func checkShape(t testing.TB, p *StatsPayload, specs []FieldSpec) {
	t.Helper()
	for _, s := range p.Services {
		if len(s.Columns) != len(specs) {
			t.Fatalf("service %q: %d columns for %d specs", s.ServiceID, len(s.Columns), len(specs))
		}
		for k, c := range s.Columns {
			set := len(c.Ints)
			if specs[k].Float {
				set = len(c.Floats)
				if c.Ints != nil || c.Floats == nil {
					t.Fatalf("service %q column %s: want Floats only, got %+v", s.ServiceID, specs[k].Name, c)
				}
			} else if c.Ints == nil || c.Floats != nil {
				t.Fatalf("service %q column %s: want Ints only, got %+v", s.ServiceID, specs[k].Name, c)
			}
			if set != len(s.StartTimes) {
				t.Fatalf("service %q column %s: %d values for %d records", s.ServiceID, specs[k].Name, set, len(s.StartTimes))
			}
		}
	}
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestDecodeStatsAggregateFixture(t *testing.T) {
	specs := []FieldSpec{
		{Name: "requests"},
		{Name: "bandwidth"},
		{Name: "deliver_sub_time", Float: true},
		{Name: "hit_ratio", Float: true, Ratio: true},
		{Name: "miss_sub_time", Float: true},
		{Name: "uncacheable"},                              // go-fastly misspells it and always returns nil
		{Name: "origin_offload", Float: true, Ratio: true}, // absent from this record: no traffic, not 0
		{Name: "edge_resp_header_bytes"},
		{Name: "status_5xx"},
	}
	p, err := DecodeStats(readFixture(t, "historical_stats_aggregate_by_minute.json"), specs)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, p, specs)
	want := StatsMeta{From: "2024-03-12 15:39:42 UTC", To: "2024-03-12 15:54:42 UTC", By: "minute", Region: "usa"}
	if p.Meta != want {
		t.Errorf("meta = %+v, want %+v", p.Meta, want)
	}
	if len(p.Services) != 1 {
		t.Fatalf("%d services, want 1", len(p.Services))
	}
	s := p.Services[0]
	if s.ServiceID != "" || !reflect.DeepEqual(s.StartTimes, []int64{1710258360}) {
		t.Errorf("service %q start times %v", s.ServiceID, s.StartTimes)
	}
	ints := map[int]int64{0: 234, 1: 83749, 5: 0, 7: 80301, 8: 0}
	for k, v := range ints {
		if got := s.Columns[k].Ints[0]; got != v {
			t.Errorf("%s = %d, want %d", specs[k].Name, got, v)
		}
	}
	floats := map[int]float64{2: 0.003453427, 3: 0.9957264957264957, 4: 3.649e-06, 6: math.NaN()}
	for k, v := range floats {
		if got := s.Columns[k].Floats[0]; !sameFloat(got, v) {
			t.Errorf("%s = %v, want %v", specs[k].Name, got, v)
		}
	}
}

func TestDecodeStatsFieldFormFixture(t *testing.T) {
	specs := []FieldSpec{{Name: "bandwidth"}}
	p, err := DecodeStats(readFixture(t, "historical_stats_service_field_bandwidth_by_day.json"), specs)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, p, specs)
	s := p.Services[0]
	if len(p.Services) != 1 || s.ServiceID != "kKJb5bOFI47uHeBVluGfX1" || p.Meta.By != "day" {
		t.Fatalf("got %d services, first %q, by %q", len(p.Services), s.ServiceID, p.Meta.By)
	}
	wantBW := []int64{1845740, 1841819, 1842228, 1843147, 1839636, 1840603, 1842864, 1845754, 1842504, 77255}
	if !reflect.DeepEqual(s.Columns[0].Ints, wantBW) {
		t.Errorf("bandwidth = %v", s.Columns[0].Ints)
	}
	for k, st := range s.StartTimes {
		if st != 1644019200+int64(k)*86400 {
			t.Errorf("start_time[%d] = %d", k, st)
		}
	}
}

func TestDecodeStatsEmptyFixtures(t *testing.T) {
	specs := []FieldSpec{{Name: "requests"}, {Name: "hit_ratio", Float: true, Ratio: true}}
	p, err := DecodeStats(readFixture(t, "historical_stats_service_empty_array.json"), specs)
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, p, specs)
	if len(p.Services) != 1 || len(p.Services[0].StartTimes) != 0 || p.Meta.Region != "europe" {
		t.Errorf("empty array: %+v", p)
	}
	p, err = DecodeStats(readFixture(t, "historical_stats_field_all_services_empty_map.json"), specs)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 0 || p.Meta.From != "2021-11-03 16:18:41 UTC" {
		t.Errorf("empty map: %+v", p)
	}
}

func TestDecodeStatsMapFormIsSortedByService(t *testing.T) {
	body := `{"status":"success","msg":null,"meta":{"by":"minute"},"data":{
		"zzService":[{"requests":5,"service_id":"zzService","start_time":60},{"requests":6,"start_time":120}],
		"aaService":[{"start_time":60,"requests":1,"hit_ratio":0.5}],
		"mmIdle":null,
		"mmEmpty":[]}}`
	specs := []FieldSpec{{Name: "requests"}, {Name: "hit_ratio", Float: true, Ratio: true}}
	p := mustDecode(t, body, specs...)
	var ids []string
	for _, s := range p.Services {
		ids = append(ids, s.ServiceID)
	}
	if !reflect.DeepEqual(ids, []string{"aaService", "mmEmpty", "mmIdle", "zzService"}) {
		t.Fatalf("order %v", ids)
	}
	a, z := p.Services[0], p.Services[3]
	if !reflect.DeepEqual(a.Columns[0].Ints, []int64{1}) || a.Columns[1].Floats[0] != 0.5 {
		t.Errorf("aaService = %+v", a)
	}
	if !reflect.DeepEqual(z.StartTimes, []int64{60, 120}) || !reflect.DeepEqual(z.Columns[0].Ints, []int64{5, 6}) ||
		!math.IsNaN(z.Columns[1].Floats[1]) {
		t.Errorf("zzService = %+v", z)
	}
	// Services share buffers: appending to one must not overwrite the next.
	_ = append(a.Columns[0].Ints, 99)
	if p.Services[3].Columns[0].Ints[0] != 5 {
		t.Error("append to one service's column clobbered another's")
	}
	_, err := DecodeStats([]byte(`{"status":"success","data":{"a":[],"a":[]}}`), specs)
	if err == nil || !strings.Contains(err.Error(), `"a" appears twice`) {
		t.Errorf("duplicate service: %v", err)
	}
}

func TestDecodeStatsMissingAndNull(t *testing.T) {
	body := `{"data":[{"start_time":1,"requests":null,"hit_ratio":null,"hits_time":null},{"start_time":2}],"status":"success"}`
	p := mustDecode(t, body, FieldSpec{Name: "requests"}, FieldSpec{Name: "hit_ratio", Float: true, Ratio: true},
		FieldSpec{Name: "hits_time", Float: true}, FieldSpec{Name: "never_sent"})
	c := p.Services[0].Columns
	if !reflect.DeepEqual(c[0].Ints, []int64{0, 0}) || !reflect.DeepEqual(c[3].Ints, []int64{0, 0}) ||
		!reflect.DeepEqual(c[2].Floats, []float64{0, 0}) || !math.IsNaN(c[1].Floats[0]) || !math.IsNaN(c[1].Floats[1]) {
		t.Errorf("columns = %+v", c)
	}
}

func TestDecodeStatsNumbers(t *testing.T) {
	cases := []struct {
		lit   string
		float bool
		want  any
	}{
		{"9007199254740993", false, int64(9007199254740993)}, // 2^53+1: lost through float64
		{"9223372036854775807", false, int64(math.MaxInt64)},
		{"-9223372036854775808", false, int64(math.MinInt64)},
		{"12.0", false, int64(12)},
		{"1e3", false, int64(1000)},
		{"1.5E1", false, int64(15)},
		{"2.5", false, int64(3)},
		{"-2.5", false, int64(-3)},
		{"2.4999", false, int64(2)},
		{"0.0000001", false, int64(0)},
		{"12.000000000000000000000000", false, int64(12)},
		{"9007199254740993.000", false, int64(9007199254740993)},
		{"123456789012345678e-2", false, int64(1234567890123457)},
		{"0", true, 0.0},
		{"7", true, 7.0},
		{"0.003453427", true, 0.003453427},
		{"3.649e-06", true, 3.649e-06},
		{"0.9957264957264957", true, 0.9957264957264957},
		{"-0.5", true, -0.5},
		{"1e-400", true, 0.0},
		{"123456789012345678901234567890", true, 1.2345678901234568e29},
	}
	for _, c := range cases {
		p, err := DecodeStats([]byte(`{"status":"success","data":[{"start_time":1,"v":`+c.lit+`}]}`),
			[]FieldSpec{{Name: "v", Float: c.float}})
		if err != nil {
			t.Errorf("%s: %v", c.lit, err)
			continue
		}
		var got any
		if c.float {
			got = p.Services[0].Columns[0].Floats[0]
		} else {
			got = p.Services[0].Columns[0].Ints[0]
		}
		if got != c.want {
			t.Errorf("%s (float=%v) = %v, want %v", c.lit, c.float, got, c.want)
		}
	}
}

func TestDecodeStatsOverflowNamesTheField(t *testing.T) {
	for _, lit := range []string{"9223372036854775808", "-9223372036854775809", "1e19", "99999999999999999999", "1e999999999"} {
		_, err := DecodeStats([]byte(`{"status":"success","data":[{"start_time":1,"edge_resp_body_bytes":`+lit+`}]}`),
			[]FieldSpec{{Name: "edge_resp_body_bytes"}})
		var ve *StatsValueError
		if !errors.As(err, &ve) || ve.Field != "edge_resp_body_bytes" || !strings.Contains(err.Error(), "overflows int64") {
			t.Errorf("%s: err = %v", lit, err)
		}
	}
	_, err := DecodeStats([]byte(`{"status":"success","data":[{"start_time":1,"miss_time":1e400}]}`), []FieldSpec{{Name: "miss_time", Float: true}})
	if err == nil || !strings.Contains(err.Error(), `"miss_time"`) {
		t.Errorf("float out of range: %v", err)
	}
}

func TestDecodeStatsSkipsEveryKindOfValue(t *testing.T) {
	body := "{\r\n\t\"meta\" : {\"from\":\"a \\\"quoted\\\" \\u00e9\\ud83d\\ude00\",\"extra\":{\"x\":[1,{}]},\"to\":null},\n" +
		`"unknown_top": [true, false, null, {"data": "not this"}, [], {}, "]}"],` +
		`"data" : [ {` +
		`"s":"a \"}],{\"start_time\":5 \\","nested":{"requests":[1,2,{"requests":3}],"e":{}},` +
		`"t":true,"f":false,"n":null,"big":-1.5e+300,"zero":0,"arr":[[[]]],"start_time":60 ,` +
		`"\u0072equests" : 42,"requests_x":7,"request":8, "uncacheable":3,` +
		`"unicode_\u00e9":"\u263a"} ],` +
		` "status" : "success" , "msg" : null } `
	p := mustDecode(t, body, FieldSpec{Name: "requests"}, FieldSpec{Name: "uncacheable"})
	s := p.Services[0]
	if !reflect.DeepEqual(s.StartTimes, []int64{60}) || s.Columns[0].Ints[0] != 42 || s.Columns[1].Ints[0] != 3 {
		t.Errorf("service = %+v", s)
	}
	if p.Meta.From != "a \"quoted\" é😀" || p.Meta.To != "" {
		t.Errorf("meta = %+v", p.Meta)
	}
}

func TestDecodeStatsSpecs(t *testing.T) {
	body := `{"status":"success","data":[{"start_time":60,"hits":2,"service_id":"S1"},{"start_time":120,"hits":3,"service_id":"S1"}]}`
	p := mustDecode(t, body, FieldSpec{Name: "hits"}, FieldSpec{Name: "hits", Float: true}, FieldSpec{Name: "start_time"})
	c := p.Services[0].Columns
	if p.Services[0].ServiceID != "S1" || !reflect.DeepEqual(c[0].Ints, []int64{2, 3}) ||
		!reflect.DeepEqual(c[1].Floats, []float64{2, 3}) || !reflect.DeepEqual(c[2].Ints, []int64{60, 120}) {
		t.Errorf("got %+v", p.Services[0])
	}
	for _, bad := range []string{"", "service_id"} {
		if _, err := DecodeStats([]byte(body), []FieldSpec{{Name: bad}}); err == nil {
			t.Errorf("spec %q accepted", bad)
		}
	}
}

func TestDecodeStatsStatusError(t *testing.T) {
	for _, body := range []string{
		`{"data":null,"msg":"Bad range","status":"error","meta":{}}`,
		`{"msg":"Bad range","status":"error"}`,
		`{"status":"error","data":"weird","msg":"Bad range"}`,
	} {
		_, err := DecodeStats([]byte(body), []FieldSpec{{Name: "requests"}})
		var se *StatsStatusError
		if !errors.As(err, &se) || se.Status != "error" || se.Msg != "Bad range" {
			t.Errorf("%s: err = %v", body, err)
		}
	}
}

// TestDecodeStatsRejects covers valid JSON of the wrong shape and malformed JSON.
func TestDecodeStatsRejects(t *testing.T) {
	cases := map[string]string{
		`{"data":[{"start_time":1}]}`:                                                                       "no status",
		`{"status":"success"}`:                                                                              "no data",
		`{"status":"success","data":["usa","europe"]}`:                                                      "must be an object",
		`{"status":"success","data":"x"}`:                                                                   "expected an array or an object",
		`{"status":"success","data":{"usa":{"S1":{"requests":1}}}}`:                                         `field "usa" at byte 34: expected an array of records`,
		`{"status":"success","data":[{"requests":1}]}`:                                                      "no start_time",
		`{"status":"success","data":[{"start_time":1,"requests":"12"}]}`:                                    `field "requests"`,
		`{"status":"success","data":[{"start_time":1,"requests":{}}]}`:                                      `field "requests"`,
		`{"status":"success","data":[{"start_time":1,"service_id":"a"},{"start_time":2,"service_id":"b"}]}`: "different services",
		`{"status":"success","data":[{"start_time":1,}]}`:                                                   "byte 44: trailing comma",
		`{"status":"success","data":[{"start_time":01}]}`:                                                   "byte 43: expected ',' or '}'",
		`{"status":"success","data":[{"start_time":1}]} x`:                                                  "byte 47: data after",
		`{"status":"success","data":[{"start_time":1,"x":tru}]}`:                                            "unexpected character 't'",
		`{"status":"success","data":[{"start_time":1,"x":"a\qb"}]}`:                                         "invalid escape",
		"{\"status\":\"success\",\"data\":[{\"start_time\":1,\"x\":\"a\nb\"}]}":                             "control character",
		`{"status":"success","data":[{"start_time":1,"x":-}]}`:                                              "invalid number",
		`{"status":"success","data":[{"start_time":1,"x":1.}]}`:                                             "invalid number",
		`{"status":"success","data":[{"start_time":1,"x":1e}]}`:                                             "invalid number",
		`{"status":"success","data":[{"start_time":1,"x":"\u12G4"}]}`:                                       `invalid \u escape`,
		`[]`: "expected '{'",
		``:   "unexpected end of body",
		`{"status":"success","data":[` + strings.Repeat("[", 600) + `]}`: "nested too deeply",
	}
	for body, want := range cases {
		_, err := DecodeStats([]byte(body), []FieldSpec{{Name: "requests"}, {Name: "requests", Float: true}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s:\n got %v\nwant %q", body, err, want)
		}
	}
}

// TestDecodeStatsEveryPrefixFails cuts a payload that uses every construct at every byte: a
// truncated body must be an error (never a panic, never a partial success).
func TestDecodeStatsEveryPrefixFails(t *testing.T) {
	body := `{"meta":{"from":"2024-03-12 15:39:42 UTC","x":[1,{"y":"\"\u00e9"}]},"data":{"S2":[{"start_time":60,"requests":12,` +
		`"hit_ratio":0.5,"skip":{"a":[true,false,null,-1.5e-3]},"miss_time":3.649e-06}],"S1":null},"status":"success","msg":null}`
	specs := []FieldSpec{{Name: "requests"}, {Name: "hit_ratio", Float: true, Ratio: true}, {Name: "miss_time", Float: true}}
	mustDecode(t, body, specs...)
	for n := 0; n < len(body); n++ {
		p, err := DecodeStats([]byte(body[:n]), specs)
		if err == nil {
			t.Fatalf("prefix of %d bytes decoded: %+v", n, p)
		}
		var se *StatsSyntaxError
		if errors.As(err, &se) && (se.Offset < 0 || se.Offset > n) {
			t.Fatalf("prefix of %d bytes: offset %d out of range", n, se.Offset)
		}
	}
}
