package fastly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
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
	Series      []string // Fastly series expressions, e.g. avg[response_time]
	Dimensions  []string // log fields to split by, e.g. request_path; none = one series
	Filters     []LogFilter
}

// LogSeries is one combination of dimension values with its buckets: Points maps a bucket's
// start to the series values Fastly sent for it (a bucket absent had no sampled record).
type LogSeries struct {
	Dimensions []Entry
	Points     map[time.Time]map[string]float64
}

// LogSeriesResult is one service's series. OtherServices counts the rows Fastly sent for other
// services, which the plugin left out: Fastly did not apply the service filter.
type LogSeriesResult struct {
	Series        []LogSeries
	OtherServices int
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

// serviceDimension is the log field naming a record's service: the plugin filters on it and
// splits by it, so every row says which service it counts.
const serviceDimension = "service_id"

// ErrLogSeriesUnscoped is an answer whose rows do not say which service they count (inside
// a DecodeError).
var ErrLogSeriesUnscoped = errors.New("its rows do not say which service they count (no service_id dimension), " +
	"so the plugin cannot tell this service's numbers from the whole account's and shows none")

// LogTimeseries fetches one service's /observability/timeseries?source=logs answer and groups its
// rows by their other dimensions, in the order they first appear. The current reference takes
// source, from, to, granularity, series, dimensions and filter, and no service_id
// (docs/fastly-api.md, "Log time series"): the service is chosen by filtering its log field
// service_id, and service_id is also asked as a dimension, so each row says whose it is. Rows of
// other services (a filter Fastly did not apply) are left out and counted; rows that do not say
// (ErrLogSeriesUnscoped), or a meta naming another range or granularity, are a DecodeError.
func (c *Client) LogTimeseries(ctx context.Context, q LogTimeseriesQuery) (*LogSeriesResult, error) {
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
	var out *LogSeriesResult
	err := c.withFlagSpelling(q.Filters, func(sp flagSpelling) error {
		var err error
		out, err = c.logTimeseries(ctx, q, sp)
		return err
	})
	return out, err
}

func (c *Client) logTimeseries(ctx context.Context, q LogTimeseriesQuery, sp flagSpelling) (*LogSeriesResult, error) {
	v := url.Values{}
	v.Set("source", "logs")
	v.Set("from", rfc3339(q.Start))
	v.Set("to", rfc3339(q.End))
	v.Set("granularity", q.Granularity)
	v.Set("series", strings.Join(q.Series, ","))
	v.Set("dimensions", strings.Join(append([]string{serviceDimension}, q.Dimensions...), ","))
	v.Set("filter["+serviceDimension+"]", q.ServiceID)
	if err := addLogFilters(v, q.Filters, sp); err != nil {
		return nil, err
	}
	const path = "/observability/timeseries"
	env, err := c.getObservability(ctx, path, v)
	if err != nil {
		return nil, err
	}
	if err := checkSeriesMeta(env.Meta, q); err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	series, err := decodeLogSeries(env.Data)
	if err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	res, err := ownService(series, q.ServiceID)
	if err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	return res, nil
}

// checkSeriesMeta compares the answer's meta (from, to, granularity: TimeseriesMeta in the
// reference) with what was asked; a meta that leaves one out says nothing against it.
func checkSeriesMeta(raw json.RawMessage, q LogTimeseriesQuery) error {
	var m struct{ From, To, Granularity string }
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	for _, c := range []struct {
		name, got string
		want      time.Time
	}{{"from", m.From, q.Start}, {"to", m.To, q.End}} {
		if t, err := time.Parse(time.RFC3339, c.got); c.got != "" && (err != nil || !t.Equal(c.want.Truncate(time.Second))) {
			return fmt.Errorf("its meta.%s is %q, not the %s asked for", c.name, safetext.Clip(c.got, 64), rfc3339(c.want))
		}
	}
	if m.Granularity != "" && m.Granularity != q.Granularity {
		return fmt.Errorf("its meta.granularity is %q, not the %s asked for", safetext.Clip(m.Granularity, 32), q.Granularity)
	}
	return nil
}

// ownService keeps the series of the service asked for, without their service_id dimension.
func ownService(series []LogSeries, serviceID string) (*LogSeriesResult, error) {
	out := &LogSeriesResult{}
	for _, s := range series {
		id, found := "", false
		var dims []Entry
		for _, d := range s.Dimensions {
			if d.Key == serviceDimension {
				id, found = d.Text, true
				continue
			}
			dims = append(dims, d)
		}
		switch {
		case !found:
			return nil, ErrLogSeriesUnscoped
		case id != serviceID:
			out.OtherServices++
		default:
			out.Series = append(out.Series, LogSeries{Dimensions: dims, Points: s.Points})
		}
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
