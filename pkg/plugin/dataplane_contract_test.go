package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// contractCase is one query whose frames must keep the data plane contract.
type contractCase struct {
	name  string
	query map[string]any
	span  time.Duration // the time range, ending at simNow
	want  data.FrameType
	sql   bool // SQL expressions can read (and so join) the answer
}

// contractCases are the nine query types, with the groupings and formats that change the shape
// of their frames.
func contractCases() []contractCase {
	shop := []string{fastlysim.ShopServiceID}
	return []contractCase{
		{"stats", map[string]any{"queryType": "stats", "services": shop, "metrics": []string{"requests", "hit_ratio"}}, 2 * time.Hour, data.FrameTypeTimeSeriesMulti, true},
		{"stats per service", map[string]any{"queryType": "stats", "services": []string{"*"}, "metrics": []string{"requests"}, "groupBy": "service"}, 2 * time.Hour, data.FrameTypeTimeSeriesMulti, true},
		{"stats POP map", map[string]any{"queryType": "stats", "services": shop, "metrics": []string{"requests"}, "format": "popmap"}, time.Hour, data.FrameTypeTable, true},
		{"realtime", map[string]any{"queryType": "realtime", "services": shop, "metrics": []string{"requests", "hit_ratio"}}, 2 * time.Minute, data.FrameTypeTimeSeriesWide, true},
		{"realtime per POP", map[string]any{"queryType": "realtime", "services": shop, "metrics": []string{"requests"}, "groupBy": "pop"}, 2 * time.Minute, data.FrameTypeTimeSeriesWide, true},
		{"realtime POP map", map[string]any{"queryType": "realtime", "services": shop, "metrics": []string{"requests"}, "format": "popmap"}, 2 * time.Minute, data.FrameTypeTable, true},
		{"origins per origin", map[string]any{"queryType": "origins", "services": shop, "metrics": []string{"responses", "origin_latency_p95"}, "groupBy": "origin"}, 2 * time.Hour, data.FrameTypeTimeSeriesMulti, true},
		{"origins live", map[string]any{"queryType": "origins", "services": shop, "metrics": []string{"responses"}, "live": true}, 2 * time.Minute, data.FrameTypeTimeSeriesWide, true},
		{"origins latency heatmap", map[string]any{"queryType": "origins", "services": shop, "metrics": []string{"origin_latency_heatmap"}}, 2 * time.Hour, frameTypeHeatmapRows, false},
		{"origins per region, per second", map[string]any{"queryType": "origins", "services": shop, "metrics": []string{"responses"}, "groupBy": "region", "perSecond": true}, 2 * time.Hour, data.FrameTypeTimeSeriesMulti, true},
		{"domains live", map[string]any{"queryType": "domains", "services": shop, "metrics": []string{"edge_requests"}, "live": true}, 2 * time.Minute, data.FrameTypeTimeSeriesWide, true},
		{"domains per domain", map[string]any{"queryType": "domains", "services": shop, "metrics": []string{"edge_requests"}, "groupBy": "domain"}, 2 * time.Hour, data.FrameTypeTimeSeriesMulti, true},
		{"usage per region", map[string]any{"queryType": "usage", "groupBy": "region"}, 30 * 24 * time.Hour, data.FrameTypeNumericLong, true},
		{"usage per service", map[string]any{"queryType": "usage", "groupBy": "service", "metrics": []string{"requests"}}, 30 * 24 * time.Hour, data.FrameTypeNumericLong, true},
		{"events", map[string]any{"queryType": "events", "services": shop}, 30 * 24 * time.Hour, data.FrameTypeTable, true},
		{"insights", map[string]any{"queryType": "insights", "services": shop, "insight": "top-url-by-requests"}, time.Hour, data.FrameTypeNumericLong, true},
		{"insights by status code", map[string]any{"queryType": "insights", "services": shop, "insight": "response-status-codes"}, time.Hour, data.FrameTypeNumericLong, true},
		{"logs", map[string]any{"queryType": "logs", "services": shop}, time.Hour, data.FrameTypeLogLines, true},
		{"logs over time", map[string]any{"queryType": "logseries", "services": shop}, time.Hour, data.FrameTypeTimeSeriesMulti, true},
		{"logs over time per URL", map[string]any{"queryType": "logseries", "services": shop, "dimension": "request_path"}, time.Hour, data.FrameTypeTimeSeriesMulti, true},
	}
}

