package plugin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
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

// maxPOPMapCalls bounds the calls one historical POP map may cost Fastly. Fastly's stats have
// no per-POP split, so the map asks once per POP (about 90), service and field: requests and
// hit ratio for one service or All services is 3 fields × 89 POPs = 267 calls.
const maxPOPMapCalls = 1000

// errPOPFilterIgnored: Fastly's answers show it did not filter by POP, so per-POP numbers
// from it would be the service's total shown at every POP.
var errPOPFilterIgnored = errors.New("Fastly did not filter its historical stats by POP (the datacenter parameter): " +
	"it answered every POP with the whole traffic, or the POPs together with more than the whole, so a POP map " +
	"from them would show wrong numbers. Use a realtime, origins or domains POP map: Fastly splits those by POP itself")

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

// statsPOPMap answers a historical stats query with format popmap: one stats call per POP with
// Fastly's `datacenter` filter, summed over the range per POP. The unfiltered total is fetched
// first and the POPs' answers checked against it, since whether Fastly honours the filter is
// undocumented: an ignored filter is an error, never the total shown at every POP.
func (ds *Datasource) statsPOPMap(ctx context.Context, pq parsedQuery, metrics []catalog.Metric, br bucketRange, specs []fastly.FieldSpec) backend.DataResponse {
	q := pq.Query
	if err := frames.SummableOverRange(metrics); err != nil {
		return ds.errorResponse(userError{models.InField("metrics", err)})
	}
	pops, err := ds.client.POPs(ctx)
	if err != nil {
		return ds.errorResponse(err)
	}
	codes, unknown := popCodes(q.Pops, pops)
	base := fastly.StatsQuery{Fields: specs, From: br.from, To: br.to, By: br.resolution, Region: q.Region, Now: br.now}
	scopes := len(q.Services)
	if q.AllServices() {
		scopes = 1
	}
	// each POP, plus the unfiltered total and one more POP that checkPOPSplit may ask for
	if calls := (len(codes) + 2) * scopes * fastly.POPStatsCalls(base); calls > maxPOPMapCalls {
		return ds.errorResponse(userError{models.InField("pops", fmt.Errorf(
			"this POP map could cost %d calls to Fastly (per service, field and day of minutes: one per POP, plus the total and one POP to check Fastly's filter), more than the %d allowed: "+
				"list fewer POPs, pick fewer services or metrics (or All services), or a shorter range", calls, maxPOPMapCalls))})
	}
	req := frames.StatsPOPMapRequest{
		Metrics: metrics, Fields: specs, From: br.from, To: br.to, Step: br.step, Now: br.now,
		PerSecond: q.PerSecond, Listed: len(q.Pops) > 0, Notices: br.notices,
	}
	var perPOP []frames.POPStats
	if len(codes) > 0 { // else only unknown codes were listed: nothing to ask
		total, err := ds.fetchStats(ctx, q, base) // first: see frames.CheckPOPSplit
		if err != nil {
			return ds.errorResponse(br.refused(err))
		}
		if perPOP, err = ds.fetchPOPs(ctx, q, base, codes); err != nil {
			return ds.errorResponse(br.refused(err))
		}
		if err := ds.checkPOPSplit(ctx, q, base, total, perPOP, pops, req); err != nil {
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

// fetchPOPs makes the query once per POP, the client's call slots bounding how many reach
// Fastly at once.
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

// checkPOPSplit refuses answers an ignored filter would give. When they cannot tell (one POP
// asked for, carrying all the traffic), it asks for one more POP: honoured, that one has less
// than the total; ignored, it has the total again. When the total was empty but the POPs are
// not (traffic arrived between the calls), it asks for the total again, now after the POPs, so
// that it holds at least what an honoured filter split.
func (ds *Datasource) checkPOPSplit(ctx context.Context, q models.Query, base fastly.StatsQuery, total *fastly.StatsPayload,
	perPOP []frames.POPStats, pops []fastly.POP, req frames.StatsPOPMapRequest) error {
	// Compare on the additive field with the most traffic: a field the total has none of (hits
	// of a pass-only service) cannot tell a filter from none.
	col, most := -1, -1.0
	for i, f := range base.Fields {
		if v, _ := frames.BucketSum(total, i, math.MinInt64, math.MaxInt64); !f.Ratio && v > most {
			col, most = i, v
		}
	}
	if col < 0 {
		return nil // no field adds up: StatsPOPMap refuses such metrics itself
	}
	verdict := frames.CheckPOPSplit(total, perPOP, col, req)
	if verdict == frames.SplitStale {
		fresh := base
		fresh.Fresh = true
		again, err := ds.fetchStats(ctx, q, fresh)
		if err != nil {
			return err
		}
		total = again
		verdict = frames.CheckPOPSplit(total, perPOP, col, req)
	}
	if verdict == frames.SplitUnproven {
		i := slices.IndexFunc(pops, func(p fastly.POP) bool {
			return !slices.ContainsFunc(perPOP, func(s frames.POPStats) bool { return s.Code == p.Code })
		})
		if i >= 0 {
			other, err := ds.fetchPOPs(ctx, q, base, []string{pops[i].Code})
			if err != nil {
				return err
			}
			verdict = frames.CheckPOPSplit(total, append(slices.Clip(perPOP), other...), col, req)
		}
	}
	if verdict != frames.SplitConsistent {
		return userError{models.InField("format", errPOPFilterIgnored)}
	}
	return nil
}
