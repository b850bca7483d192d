package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// usageMaxBuckets lets auto choose minutes for any range Fastly keeps minutes for: Fastly
// sums them itself, so the number of buckets costs the plugin nothing.
const usageMaxBuckets = 1 << 40

// queryUsage answers a billing usage query: bandwidth, requests and Compute requests summed
// over the panel's time range, per region, per service or in total, as one numeric-long
// frame (see frames.UsageFrame). Services are optional: none or "*" means the whole account.
func (ds *Datasource) queryUsage(ctx context.Context, pq parsedQuery) backend.DataResponse {
	q := pq.Query
	metrics, err := catalog.ResolveUsage(q.Metrics)
	if err != nil {
		return ds.errorResponse(userError{models.InField("metrics", err)})
	}
	// Fastly sums whole buckets inside the range: take the finest size it still keeps for the
	// range (an explicit resolution is honoured); bucketRange widens from to that bucket's
	// start so the first, partial bucket counts.
	br, err := ds.bucketRange(q.Resolution, pq.dq.TimeRange, usageMaxBuckets)
	if err != nil {
		return ds.errorResponse(err)
	}
	var services []string
	if !q.AllServices() {
		services = q.Services
	}
	byService := q.GroupBy == "service" || len(services) > 0
	rows, err := ds.client.Usage(ctx, br.from, br.to, br.resolution, byService)
	if err != nil {
		return ds.errorResponse(br.refused(err))
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
		Text:     "Usage is the total over the whole time range, as Fastly bills it; recent hours may still grow.",
	})
	return backend.DataResponse{Frames: data.Frames{frame}}
}