// TestEveryQueryTypeKeepsTheDataPlaneContract drives each query type through QueryData against
// the simulator and checks its frames against the contract's rules (dataplane_rules_test.go):
// type and version set, field types, no mixed types in a column, labels on value fields only,
// a time field sorted and never null, and whether SQL expressions can read the answer.
func TestEveryQueryTypeKeepsTheDataPlaneContract(t *testing.T) {
	env := newEnv(t, simToken)
	covered := map[string]bool{}
	for _, c := range contractCases() {
		t.Run(c.name, func(t *testing.T) {
			r := env.query(t, simNow.Add(-c.span), simNow, c.query).Responses["A"]
			require.NoError(t, r.Error)
			require.NotEmpty(t, r.Frames)
			assert.Empty(t, contractViolations(r.Frames))
			require.NotNil(t, r.Frames[0].Meta)
			assert.Equal(t, c.want, r.Frames[0].Meta.Type)
			assert.Equal(t, c.sql, sqlReadable(r.Frames), "SQL expressions can read it")
			rows := 0
			for _, f := range r.Frames {
				rows += f.Rows()
			}
			assert.Positive(t, rows, "the simulator has data for this query: the rules saw real values")
		})
		covered[c.query["queryType"].(string)] = true
	}
	for _, name := range typeNames() {
		assert.True(t, covered[name], "query type %s has no contract case", name)
	}
}

// TestDataPlaneRulesCatchBrokenFrames shows each rule failing on a frame that breaks it, so a
// contract test that passes means the frames keep the rules.
func TestDataPlaneRulesCatchBrokenFrames(t *testing.T) {
	t0 := simNow.Add(-time.Hour)
	times := []time.Time{t0, t0.Add(time.Minute)}
	typed := func(f *data.Frame, typ data.FrameType, v data.FrameTypeVersion) *data.Frame {
		return f.SetMeta(&data.FrameMeta{Type: typ, TypeVersion: v})
	}
	series := func() *data.Frame {
		return typed(data.NewFrame("s", data.NewField("time", nil, times),
			data.NewField("requests", data.Labels{"pop": "FRA"}, []float64{1, 2})), data.FrameTypeTimeSeriesMulti, data.FrameTypeVersion{0, 1})
	}
	require.Empty(t, contractViolations(data.Frames{series()}), "a good series keeps every rule")
	require.True(t, sqlReadable(data.Frames{series(), series()}))

	unsorted := series()
	unsorted.Fields[0] = data.NewField("time", nil, []time.Time{t0, t0})
	nullableTime := series()
	nullableTime.Fields[0] = data.NewField("time", nil, []*time.Time{&t0, nil})
	labelledString := series()
	labelledString.Fields = append(labelledString.Fields, data.NewField("pop", data.Labels{"pop": "FRA"}, []string{"FRA", "FRA"}))
	intRequests := series()
	intRequests.Fields[1] = data.NewField("requests", nil, []int64{1, 2})
	longRows := typed(data.NewFrame("u", data.NewField("requests", nil, []int64{1, 2})), data.FrameTypeNumericLong, data.FrameTypeVersion{0, 1})
	logs := typed(data.NewFrame("l", data.NewField("timestamp", nil, times), data.NewField("line", nil, []string{"a", "b"})), data.FrameTypeLogLines, data.FrameTypeVersion{0, 0})
	table := typed(data.NewFrame("t", data.NewField("pop", nil, []string{"FRA"})), data.FrameTypeTable, data.FrameTypeVersion{0, 0})

	for name, c := range map[string]struct {
		frames data.Frames
		want   string
	}{
		"no type":              {data.Frames{data.NewFrame("x", data.NewField("time", nil, times))}, "no Meta.Type"},
		"wrong version":        {data.Frames{typed(series(), data.FrameTypeTimeSeriesMulti, data.FrameTypeVersion{0, 0})}, "version 0.1 in the contract"},
		"repeated time":        {data.Frames{unsorted}, "does not follow"},
		"nullable time":        {data.Frames{nullableTime}, "not a non-null time field"},
		"labels on a string":   {data.Frames{labelledString}, `field "pop" of type []string has labels`},
		"mixed column":         {data.Frames{series(), intRequests}, `field "requests" is []int64, an earlier frame's is []float64`},
		"two types":            {data.Frames{series(), table}, "one response, one type"},
		"wide in two frames":   {data.Frames{typed(series(), data.FrameTypeTimeSeriesWide, data.FrameTypeVersion{0, 1}), typed(series(), data.FrameTypeTimeSeriesWide, data.FrameTypeVersion{0, 1})}, "timeseries-wide is one frame"},
		"long rows, no string": {data.Frames{longRows}, "2 rows but no string field"},
		"logs without body":    {data.Frames{logs}, "no non-null string field named body"},
		"table of two frames":  {data.Frames{table, table}, "a table is one frame"},
		"unknown type":         {data.Frames{typed(series(), "timeseries-sideways", data.FrameTypeVersion{0, 1})}, "not in the contract"},
	} {
		assert.Contains(t, strings.Join(contractViolations(c.frames), "\n"), c.want, name)
	}
	assert.False(t, sqlReadable(data.Frames{typed(series(), frameTypeHeatmapRows, data.FrameTypeVersion{0, 0})}),
		"SQL expressions do not convert heatmap-rows, and its fields carry labels")
	assert.False(t, sqlReadable(data.Frames{table, table}), "two plain tables are not one")
}
