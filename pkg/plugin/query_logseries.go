package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
)

// maxLogSeriesPoints bounds the buckets of a log series whatever the panel asks: Fastly
// aggregates sampled records, so finer buckets than this only add noise.
const maxLogSeriesPoints = 1500

// queryLogSeries answers sampled log records aggregated per time bucket (an average or 99th
// percentile of a field, the functions Fastly's reference shows), one series per value of the
// chosen dimension, the largest first: e.g. the response time of the 10 slowest URLs.
func (ds *Datasource) queryLogSeries(ctx context.Context, pq parsedQuery) backend.DataResponse {
	return ds.answerLogQuery(ctx, pq, data.FrameTypeTimeSeriesMulti, func(w *logWindow) (data.Frames, error) {
		granularity := logGranularity(w.to.Sub(w.from), pq.dq.MaxDataPoints)
		step := fastly.GranularityStep(granularity)
		from := w.from.Truncate(step)
		if from.Before(w.from) && len(w.notices) > 0 {
			from = from.Add(step) // the range was clipped to the retention: stay inside it
		}
		var dims []string
		if w.q.Dimension != "" {
			dims = []string{w.q.Dimension}
		}
		res, err := ds.client.LogTimeseries(ctx, fastly.LogTimeseriesQuery{
			ServiceID: w.q.Services[0], Start: from, End: w.to, Granularity: granularity,
			Series: []string{w.q.Series}, Dimensions: dims, Filters: w.q.Filters,
		})
		if err != nil {
			return nil, err
		}
		notices := w.notices
		if res.OtherServices > 0 {
			notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf(
				"Fastly did not apply the service filter and also sent %d series of other services; they are left out, so what is shown is this service's alone.",
				res.OtherServices)})
		}
		fr, err := frames.LogSeriesFrames(res.Series, frames.LogSeriesRequest{
			Series: w.q.Series, Limit: w.q.Limit, From: from, To: w.to, Step: step,
			ServiceID: w.q.Services[0], Notices: notices,
		})
		if err != nil {
			return nil, userError{err}
		}
		return fr, nil
	})
}

// logGranularity picks the finest bucket that keeps the series within the panel's points and
// Fastly's limits (per-second buckets only up to 300 of them).
func logGranularity(span time.Duration, maxPoints int64) string {
	if maxPoints <= 0 || maxPoints > maxLogSeriesPoints {
		maxPoints = maxLogSeriesPoints
	}
	for _, g := range []string{"second", "minute", "hour"} {
		step := fastly.GranularityStep(g)
		n := int64(span / step)
		if g == "second" && n > 300 {
			continue
		}
		if n <= maxPoints {
			return g
		}
	}
	return "day"
}
