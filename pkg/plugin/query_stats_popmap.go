package plugin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fanout"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// maxCallsPerPOP is the budget of a historical POP map asked POP by POP: each POP Fastly lists
// may cost this many calls (fields × range chunks × services), so a map of every POP fits
// however many POPs Fastly lists today, and a costlier one is refused before any call.
const maxCallsPerPOP = 12

// validateStats keeps the POP grouping to the POP map (historical time series are not split by
// POP) and the top list to time series.
func validateStats(q models.Query) error {
	switch {
	case q.GroupBy == "pop" && q.Format != models.FormatPOPMap:
		return models.InField("groupBy", errors.New(`historical stats are split by POP only for a POP map: set the format to "popmap", or group by service or nothing`))
	case q.Top > 0 && q.Format == models.FormatPOPMap:
		return models.InField("top", errors.New("a POP map has one row per POP, not a top list of services: clear Top, or draw time series"))
	}
	return nil
}

// statsPOPMap answers a historical stats query with format popmap: each POP's totals over the
// range, one table row per POP. Totals come from one summary call per service
// (query_stats_summary.go), for All services too when the account's services are fewer than
// the calls POP by POP; otherwise, or when Fastly refuses the summary, from one stats call
// per POP with Fastly's datacenter filter, whose answer must echo the POP (docs/fastly-api.md,
// "POP filter"). A region selects the POPs whose stats_region it is, and is never sent beside
// datacenter: Fastly would answer for the whole region.
func (ds *Datasource) statsPOPMap(ctx context.Context, pq parsedQuery, metrics []catalog.Metric, br bucketRange, specs []fastly.FieldSpec) backend.DataResponse {
	q := pq.Query
	if err := frames.SummableOverRange(metrics); err != nil {
		return ds.errorResponse(userError{models.InField("metrics", err)})
	}
	var err error
	if br, err = ds.popMapResolution(q, pq.dq, br); err != nil {
		return ds.errorResponse(err)
	}
	pops, err := ds.client.POPs(ctx)
	if err != nil {
		return ds.errorResponse(err)
	}
	codes, unknown := popCodes(q.Pops, pops)
	if q.Region != "" {
		if codes, err = inRegion(codes, pops, q.Region); err != nil {
			return ds.errorResponse(userError{models.InField("region", err)})
		}
	}
	req := frames.StatsPOPMapRequest{
		Metrics: metrics, Fields: specs, From: br.from, To: br.to, Step: br.step, Now: br.now,
		PerSecond: q.PerSecond, Listed: len(q.Pops) > 0, Notices: br.notices,
	}
	var perPOP []frames.POPStats
	if len(codes) > 0 { // else only unknown codes were listed, or none in the region: nothing to ask
		if perPOP, err = ds.popTotals(ctx, q, br, specs, codes, len(pops)); err != nil {
			return ds.errorResponse(err)
		}
	}
	if len(q.Services) == 1 && !q.AllServices() {
		req.Service = q.Services[0]
		req.ServiceName = cmp.Or(ds.serviceNames(ctx)[req.Service], req.Service)
	}
	for _, code := range unknown {
		perPOP = append(perPOP, frames.POPStats{Code: code})
	}
	if len(unknown) > 0 {
		req.Notices = append(req.Notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: "Not POP codes Fastly lists (GET /datacenters), so not asked for: " + strings.Join(unknown, ", ")})
	}
	frame, err := frames.StatsPOPMap(perPOP, pops, req)
	if err != nil {
		return ds.errorResponse(userError{models.InField("metrics", err)})
	}
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// popTotals asks Fastly for each POP's totals: by summary where it can serve them, else POP by
// POP within the budget.
func (ds *Datasource) popTotals(ctx context.Context, q models.Query, br bucketRange, specs []fastly.FieldSpec, codes []string, popCount int) ([]frames.POPStats, error) {
	base := fastly.StatsQuery{Fields: specs, From: br.from, To: br.to, By: br.resolution, Now: br.now}
	scopes := len(q.Services)
	if q.AllServices() {
		scopes = 1
	}
	calls := len(codes) * scopes * fastly.POPStatsCalls(base)
	if services := ds.summaryServices(ctx, q, br, calls); services != nil {
		perPOP, err := ds.summaryTotals(ctx, services, br, specs, codes)
		if !errors.Is(err, errSummaryUnusable) {
			return perPOP, br.refused(err)
		}
	}
	if most := popCount * maxCallsPerPOP; calls > most {
		return nil, userError{models.InField("pops", fmt.Errorf(
			"this POP map would cost %d calls to Fastly (one per POP, service, field and day of minutes), more than the %d allowed "+
				"(%d for each of the %d POPs Fastly lists): list fewer POPs or a region, pick fewer services or metrics (or All services), or a shorter range",
			calls, most, maxCallsPerPOP, popCount))}
	}
	perPOP, err := ds.fetchPOPs(ctx, q, base, codes)
	var ignored *fastly.DatacenterIgnoredError
	if errors.As(err, &ignored) {
		return nil, userError{models.InField("format", fmt.Errorf("%w: its numbers would be the whole service's at every POP. "+
			"Use a realtime, origins or domains POP map, which Fastly splits by POP itself", err))}
	}
	return perPOP, br.refused(err)
}

