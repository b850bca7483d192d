package plugin

import (
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// queryFunc answers one query of a request.
type queryFunc func(ctx context.Context, pCtx backend.PluginContext, q backend.DataQuery) backend.DataResponse

// maxParallelQueries bounds how many of one request's queries call Fastly at once.
const maxParallelQueries = 4

// perQuery runs each query of a request on its own, so one failing query (or one bug) fails only
// its own panel row, never the others.
func (ds *Datasource) perQuery(ctx context.Context, req *backend.QueryDataRequest, fn queryFunc) *backend.QueryDataResponse {
	resp := backend.NewQueryDataResponse()
	answers := make([]backend.DataResponse, len(req.Queries))
	parallel(len(req.Queries), func(i int) {
		answers[i] = ds.safeQuery(ctx, fn, req.PluginContext, req.Queries[i])
	})
	for i, q := range req.Queries {
		resp.Responses[q.RefID] = answers[i]
	}
	return resp
}

// safeQuery turns a panic in one query into that query's plugin error.
func (ds *Datasource) safeQuery(ctx context.Context, fn queryFunc, pCtx backend.PluginContext, q backend.DataQuery) (r backend.DataResponse) {
	defer func() {
		if p := recover(); p != nil {
			log.DefaultLogger.FromContext(ctx).Error("query panicked", "refId", q.RefID, "panic", ds.redact(fmt.Sprint(p)))
			r = backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, "the Fastly plugin failed on this query; please report it")
		}
	}()
	if err := ds.ready(); err != nil {
		return ds.errorResponse(err)
	}
	return ds.redactResponse(fn(ctx, pCtx, q))
}
