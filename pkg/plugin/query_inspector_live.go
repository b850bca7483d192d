package plugin

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// Live Origin/Domain Inspector: an origins or domains query with "live": true reads
// rt.fastly.com/v1/{origins|domains} through the same hub, pollers, channels and frame builder
// as the realtime query type (one poller per service and product). A flag rather than a
// resolution keeps the historical editor's resolution choice intact when a panel is toggled.

// liveInspectorGroupBy are the groupings a live inspector panel offers: the shared poller sums
// each second over the service's origins (or domains), so each service's total or its POPs.
var liveInspectorGroupBy = []string{"", "service", "pop"}

// channelKind is the catalog kind whose metrics a live channel of product p carries: that of
// the query type registered with p as its real-time family.
func channelKind(p fastly.RealtimeProduct) catalog.Kind {
	for _, t := range queryTypes {
		if t.Realtime == p {
			return t.Kind
		}
	}
	return catalog.KindRealtime
}

// liveInspectorLimits refuses what a live inspector panel cannot show: the shared poller sums
// each second over the service's origins (or domains), so there is no per-origin split,
// filter or native ratio to offer live.
func liveInspectorLimits(q models.Query, metrics []catalog.Metric, ik models.TypeSpec) error {
	name := inspectorNoun(ik.Product)
	filter := name + "s" // the query field of the names: origins or domains
	switch {
	case !slices.Contains(ik.LiveGroupBy, q.GroupBy):
		return models.InField("groupBy", fmt.Errorf("live %s panels show each service's total or one series per POP: group by pop or nothing, or turn live off to group by %s", catalog.KindName(ik.Kind), q.GroupBy))
	case len(q.Origins) > 0 || len(q.Domains) > 0:
		return models.InField(filter, fmt.Errorf("live %s panels cannot filter by %s: clear the %s list, or turn live off", catalog.KindName(ik.Kind), name, name))
	case q.Region != "":
		return models.InField("region", fmt.Errorf("live %s panels cannot filter by region: pick POPs instead, or turn live off", catalog.KindName(ik.Kind)))
	}
	var bad []string
	for _, m := range metrics {
		if m.Ratio && m.FormulaFor(ik.Kind) == nil {
			bad = append(bad, m.Name)
		}
	}
	if len(bad) > 0 {
		return models.InField("metrics", fmt.Errorf("%s: Fastly computes these ratios per %s and they cannot be combined live; turn live off to see them", strings.Join(bad, ", "), name))
	}
	return nil
}

// queryInspectorLive answers a live inspector query like a realtime query: what Fastly still
// holds (about 120 s) now, and a live channel per service that continues it.
func (ds *Datasource) queryInspectorLive(ctx context.Context, pq parsedQuery, metrics []catalog.Metric) backend.DataResponse {
	q := pq.Query
	if err := liveInspectorLimits(q, metrics, pq.spec); err != nil {
		return ds.errorResponse(userError{err})
	}
	services, _, err := ds.inspectorServices(ctx, q, pq.spec.Product)
	if err != nil {
		return ds.errorResponse(err)
	}
	channels, err := liveChannels(pq.spec.Realtime, services, metrics, q)
	if err != nil {
		return ds.errorResponse(err)
	}
	return ds.answerLive(ctx, pq.pCtx, channels, metrics, q.LegendFormat)
}
