package plugin

import (
	"context"
	"fmt"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// queryFunc answers one query of a request.
type queryFunc func(ctx context.Context, pCtx backend.PluginContext, q backend.DataQuery) backend.DataResponse

// maxParallelQueries bounds how many of one request's queries call Fastly at once.
const maxParallelQueries = 4

// perQuery runs each query of a request on its own, so one failing query (or one bug) fails only
// its own panel row, never the others.
func (ds *Datasource) perQuery(fn queryFunc) func(context.Context, *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return func(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
		resp := backend.NewQueryDataResponse()
		var mu sync.Mutex
		var wg sync.WaitGroup
		sem := make(chan struct{}, maxParallelQueries)
		for _, q := range req.Queries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				r := ds.safeQuery(ctx, fn, req.PluginContext, q)
				mu.Lock()
				resp.Responses[q.RefID] = r
				mu.Unlock()
			}()
		}
		wg.Wait()
		return resp, nil
	}
}

// safeQuery turns a panic in one query into that query's plugin error.
func (ds *Datasource) safeQuery(ctx context.Context, fn queryFunc, pCtx backend.PluginContext, q backend.DataQuery) (r backend.DataResponse) {
	defer func() {
		if p := recover(); p != nil {
			log.DefaultLogger.FromContext(ctx).Error("query panicked", "refId", q.RefID, "panic", fmt.Sprint(p))
			r = backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, "the Fastly plugin failed on this query; please report it")
		}
	}()
	if err := ds.ready(); err != nil {
		return ds.errorResponse(err)
	}
	return fn(ctx, pCtx, q)
}
