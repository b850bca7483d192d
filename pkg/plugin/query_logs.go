package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
)

// queryLogs answers the sampled log records, newest first, up to the query's limit of lines.
func (ds *Datasource) queryLogs(ctx context.Context, pq parsedQuery) backend.DataResponse {
	return ds.answerLogQuery(ctx, pq, data.FrameTypeLogLines, func(w *logWindow) (data.Frames, error) {
		res, err := ds.client.LogRecords(ctx, fastly.LogsQuery{
			ServiceID: w.q.Services[0], Start: w.from, End: w.to, Filters: w.q.Filters, MaxLines: w.q.Limit,
		})
		if err != nil {
			return nil, err
		}
		return data.Frames{frames.LogsFrame(res.Records, frames.LogsRequest{
			ServiceID: w.q.Services[0], Limit: w.q.Limit, More: res.More, Notices: w.notices,
		})}, nil
	})
}
