package plugin

import (
	"context"
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// Notices of minutes Fastly may not keep (docs/fastly-api.md, "Retention": 35 days as the
// plugin long assumed, about one day by Fastly's engineers).
const (
	minutesGoneNotice    = "Showing hourly data: Fastly sent no minute of this range older than a day (its engineers say it keeps minutes about a day)."
	minutesUnknownNotice = "Fastly sent no minute of this range older than a day: those minutes are shown empty, not zero, since Fastly may keep minutes only about a day, its engineers say. Choose hour resolution for them."
)

// fetchSeries fetches a stats time series. Minutes older than a day may be kept or not: when
// Fastly refuses them or sends none, an auto resolution is fetched again by the hour, with a
// notice; an explicit minute resolution keeps its minutes and marks the older ones unknown
// (bucketRange.unknownBefore), never zero.
func (ds *Datasource) fetchSeries(ctx context.Context, q models.Query, dq backend.DataQuery, br bucketRange, specs []fastly.FieldSpec) (*fastly.StatsPayload, bucketRange, error) {
	req := fastly.StatsQuery{Fields: specs, From: br.from, To: br.to, By: br.resolution, Region: q.Region, Now: br.now}
	payload, err := ds.fetchStats(ctx, q, req)
	dayAgo := br.now.Add(-minutesSurelyKept).Unix()
	if br.resolution != models.ResolutionMinute || br.from.Unix() >= dayAgo {
		return payload, br, err
	}
	var apiErr *fastly.APIError
	refused := errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest
	if (err != nil && !refused) || (err == nil && hasBucketBefore(payload, dayAgo)) {
		return payload, br, err
	}
	if q.Resolution != models.ResolutionAuto {
		if err == nil {
			br.unknownBefore = dayAgo
			br.notices = append(br.notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: minutesUnknownNotice})
		}
		return payload, br, err
	}
	hourly, err := ds.bucketRange(models.ResolutionHour, dq.TimeRange, dq.MaxDataPoints)
	if err != nil {
		return nil, br, err
	}
	hourly.notices = append(hourly.notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: minutesGoneNotice})
	req.From, req.To, req.By = hourly.from, hourly.to, hourly.resolution
	payload, err = ds.fetchStats(ctx, q, req)
	return payload, hourly, err
}

// hasBucketBefore reports whether any service of p has a bucket starting before t.
func hasBucketBefore(p *fastly.StatsPayload, t int64) bool {
	for _, s := range p.Services {
		if len(s.StartTimes) > 0 && s.StartTimes[0] < t {
			return true
		}
	}
	return false
}
