package plugin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// queryUsage answers a billing usage query: bandwidth, requests and Compute requests summed
// over the whole UTC days of the panel's time range, per region, per service or in total, as
// one numeric-long frame (see frames.UsageFrame). Services are optional: none or "*" means the
// whole account.
//
// Fastly's reference gives the usage endpoints only from and to (docs/fastly-api.md, "Usage"):
// whether they count a part of a day is not said, so the plugin asks for whole UTC days only,
// which every reading counts alike, and says which. Fastly ignores a region there, so regions
// are filtered here.
func (ds *Datasource) queryUsage(ctx context.Context, pq parsedQuery) backend.DataResponse {
	q := pq.Query
	metrics, err := catalog.ResolveUsage(q.Metrics)
	if err != nil {
		return ds.errorResponse(userError{models.InField("metrics", err)})
	}
	from, to, _, err := ds.clipToNow(pq.dq.TimeRange)
	if err != nil {
		return ds.errorResponse(err)
	}
	from, to = wholeDays(from, to)
	if !to.After(from) {
		return ds.errorResponse(userError{errNoWholeDay})
	}
	var services []string
	if !q.AllServices() {
		services = q.Services
	}
	byService := q.GroupBy == "service" || len(services) > 0
	rows, err := ds.client.Usage(ctx, from, to, byService)
	if err != nil {
		return ds.errorResponse(err)
	}
	var names map[string]string
	if q.GroupBy == "service" {
		names = ds.serviceNames(ctx)
	}
	frame := frames.UsageFrame(rows, frames.UsageRequest{
		Metrics: metrics, GroupBy: q.GroupBy, Region: q.Region, Services: services, ServiceNames: names,
	})
	frame.Meta.Notices = append(frame.Meta.Notices, data.Notice{
		Severity: data.NoticeSeverityInfo,
		Text: fmt.Sprintf("Usage is the total of the whole UTC days in the time range, %s to %s, as Fastly bills it; the most recent day may still grow.",
			from.Format(time.DateOnly), to.Add(-24*time.Hour).Format(time.DateOnly)),
	})
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// errNoWholeDay is a usage range without one whole UTC day in it.
var errNoWholeDay = errors.New("usage is counted by whole UTC days and this time range holds none: widen it to include a day from midnight to midnight UTC")

// wholeDays narrows [from, to) to the whole UTC days inside it.
func wholeDays(from, to time.Time) (time.Time, time.Time) {
	const day = 24 * time.Hour
	start := from.UTC().Truncate(day)
	if start.Before(from) {
		start = start.Add(day)
	}
	return start, to.UTC().Truncate(day)
}
