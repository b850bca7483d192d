package plugin

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// queryType is one query type, whole: its spec (catalog kind, Fastly product, groupings,
// defaults, its own checks, what the editor shows) and how it answers (fetch and frame, in the
// type's own file).
type queryType struct {
	models.TypeSpec
	answer func(ds *Datasource, ctx context.Context, pq parsedQuery) backend.DataResponse
	// metrics lists the metrics it takes, for the editor's /metrics, when they are not its
	// catalog kind's (usage's billing totals).
	metrics func() []catalog.Metric
}

// parsedQuery is one query of a request, read once and prepared for its type.
type parsedQuery struct {
	models.Query
	spec models.TypeSpec
	dq   backend.DataQuery // time range, max data points, refId
	pCtx backend.PluginContext
}

// queryTypes is the registry: the one place a query type is declared. Routing, parsing and the
// editor's contract (src/queryTypes.generated.json, written from it by a test) read it.
// The order is the order types are listed to users. It is filled in init because the answers
// reach back into it (a live channel finds its catalog kind here).
var queryTypes []queryType

// edgeMetrics is the metric family of Fastly's edge: historical stats and real-time data name
// the same measurements alike.
const edgeMetrics = "edge"

// sampledLogFilters: the types that filter sampled records (logs, logseries) narrow by POP and
// domain through a condition on the record's field, like any other filter.
var sampledLogFilters = []models.AdHocKey{
	{Key: "pop", Field: "filters", LogField: "fastly_pop"},
	{Key: "domain", Field: "filters", LogField: "domain"},
}

func init() {
	queryTypes = []queryType{
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeStats, Label: "Historical", Description: "Historical stats per minute, hour or day",
			Kind: catalog.KindHistorical, MetricFamily: edgeMetrics, Buckets: true,
			GroupBy:        []string{"", "service"},
			AlsoAccepts:    []string{"pop"}, // a POP map's grouping (validateStats)
			DefaultMetrics: []string{"all_requests"}, POPMap: true, Region: true, Validate: validateStats,
			OwnFields: []string{"top"},
		}, answer: (*Datasource).queryStats},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeRealtime, Label: "Real-time", Description: "Live per-second traffic, streamed",
			Kind: catalog.KindRealtime, MetricFamily: edgeMetrics, Realtime: fastly.RealtimeChannel, Streams: true,
			GroupBy:        []string{"", "pop"},
			AlsoAccepts:    []string{"service"}, // every service is its own series in real time anyway
			DefaultMetrics: []string{"all_requests"}, POPMap: true,
			OwnFields: []string{"pops"},
		}, answer: (*Datasource).queryRealtime},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeOrigins, Label: "Origins", Description: "Origin Inspector: responses from your origin servers",
			Kind: catalog.KindOrigins, MetricFamily: "origins", Product: fastly.ProductOriginInspector,
			Realtime: fastly.RealtimeOrigins, LiveSwitch: true, Buckets: true,
			GroupBy: []string{"", "service", "origin", "pop", "region"}, LiveGroupBy: liveInspectorGroupBy,
			StartGroupBy: "origin", DefaultMetrics: []string{"all_responses"}, POPMap: true,
			OwnFields: []string{"pops", "origins"}, HistoryOnly: []string{"origins"},
		}, answer: (*Datasource).queryInspector},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeDomains, Label: "Domains", Description: "Domain Inspector: traffic per domain",
			Kind: catalog.KindDomains, MetricFamily: "domains", Product: fastly.ProductDomainInspector,
			Realtime: fastly.RealtimeDomains, LiveSwitch: true, Buckets: true,
			GroupBy: []string{"", "service", "domain", "pop", "region"}, LiveGroupBy: liveInspectorGroupBy,
			StartGroupBy: "domain", DefaultMetrics: []string{"edge_requests"}, POPMap: true,
			OwnFields: []string{"pops", "domains"}, HistoryOnly: []string{"domains"},
		}, answer: (*Datasource).queryInspector},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeUsage, Label: "Usage",
			Description:  "Billing usage: bandwidth, requests and Compute requests per region or service",
			MetricFamily: "usage", GroupBy: []string{"", "region", "service"}, StartGroupBy: "region",
			DefaultMetrics: []string{}, ServicesOptional: true, Region: true, // no metrics: every usage total
		}, answer: (*Datasource).queryUsage, metrics: catalog.UsageMetrics},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeEvents, Label: "Events", Description: "Configuration changes and purges, as annotations",
			GroupBy: []string{""}, DefaultMetrics: []string{}, ServicesOptional: true, Annotations: true,
			OwnFields: []string{"eventTypes"},
		}, answer: (*Datasource).queryEvents},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeInsights, Label: "Top lists",
			Description: "Log Insights: top URLs, status codes, countries... from sampled logs",
			Product:     fastly.ProductLogExplorer, GroupBy: []string{""}, DefaultMetrics: []string{},
			OneService: true, Limit: &models.InsightsLimit, OwnFields: []string{"insight", "domain", "pops"},
			AdHoc:    []models.AdHocKey{{Key: "domain", Field: "domain"}}, // one domain, matched exactly
			Defaults: models.InsightsDefaults, Validate: models.ValidateInsights,
		}, answer: (*Datasource).queryInsights},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeLogs, Label: "Logs",
			Description: "Sampled request logs (Log Explorer), for Explore and the Logs panel",
			Product:     fastly.ProductLogExplorer, GroupBy: []string{""}, DefaultMetrics: []string{},
			OneService: true, Limit: &models.LogsLimit, OwnFields: []string{"filters"}, AdHoc: sampledLogFilters,
			Validate: models.ValidateLogs,
		}, answer: (*Datasource).queryLogs},
		{TypeSpec: models.TypeSpec{
			Name: models.QueryTypeLogSeries, Label: "Logs over time",
			Description: "Sampled requests' response time or size over time, e.g. for each of the top 10 URLs",
			Product:     fastly.ProductLogExplorer, GroupBy: []string{""}, DefaultMetrics: []string{},
			OneService: true, Limit: &models.LogSeriesLimit, OwnFields: []string{"series", "dimension", "filters"},
			AdHoc:    sampledLogFilters,
			Defaults: models.LogSeriesDefaults, Validate: models.ValidateLogSeries,
		}, answer: (*Datasource).queryLogSeries},
	}
}

