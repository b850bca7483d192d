package plugin

import (
	"context"
	"errors"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// errEmptyRange is a time range that ends before it starts (a broken template or API call).
var errEmptyRange = errors.New("the time range is empty: it must end after it starts")

// usageMaxBuckets lets auto choose minutes for any range Fastly keeps minutes for: Fastly
// sums them itself, so the number of buckets costs the plugin nothing.
const usageMaxBuckets = 1 << 40

// queryUsage answers a billing usage query: bandwidth, requests and Compute requests summed
// over the panel's time range, per region, per service or in total, as one numeric-long
// frame (see frames.UsageFrame). Services are optional: none or "*" means the whole account.
func (ds *Datasource) queryUsage(ctx context.Context, _ backend.PluginContext, dq backend.DataQuery) backend.DataResponse {
	q, err := models.ParseQuery(dq.JSON)
	if err != nil {
		return ds.errorResponse(userError{err})
	}
	metrics, err := catalog.ResolveUsage(q.Metrics)
	if err != nil {
		return ds.errorResponse(userError{err})
	}
	now := ds.now()
	from, to := dq.TimeRange.From, dq.TimeRange.To
	if to.After(now) {
		to = now
	}
	if !to.After(from) {
		return ds.errorResponse(userError{errEmptyRange})
	}
	// Fastly sums whole buckets inside the range: take the finest size it still keeps for the
	// range (an explicit resolution is honoured), and widen from to that bucket's start so
	// the first, partial bucket counts.
	choice, err := models.ChooseResolution(q.Resolution, from, to, now, usageMaxBuckets)
	if err != nil {
		return ds.errorResponse(userError{err})
	}
	step := models.BucketSeconds(choice.Resolution)
	from = time.Unix(from.Unix()-from.Unix()%step, 0).UTC()
	var services []string
	if !q.AllServices() {
		services = q.Services
	}
	byService := q.GroupBy == "service" || len(services) > 0
	rows, err := ds.client.Usage(ctx, from, to, choice.Resolution, byService)
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
		Text:     "Usage is the total over the whole time range, as Fastly bills it; recent hours may still grow.",
	})
	return backend.DataResponse{Frames: data.Frames{frame}}
}