// inRegion keeps the codes of the POPs whose stats region is region, as /datacenters says.
func inRegion(codes []string, pops []fastly.POP, region string) ([]string, error) {
	byCode := map[string]fastly.POP{}
	told := false
	for _, p := range pops {
		byCode[p.Code] = p
		told = told || p.StatsRegion != ""
	}
	if !told {
		return nil, errors.New("Fastly's POP list (GET /datacenters) does not say which stats region each POP is in, " +
			"so a POP map cannot be narrowed to a region: list the POPs instead, or clear the region")
	}
	var out []string
	for _, c := range codes {
		if byCode[c].StatsRegion == region {
			out = append(out, c)
		}
	}
	return out, nil
}

// maxPOPCode bounds a listed code as the map echoes it back: real codes have three letters.
const maxPOPCode = 16

// popCodes is the POPs a map asks Fastly about: the query's list (upper-cased; codes
// /datacenters does not know are returned apart, never sent), or every POP.
func popCodes(listed []string, pops []fastly.POP) (codes, unknown []string) {
	if len(listed) == 0 {
		for _, p := range pops {
			codes = append(codes, p.Code)
		}
		return codes, nil
	}
	for _, c := range listed {
		c = safetext.Clip(strings.ToUpper(c), maxPOPCode) // echoed in the table and a notice
		switch {
		case slices.Contains(codes, c) || slices.Contains(unknown, c):
		case slices.ContainsFunc(pops, func(p fastly.POP) bool { return p.Code == c }):
			codes = append(codes, c)
		default:
			unknown = append(unknown, c)
		}
	}
	return codes, unknown
}

// fetchPOPs makes the query once per POP, the datacenter filter alone (never with a region),
// the client's call slots bounding how many reach Fastly at once.
func (ds *Datasource) fetchPOPs(ctx context.Context, q models.Query, base fastly.StatsQuery, codes []string) ([]frames.POPStats, error) {
	out := make([]frames.POPStats, len(codes))
	err := fanout.Run(ctx, len(codes), maxParallelQueries, func(ctx context.Context, i int) error {
		r := base
		r.Datacenter = codes[i]
		p, err := ds.fetchStats(ctx, q, r)
		out[i] = frames.POPStats{Code: codes[i], Payload: p}
		return err
	})
	return out, err
}

// popMapResolution keeps a POP map off minutes older than a day, which Fastly may not keep
// (docs/fastly-api.md, "Retention"): a map adds its range up, so the hour serves as well; an
// explicit minute resolution is refused rather than summed short.
func (ds *Datasource) popMapResolution(q models.Query, dq backend.DataQuery, br bucketRange) (bucketRange, error) {
	if br.resolution != models.ResolutionMinute || br.now.Sub(br.from) <= minutesSurelyKept {
		return br, nil
	}
	if q.Resolution != models.ResolutionAuto {
		return br, userError{models.InField("resolution", errors.New("a POP map of minutes older than a day could add up only the minutes Fastly still keeps "+
			"(about a day, its engineers say): choose hour or auto resolution"))}
	}
	hourly, err := ds.bucketRange(models.ResolutionHour, dq.TimeRange, dq.MaxDataPoints)
	if err != nil {
		return br, err
	}
	hourly.notices = append(hourly.notices, data.Notice{Severity: data.NoticeSeverityInfo,
		Text: "Summed by the hour: Fastly may keep minutes only about a day, its engineers say."})
	return hourly, nil
}
