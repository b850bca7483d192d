package frames

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

func logRecord(ts time.Time, kv ...string) fastly.LogRecord {
	rec := fastly.LogRecord{Time: ts}
	for i := 0; i+1 < len(kv); i += 2 {
		rec.Fields = append(rec.Fields, fastly.Entry{Key: kv[i], Text: kv[i+1]})
	}
	return rec
}

func TestLogsFrameIsADataPlaneLogsFrame(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 14, 59, 58, 123e6, time.UTC)
	records := []fastly.LogRecord{
		logRecord(t0, "request_method", "GET", "request_host", "www.example-shop.com", "request_path", "/checkout",
			"response_status", "503", "response_state", "ERROR", "response_time", "0.2105", "response_bytes_body", "450",
			"fastly_pop", "LHR", "client_country_code", "GB", "client_device_type", "mobile"),
		logRecord(t0.Add(-time.Second), "request_method", "GET", "request_path", "/old", "response_status", "404",
			"is_cache_hit", "true", "fastly_pop", "FRA"),
		logRecord(t0.Add(-2*time.Second), "response_status", "200", "is_cache_hit", "false"),
	}
	frame := LogsFrame(records, LogsRequest{ServiceID: "svc1", Limit: 3, More: true})
	assert.Equal(t, data.FrameTypeLogLines, frame.Meta.Type)
	assert.Equal(t, data.VisTypeLogs, string(frame.Meta.PreferredVisualization))
	names := []string{}
	for _, f := range frame.Fields {
		names = append(names, f.Name)
	}
	assert.Equal(t, []string{"timestamp", "body", "severity", "id", "labels"}, names)
	assert.Equal(t, "GET www.example-shop.com/checkout 503 ERROR 210.5ms 450B pop=LHR country=GB device=mobile", frame.Fields[1].At(0))
	assert.Equal(t, []string{"error", "warning", "info"}, []string{frame.Fields[2].At(0).(string), frame.Fields[2].At(1).(string), frame.Fields[2].At(2).(string)})
	var labels map[string]string
	require.NoError(t, json.Unmarshal(frame.Fields[4].At(1).(json.RawMessage), &labels))
	assert.Equal(t, map[string]string{"service": "svc1", "pop": "FRA", "status": "404", "method": "GET", "cache_state": "HIT"}, labels)
	assert.NotEqual(t, frame.Fields[3].At(0), frame.Fields[3].At(1), "ids are unique")
	require.Len(t, frame.Meta.Notices, 1)
	assert.Contains(t, frame.Meta.Notices[0].Text, "newest 3 sampled requests")
	experimental.CheckGoldenJSONFrame(t, "testdata", "logs_three_records", frame, *update)

	empty := LogsFrame(nil, LogsRequest{ServiceID: "svc1", Limit: 100})
	assert.Equal(t, 0, empty.Rows())
	assert.Contains(t, empty.Meta.Notices[0].Text, "No sampled requests matched")
}

func TestLogSeriesFramesKeepTheTopSeriesAndFillBuckets(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC)
	const avg = "avg[response_time]"
	mk := func(path string, seconds map[int]float64) fastly.LogSeries {
		s := fastly.LogSeries{Dimensions: []fastly.Entry{{Key: "request_path", Text: path}}, Points: map[time.Time]map[string]float64{}}
		for m, v := range seconds {
			s.Points[t0.Add(time.Duration(m)*time.Minute)] = map[string]float64{avg: v}
		}
		return s
	}
	series := []fastly.LogSeries{mk("/small", map[int]float64{0: 0.1}), mk("/big", map[int]float64{0: 0.5, 2: 0.75}), mk("/mid", map[int]float64{1: 0.4})}
	frames, err := LogSeriesFrames(series, LogSeriesRequest{Series: avg, Limit: 2, From: t0, To: t0.Add(3 * time.Minute), Step: time.Minute, ServiceID: "svc1"})
	require.NoError(t, err)
	require.Len(t, frames, 2)
	assert.Equal(t, "/big", frames[0].Name)
	assert.Equal(t, "/mid", frames[1].Name)
	v := frames[0].Fields[1]
	assert.Equal(t, data.Labels{"service": "svc1", "request_path": "/big"}, v.Labels)
	assert.Equal(t, avg, v.Name, "the field is named by the series asked")
	assert.Equal(t, 0.5, *v.At(0).(*float64))
	assert.Nil(t, v.At(1), "an average over no record is null, never 0")
	assert.Equal(t, 0.75, *v.At(2).(*float64))
	assert.Equal(t, "s", v.Config.Unit)
	assert.Equal(t, "/big", v.Config.DisplayNameFromDS, "a URL's series is shown by its URL")
	assert.Contains(t, frames[0].Meta.Notices[0].Text, "2 largest of 3 series")
	for i, f := range frames {
		experimental.CheckGoldenJSONFrame(t, "testdata", fmt.Sprintf("logseries_top_urls_%d", i), f, *update)
	}

	_, err = LogSeriesFrames(series, LogSeriesRequest{Series: "count", Limit: 2, From: t0, To: t0.Add(time.Minute), Step: time.Minute})
	assert.ErrorContains(t, err, "it documents no count", "a series Fastly does not document is refused")
}
