package fastly

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Limits of the log time series: Fastly has been seen to fail beyond 300 second-buckets, and a
// series per distinct dimension value must stay a graph, not a dump.
const (
	maxSecondBuckets   = 300
	maxLogSeriesGroups = 5000
)

// LogTimeseriesQuery asks sampled logs aggregated per time bucket (source=logs).
type LogTimeseriesQuery struct {
	ServiceID   string
	Start, End  time.Time
	Granularity string   // second, minute, hour or day
	Series      []string // Fastly series expressions, e.g. count or avg[response_time]
	Dimensions  []string // log fields to split by, e.g. request_path; none = one series
	Filters     []LogFilter
}

// LogSeries is one combination of dimension values with its buckets: Points maps a bucket's
// start to the series values Fastly sent for it (a bucket absent had no sampled record).
type LogSeries struct {
	Dimensions []Entry
	Points     map[time.Time]map[string]float64
}

// Total is the sum of one series expression over every bucket, for ranking series.
func (s LogSeries) Total(series string) float64 {
	var sum float64
	for _, p := range s.Points {
		sum += p[series]
	}
	return sum
}

// granularityStep is each granularity's bucket length: the sampled logs' granularity and the
// stats' resolution ("by") use the same names.
var granularityStep = map[string]time.Duration{
	"second": time.Second, "minute": time.Minute, "hour": time.Hour, "day": 24 * time.Hour,
}

// GranularityStep is the bucket length of a granularity or stats resolution (0 when unknown).
func GranularityStep(g string) time.Duration { return granularityStep[g] }

// LogTimeseries fetches one /observability/timeseries?source=logs answer and groups its rows by
// their non-time dimensions, in the order they first appear.
func (c *Client) LogTimeseries(ctx context.Context, q LogTimeseriesQuery) ([]LogSeries, error) {
	if !ValidID(q.ServiceID) {
		return nil, fmt.Errorf("%q is not a Fastly service id", q.ServiceID)
	}
	step, ok := granularityStep[q.Granularity]
	if !ok {
		return nil, fmt.Errorf("unknown granularity %q: use second, minute, hour or day", q.Granularity)
	}
	if q.Granularity == "second" && q.End.Sub(q.Start) > maxSecondBuckets*step {
		return nil, fmt.Errorf("per-second log series cover at most %d seconds; use minute granularity for longer ranges", maxSecondBuckets)
	}
	if len(q.Series) == 0 {
		return nil, fmt.Errorf("no series asked for")
	}
	v := url.Values{}
	v.Set("source", "logs")
	v.Set("service_id", q.ServiceID)
	v.Set("from", rfc3339(q.Start))
	v.Set("to", rfc3339(q.End))
	v.Set("granularity", q.Granularity)
	v.Set("series", strings.Join(q.Series, ","))
	if len(q.Dimensions) > 0 {
		v.Set("dimensions", strings.Join(q.Dimensions, ","))
	}
	if err := addLogFilters(v, q.Filters); err != nil {
		return nil, err
	}
	const path = "/observability/timeseries"
	env, err := c.getObservability(ctx, path, v)
	if err != nil {
		return nil, err
	}
	out, err := decodeLogSeries(env.Data)
	if err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	return out, nil
}

type logSeriesRowJSON struct {
	Dimensions json.RawMessage `json:"dimensions"`
	Values     json.RawMessage `json:"values"`
}

func decodeLogSeries(data json.RawMessage) ([]LogSeries, error) {
	var rows []logSeriesRowJSON
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("data is not a list of rows: %w", err)
	}
	var out []LogSeries
	index := map[string]int{}
	for i, r := range rows {
		dims, err := orderedEntries(r.Dimensions)
		if err != nil {
			return nil, fmt.Errorf("row %d: dimensions: %w", i, err)
		}
		var at time.Time
		var found bool
		group := dims[:0:0]
		for _, d := range dims {
			if d.Key == "time" || d.Key == "timestamp" {
				at, found = parseLogTime(d)
				continue
			}
			group = append(group, d)
		}
		if !found {
			return nil, fmt.Errorf("row %d has no readable time", i)
		}
		values, err := orderedEntries(r.Values)
		if err != nil {
			return nil, fmt.Errorf("row %d: values: %w", i, err)
		}
		key := entriesKey(group)
		n, ok := index[key]
		if !ok {
			if len(out) == maxLogSeriesGroups {
				return nil, fmt.Errorf("more than %d distinct series: narrow the query with filters", maxLogSeriesGroups)
			}
			n = len(out)
			index[key] = n
			out = append(out, LogSeries{Dimensions: group, Points: map[time.Time]map[string]float64{}})
		}
		p := out[n].Points[at]
		if p == nil {
			p = map[string]float64{}
			out[n].Points[at] = p
		}
		for _, v := range values {
			if v.Numeric {
				p[v.Key] = v.Number
			}
		}
	}
	return out, nil
}

// entriesKey is a stable identity for a set of dimension values.
func entriesKey(es []Entry) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Key + "=" + e.Text
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x00")
}
