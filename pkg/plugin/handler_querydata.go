package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/tracing"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// maxParallelQueries bounds how many of one request's queries call Fastly at once.
const maxParallelQueries = 4

// querySpan is the span each query of a request gets; the calls to Fastly it makes are its
// children (fastly.UpstreamSpan).
const querySpan = "fastly.query"

// Attributes of the query span.
const (
	attrRefID       = attribute.Key("query.ref_id")
	attrQueryType   = attribute.Key("query.type")
	attrStatus      = attribute.Key("query.status")
	attrErrorSource = attribute.Key("query.error_source")
)

// perQuery runs each query of a request on its own, so one failing query (or one bug) fails only
// its own panel row, never the others.
func (ds *Datasource) perQuery(ctx context.Context, req *backend.QueryDataRequest) *backend.QueryDataResponse {
	resp := backend.NewQueryDataResponse()
	answers := make([]backend.DataResponse, len(req.Queries))
	parallel(len(req.Queries), func(i int) {
		answers[i] = ds.observedQuery(ctx, req.PluginContext, req.Queries[i])
	})
	for i, q := range req.Queries {
		resp.Responses[q.RefID] = answers[i]
	}
	return resp
}

// observedQuery answers one query inside its own span and logs it once if it failed: the
// plugin's own failures at error level, downstream ones (Fastly, the query, the settings) at
// debug, since the user sees those in the panel and the plugin cannot fix them.
func (ds *Datasource) observedQuery(ctx context.Context, pCtx backend.PluginContext, q backend.DataQuery) backend.DataResponse {
	ctx, span := tracing.DefaultTracer().Start(ctx, querySpan, trace.WithAttributes(attrRefID.String(q.RefID)))
	defer span.End()
	typeName, r := ds.safeQuery(ctx, pCtx, q)
	span.SetAttributes(attrQueryType.String(typeName))
	if r.Error == nil {
		span.SetAttributes(attrStatus.Int(int(backend.StatusOK)))
		return r
	}
	status := r.Status
	if status == 0 {
		status = backend.StatusInternal
	}
	span.SetAttributes(attrStatus.Int(int(status)), attrErrorSource.String(string(r.ErrorSource)))
	span.SetStatus(codes.Error, r.Error.Error()) // redacted by safeQuery
	logArgs := []any{"refId", q.RefID, "queryType", typeName, "status", int(status),
		"errorSource", string(r.ErrorSource), "error", r.Error.Error()}
	logger := ds.logger.FromContext(ctx)
	if r.ErrorSource == backend.ErrorSourceDownstream {
		logger.Debug("Query failed", logArgs...)
	} else {
		logger.Error("Query failed", logArgs...)
	}
	return r
}

// safeQuery answers one query, turning a panic into that query's plugin error; it also says
// the query's type, as far as it was read.
func (ds *Datasource) safeQuery(ctx context.Context, pCtx backend.PluginContext, q backend.DataQuery) (typeName string, r backend.DataResponse) {
	defer func() {
		if p := recover(); p != nil {
			ds.logger.FromContext(ctx).Error("query panicked", "refId", q.RefID, "panic", ds.redact(fmt.Sprint(p)))
			r = backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, "the Fastly plugin failed on this query; please report it")
		}
	}()
	if err := ds.ready(); err != nil {
		return "", ds.errorResponse(err)
	}
	typeName, r = ds.answerQuery(ctx, pCtx, q)
	return typeName, ds.redactResponse(r)
}
