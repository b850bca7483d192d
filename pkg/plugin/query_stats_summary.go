package plugin

import (
	"context"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fanout"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// minutesSurelyKept is how far back Fastly's engineers say minute data is kept ("roughly one
// day"), against the 35 days the plugin otherwise assumes (docs/fastly-api.md, "Retention"). The per-POP
// summary is built from minutes: for a range older than this, one more call checks that it
// covered the whole range.
const minutesSurelyKept = 24 * time.Hour

// summaryTolerance absorbs what Fastly adds between the summary and the check, in buckets that
// are still filling.
const summaryTolerance = 0.05

// errSummaryUnusable: Fastly refused the summary, or it did not cover the range; the map is
// asked POP by POP instead.
var errSummaryUnusable = errors.New("the per-POP summary cannot serve this range")

// summaryServices lists the services whose summaries answer a POP map, or nil where the summary
// cannot serve it: a range beyond its reach, or All services when a summary per service of
// the account (two calls each past a day) would cost as many calls as asking POP by POP.
func (ds *Datasource) summaryServices(ctx context.Context, q models.Query, br bucketRange, perPOPCalls int) []string {
	if br.now.Sub(br.from) > fastly.SummaryRetention {
		return nil
	}
	if !q.AllServices() {
		return q.Services
	}
	services, err := ds.client.Services(ctx)
	if err != nil || len(services) == 0 {
		return nil // POP by POP still answers
	}
	each := 1
	if br.now.Sub(br.from) > minutesSurelyKept {
		each = 2
	}
	if len(services)*each >= perPOPCalls {
		return nil
	}
	ids := make([]string, len(services))
	for i, s := range services {
		ids[i] = s.ID
	}
	return ids
}

// summaryTotals asks each service's totals per POP in one call (GET
// /service/{id}/stats/summary), keeps the POPs in codes and adds the services up per POP. For a
// range older than minutesSurelyKept, one stats call per service checks the summary's bandwidth
// against the service's own total: a summary of only the newer minutes would show a part of
// the traffic as all of it. A refused or short summary is errSummaryUnusable.
func (ds *Datasource) summaryTotals(ctx context.Context, services []string, br bucketRange, specs []fastly.FieldSpec, codes []string) ([]frames.POPStats, error) {
	check := br.now.Sub(br.from) > minutesSurelyKept
	fields := specs
	if check && fieldIndex(specs, "bandwidth") < 0 {
		fields = append(append([]fastly.FieldSpec(nil), specs...), fastly.FieldSpec{Name: "bandwidth"})
	}
	answers := make([]map[string]*fastly.StatsPayload, len(services))
	err := fanout.Run(ctx, len(services), maxParallelQueries, func(ctx context.Context, i int) error {
		var err error
		answers[i], err = ds.client.Summary(ctx, fastly.SummaryQuery{ServiceID: services[i], Fields: fields, From: br.from, To: br.to})
		var apiErr *fastly.APIError
		if errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest {
			return errSummaryUnusable
		}
		if err != nil || !check {
			return err
		}
		return ds.summaryCovers(ctx, services[i], br, answers[i], fieldIndex(fields, "bandwidth"))
	})
	if err != nil {
		return nil, err
	}
	out := make([]frames.POPStats, len(codes))
	for i, code := range codes {
		out[i].Code = code
		for _, a := range answers {
			if p := a[code]; p != nil {
				if out[i].Payload == nil {
					out[i].Payload = &fastly.StatsPayload{}
				}
				for _, s := range p.Services {
					s.Columns = s.Columns[:len(specs)] // the check's bandwidth is not the map's
					out[i].Payload.Services = append(out[i].Payload.Services, s)
				}
			}
		}
	}
	return out, nil
}

// summaryCovers compares one service's summary, over every POP, with its own total bandwidth
// over the range: short by more than summaryTolerance, the summary is errSummaryUnusable.
func (ds *Datasource) summaryCovers(ctx context.Context, service string, br bucketRange, perPOP map[string]*fastly.StatsPayload, col int) error {
	total, err := ds.client.Stats(ctx, fastly.StatsQuery{ServiceID: service, Fields: []fastly.FieldSpec{{Name: "bandwidth"}},
		From: br.from, To: br.to, By: br.resolution, Now: br.now})
	if err != nil {
		return err
	}
	want, _ := frames.BucketSum(total, 0, math.MinInt64, math.MaxInt64)
	var got float64
	for _, p := range perPOP {
		v, _ := frames.BucketSum(p, col, math.MinInt64, math.MaxInt64)
		got += v
	}
	if got < want*(1-summaryTolerance) {
		return errSummaryUnusable
	}
	return nil
}

// fieldIndex is the position of the field named name in specs, or -1.
func fieldIndex(specs []fastly.FieldSpec, name string) int {
	for i, f := range specs {
		if f.Name == name {
			return i
		}
	}
	return -1
}
