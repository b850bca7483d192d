package frames

import (
	"fmt"
	"sort"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// noSampleNotice explains an empty answer of the sampled-log queries: filters or a quiet range,
// not a failure.
var noSampleNotice = data.Notice{Severity: data.NoticeSeverityInfo, Text: "No sampled requests matched in this time range."}

// setSampleMeta gives a sampled-log table its type, visualization and notices, adding
// noSampleNotice when it has no rows, so an empty table says why.
func setSampleMeta(frame *data.Frame, typ data.FrameType, version data.FrameTypeVersion, vis data.VisType, notices []data.Notice, rows int) {
	if rows == 0 {
		notices = append(notices, noSampleNotice)
	}
	frame.SetMeta(&data.FrameMeta{Type: typ, TypeVersion: version, PreferredVisualization: vis, Notices: notices})
}

// LogSeriesRequest describes how to lay out log time series.
type LogSeriesRequest struct {
	Series    string // the series expression asked (avg[response_time], ...)
	Limit     int    // keep the Limit series with the largest totals
	From, To  time.Time
	Step      time.Duration
	ServiceID string
	Notices   []data.Notice
}

// LogSeriesFrames makes one timeseries-multi frame per series, the Limit largest by total (the
// slowest URLs, say), labelled with the dimension's value. Every bucket of the range is
// present: an aggregate (avg, p99) over no sampled record is null, never 0.
func LogSeriesFrames(series []fastly.LogSeries, r LogSeriesRequest) (data.Frames, error) {
	label, unit, err := catalog.LogSeries(r.Series)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(series, func(i, j int) bool { return series[i].Total(r.Series) > series[j].Total(r.Series) })
	notices := append([]data.Notice(nil), r.Notices...)
	if len(series) > r.Limit {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("Showing the %d largest of %d series; raise the limit (at most 100) to see more.", r.Limit, len(series))})
		series = series[:r.Limit]
	}
	var buckets []time.Time
	for t := r.From.Truncate(r.Step); t.Before(r.To); t = t.Add(r.Step) {
		buckets = append(buckets, t.UTC())
	}
	out := make(data.Frames, 0, len(series))
	for _, s := range series {
		values := make([]*float64, len(buckets))
		for i, b := range buckets {
			if v, ok := s.Points[b][r.Series]; ok {
				values[i] = &v
			}
		}
		labels := data.Labels{"service": r.ServiceID}
		name := label
		for _, d := range s.Dimensions {
			labels[d.Key] = d.Text
			name = d.Text
		}
		v := data.NewField(r.Series, labels, values)
		v.Config = &data.FieldConfig{DisplayNameFromDS: name, Unit: unit}
		f := data.NewFrame(name, data.NewField("time", nil, append([]time.Time(nil), buckets...)), v)
		f.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		out = append(out, f)
	}
	if len(out) == 0 {
		f := data.NewFrame(label)
		f.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
		notices = append(notices, noSampleNotice)
		out = append(out, f)
	}
	out[0].Meta.Notices = append(out[0].Meta.Notices, notices...)
	return out, nil
}
