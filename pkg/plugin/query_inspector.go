package plugin

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fanout"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// maxInspectorServices bounds an "All services" inspector query: each service costs an
// enablement check and one call per ten metrics.
const maxInspectorServices = 25

// inspectorGroupBy maps the query model's groupBy to the inspector API's group_by dimension.
func inspectorGroupBy(groupBy string, p fastly.Product) []string {
	switch groupBy {
	case "origin", "domain":
		return []string{p.Dimension()}
	case "pop":
		return []string{fastly.DimDatacenter}
	case "region":
		return []string{fastly.DimRegion}
	}
	return nil // "" and "service": one series per service, summed or not
}

// queryInspector answers an Origin or Domain Inspector query: history, or with "live": true
// the last two minutes and a live channel (query_inspector_live.go); as series or a POP map.
func (ds *Datasource) queryInspector(ctx context.Context, pq parsedQuery) backend.DataResponse {
	return ds.withPOPMap(ctx, pq.Query, ds.inspectorSeries(ctx, pq))
}

func (ds *Datasource) inspectorSeries(ctx context.Context, pq parsedQuery) backend.DataResponse {
	q, dq, ik := pq.Query, pq.dq, pq.spec
	metrics, err := catalog.Resolve(q.Metrics, ik.Kind)
	if err != nil {
		return ds.errorResponse(userError{models.InField("metrics", err)})
	}
	if err := histogramsFit(q, metrics); err != nil {
		return ds.errorResponse(userError{err})
	}
	if q.Live {
		return ds.queryInspectorLive(ctx, pq, metrics)
	}
	br, err := ds.bucketRange(q.Resolution, dq.TimeRange, dq.MaxDataPoints)
	if err != nil {
		return ds.errorResponse(err)
	}

	base := fastly.InspectorQuery{
		Product: ik.Product, Metrics: catalog.Fields(q.Metrics, ik.Kind), Start: br.from, End: br.to, Downsample: br.resolution,
		GroupBy: inspectorGroupBy(q.GroupBy, ik.Product), Datacenters: q.Pops,
	}
	if q.Region != "" {
		base.Regions = []string{q.Region}
	}
	if ik.Product == fastly.ProductOriginInspector {
		base.Names = q.Origins
	} else {
		base.Names = q.Domains
	}

	notices := br.notices
	services, skipped, err := ds.inspectorServices(ctx, q, ik.Product)
	if err != nil {
		return ds.errorResponse(err)
	}
	if skipped != "" {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: skipped})
	}
	results, err := ds.fetchInspector(ctx, base, services)
	if err != nil {
		return ds.errorResponse(br.refused(err))
	}
	fr, err := frames.InspectorFrames(results, frames.InspectorRequest{
		Kind: ik.Kind, Metrics: metrics, From: br.from, To: br.to, Step: br.step, Now: br.now,
		PerSecond:    q.PerSecond,
		ByService:    q.GroupBy == "service" || (len(q.Services) == 1 && !q.AllServices()),
		Dimensions:   base.GroupBy,
		ServiceNames: ds.serviceNames(ctx),
		LegendFormat: q.LegendFormat,
		Notices:      notices,
	})
	if err != nil {
		return ds.errorResponse(userError{err})
	}
	return backend.DataResponse{Frames: fr}
}

// histogramsFit refuses a histogram metric (the latency heatmap) where it has no place: in
// live data, which streams one value per second, and on a POP map, which has one per POP.
func histogramsFit(q models.Query, metrics []catalog.Metric) error {
	for _, m := range metrics {
		switch {
		case !m.Histogram:
		case q.Live:
			return models.InField("metrics", fmt.Errorf("%s is a distribution drawn from history only: turn live off, or pick a latency percentile", m.Name))
		case q.Format == models.FormatPOPMap:
			return models.InField("metrics", fmt.Errorf("%s is a distribution, not one value per POP: leave it out of a POP map", m.Name))
		}
	}
	return nil
}

func appendNew(list []string, more ...string) []string {
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		seen[s] = true
	}
	for _, s := range more {
		if !seen[s] {
			seen[s] = true
			list = append(list, s)
		}
	}
	return list
}

// inspectorServices checks the product is enabled. Listed services must all have it: one that
// does not fails the query with a message saying how to enable it, rather than an empty panel.
// "All services" means every service that has it; the others are named in a notice.
func (ds *Datasource) inspectorServices(ctx context.Context, q models.Query, product fastly.Product) ([]string, string, error) {
	if !q.AllServices() {
		errs := make([]error, len(q.Services))
		parallel(len(q.Services), func(i int) { errs[i] = ds.client.CheckProduct(ctx, product, q.Services[i]) })
		for _, err := range errs {
			if err != nil {
				return nil, "", err
			}
		}
		return q.Services, "", nil
	}
	all, err := ds.client.Services(ctx)
	if err != nil {
		return nil, "", err
	}
	errs := make([]error, len(all))
	parallel(len(all), func(i int) { errs[i] = ds.client.CheckProduct(ctx, product, all[i].ID) })
	var enabled []string
	disabled := 0
	for i, s := range all {
		var pd *fastly.ProductDisabledError
		switch {
		case errs[i] == nil:
			enabled = append(enabled, s.ID)
		case errors.As(errs[i], &pd):
			disabled++
		default:
			return nil, "", errs[i]
		}
	}
	if len(enabled) == 0 {
		return nil, "", userError{fmt.Errorf("none of the %d services this token can see has %s enabled. It is a paid, per-service product: enable it in the Fastly web interface (the service's Observability > %s page) or with the enabled-products API",
			len(all), product.Name(), product.Name())}
	}
	sort.Strings(enabled)
	var notice string
	if len(enabled) > maxInspectorServices {
		notice = fmt.Sprintf("Showing the first %d of %d services with %s; pick services to see others.", maxInspectorServices, len(enabled), product.Name())
		enabled = enabled[:maxInspectorServices]
	} else if disabled > 0 {
		notice = fmt.Sprintf("%d of %d services do not have %s enabled and are left out.", disabled, len(all), product.Name())
	}
	return enabled, notice, nil
}

// fetchInspector makes one service's calls per service, in parallel.
func (ds *Datasource) fetchInspector(ctx context.Context, base fastly.InspectorQuery, services []string) ([]*fastly.InspectorResult, error) {
	results := make([]*fastly.InspectorResult, len(services))
	err := fanout.Run(ctx, len(services), maxParallelQueries, func(ctx context.Context, i int) error {
		q := base
		q.ServiceID = services[i]
		var err error
		results[i], err = ds.client.Inspector(ctx, q)
		return err
	})
	return results, err
}

// parallel runs fn(0..n-1) with at most maxParallelQueries at once, for work whose failures
// are each its own (a query of a request, a best-effort lookup); see fanout for calls that fail
// together.
func parallel(n int, fn func(i int)) {
	_ = fanout.Run(context.Background(), n, maxParallelQueries, func(_ context.Context, i int) error {
		fn(i)
		return nil
	})
}
