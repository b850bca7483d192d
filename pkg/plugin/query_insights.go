package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
)

// queryInsights answers a Log Insights ranking (top URLs, status codes, countries...) for one
// service and the panel's range, as a table.
func (ds *Datasource) queryInsights(ctx context.Context, pq parsedQuery) backend.DataResponse {
	return ds.answerLogQuery(ctx, pq, data.FrameTypeNumericLong, func(w *logWindow) (data.Frames, error) {
		ranking, err := catalog.FindInsight(w.q.Insight)
		if err != nil {
			return nil, userError{err}
		}
		res, err := ds.client.LogInsights(ctx, fastly.InsightsQuery{
			Visualization: ranking.Name, ServiceID: w.q.Services[0], Start: w.from, End: w.to,
			POPs: w.q.Pops, Domain: w.q.Domain, DomainExact: w.q.DomainExact, Limit: w.q.Limit,
		})
		if err != nil {
			return nil, err
		}
		return data.Frames{frames.InsightsFrame(res, ranking, w.notices)}, nil
	})
}
