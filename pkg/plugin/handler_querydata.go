package plugin

import (
	"context"
	"encoding/json"
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
			log.DefaultLogger.FromContext(ctx).Error("query panicked", "refId", q.RefID, "panic", ds.redact(fmt.Sprint(p)))
			r = backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, "the Fastly plugin failed on this query; please report it")
		}
	}()
	if err := ds.ready(); err != nil {
		return ds.errorResponse(err)
	}
	return ds.redactResponse(fn(ctx, pCtx, q))
}

// withQueryType makes the query type agree in both places Grafana may carry it: the model's
// JSON (what the editor writes) and DataQuery.QueryType (what alert rules and API calls may set
// alone). The JSON wins when both are set; when only one is, the other is filled from it, so
// the mux and the handler's own parsing never disagree (a realtime query must not quietly
// answer as historical stats).
func withQueryType(q backend.DataQuery) backend.DataQuery {
	var model map[string]json.RawMessage
	if json.Unmarshal(q.JSON, &model) != nil {
		return q // the handler reports the invalid JSON
	}
	var inJSON string
	if raw, ok := model["queryType"]; ok {
		_ = json.Unmarshal(raw, &inJSON) // a non-string type is reported by the handler
	}
	switch {
	case inJSON != "":
		q.QueryType = inJSON
	case q.QueryType != "":
		model["queryType"], _ = json.Marshal(q.QueryType)
		if raw, err := json.Marshal(model); err == nil {
			q.JSON = raw
		}
	}
	return q
}
