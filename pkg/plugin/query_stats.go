package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fanout"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// queryStats answers a historical stats query.
func (ds *Datasource) queryStats(ctx context.Context, pq parsedQuery) backend.DataResponse {
	q, dq := pq.Query, pq.dq
	metrics, err := catalog.Resolve(q.Metrics, pq.spec.Kind)
	if err != nil {
		return ds.errorResponse(userError{models.InField("metrics", err)})
	}
	br, err := ds.bucketRange(q.Resolution, dq.TimeRange, dq.MaxDataPoints)
	if err != nil {
		return ds.errorResponse(err)
	}
	specs := fieldSpecs(catalog.Fields(q.Metrics, pq.spec.Kind))
	if q.Format == models.FormatPOPMap {
		return ds.statsPOPMap(ctx, pq, metrics, br, specs)
	}
	payload, br, err := ds.fetchSeries(ctx, q, pq.dq, br, specs)
	if err != nil {
		return ds.errorResponse(br.refused(err))
	}
	names := ds.serviceNames(ctx)
	byService := q.GroupBy == "service" || (len(q.Services) == 1 && !q.AllServices())
	if q.Top > 0 {
		payload, names = keepTop(q, specs, payload, names)
		byService = true
	}
	fr, err := frames.StatsFrames(payload, frames.StatsRequest{
		Metrics:       metrics,
		Fields:        specs,
		From:          br.from,
		To:            br.to,
		Step:          br.step,
		Now:           br.now,
		PerSecond:     q.PerSecond,
		ByService:     byService,
		ServiceNames:  names,
		LegendFormat:  q.LegendFormat,
		Notices:       br.notices,
		UnknownBefore: br.unknownBefore,
	})
	if err != nil {
		return ds.errorResponse(userError{err})
	}
	ds.linkToLogs(ctx, pq.pCtx, fr)
	return backend.DataResponse{Frames: fr}
}

// fetchStats makes one /stats call for every service, or one call per listed service.
func (ds *Datasource) fetchStats(ctx context.Context, q models.Query, req fastly.StatsQuery) (*fastly.StatsPayload, error) {
	if q.AllServices() {
		return ds.client.Stats(ctx, req)
	}
	parts := make([]*fastly.StatsPayload, len(q.Services))
	err := fanout.Run(ctx, len(q.Services), maxParallelQueries, func(ctx context.Context, i int) error {
		r := req
		r.ServiceID = q.Services[i]
		var err error
		parts[i], err = ds.client.Stats(ctx, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	merged := &fastly.StatsPayload{}
	for i := range parts {
		merged.Meta = parts[i].Meta
		merged.Services = append(merged.Services, parts[i].Services...)
	}
	return merged, nil
}

// fieldSpecs says how to decode each raw field, from the catalog.
func fieldSpecs(names []string) []fastly.FieldSpec {
	specs := make([]fastly.FieldSpec, len(names))
	for i, name := range names {
		m, _ := catalog.Lookup(name)
		specs[i] = fastly.FieldSpec{Name: name, Float: m.Float, Ratio: m.Ratio}
	}
	return specs
}

// serviceNames maps ids to names for labels; without it, labels fall back to ids rather than
// failing the query.
func (ds *Datasource) serviceNames(ctx context.Context) map[string]string {
	services, err := ds.client.Services(ctx)
	if err != nil {
		backend.Logger.FromContext(ctx).Debug("service names unavailable; labelling by id", "error", ds.redact(err.Error()))
		return nil
	}
	names := make(map[string]string, len(services))
	for _, s := range services {
		names[s.ID] = s.Name
	}
	return names
}