// lookupType finds a registered query type by name.
func lookupType(name string) (*queryType, bool) {
	for i := range queryTypes {
		if queryTypes[i].Name == name {
			return &queryTypes[i], true
		}
	}
	return nil, false
}

// metricList is what the editor may pick as the type's metrics.
func (t *queryType) metricList() []catalog.Metric {
	if t.metrics != nil {
		return t.metrics()
	}
	return catalog.ForKind(t.Kind)
}

// metricTypeNames are the types whose metrics /metrics lists: those that take metrics.
func metricTypeNames() []string {
	var names []string
	for _, t := range queryTypes {
		if t.MetricFamily != "" {
			names = append(names, t.Name)
		}
	}
	return names
}

// typeNames lists the registered query types, in registry order.
func typeNames() []string {
	names := make([]string, len(queryTypes))
	for i, t := range queryTypes {
		names[i] = t.Name
	}
	return names
}

// parseQuery reads a query once and prepares it for its type. The type may be in the model's
// JSON (what the editor writes) or only in DataQuery.QueryType (what alert rules and API calls
// may set alone); the JSON wins when both are set, and neither means stats (queries saved
// before queryType existed), so a realtime query never quietly answers as historical stats.
func parseQuery(dq backend.DataQuery) (*queryType, models.Query, error) {
	q, err := models.DecodeQuery(dq.JSON)
	if err != nil {
		return nil, q, err
	}
	name := q.QueryType
	if name == "" {
		name = dq.QueryType
	}
	if name == "" {
		name = models.QueryTypeStats
	}
	qt, ok := lookupType(name)
	if !ok {
		return nil, q, models.UnknownTypeError(name, typeNames())
	}
	return qt, q, q.Prepare(qt.TypeSpec)
}

// answerQuery parses a query once and hands it to its type. It also names the type, for the
// query's span and log: the name asked for when it is unknown, clipped since anyone may send it.
func (ds *Datasource) answerQuery(ctx context.Context, pCtx backend.PluginContext, dq backend.DataQuery) (string, backend.DataResponse) {
	qt, q, err := parseQuery(dq)
	if err == nil && qt.Region {
		err = ds.checkRegion(ctx, q.Region)
	}
	if err != nil {
		return safetext.Clip(cmp.Or(q.QueryType, dq.QueryType), 64), ds.errorResponse(userError{err})
	}
	return qt.Name, qt.answer(ds, ctx, parsedQuery{Query: q, spec: qt.TypeSpec, dq: dq, pCtx: pCtx})
}

// checkRegion refuses a region Fastly does not have, naming the field, before any data
// request: Fastly's own refusal names it only in prose. The list is Fastly's (/stats/regions,
// cached); when it cannot be had, the region is left for Fastly to judge.
func (ds *Datasource) checkRegion(ctx context.Context, region string) error {
	if region == "" {
		return nil
	}
	regions, err := ds.client.Regions(ctx)
	if err != nil || slices.Contains(regions, region) {
		return nil
	}
	return models.InField("region", fmt.Errorf("unknown region %q: use one of %s, or none for every region", safetext.Clip(region, 64), strings.Join(regions, ", ")))
}
