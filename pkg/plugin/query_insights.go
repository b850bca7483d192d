package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"

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
			return nil, rankingFailed(ranking, err)
		}
		return data.Frames{frames.InsightsFrame(res, ranking, w.notices)}, nil
	})
}

// rankingError is Fastly failing one ranking (a 5xx): it says which, and which to try instead,
// and keeps Fastly's error for its status.
type rankingError struct {
	ranking, instead catalog.InsightRanking
	err              error
}

func (e *rankingError) Error() string {
	return fmt.Sprintf("Fastly could not compute the Log Insights ranking %q (%s): %v. Try another ranking, such as %q (%s)",
		e.ranking.Label, e.ranking.Name, e.err, e.instead.Label, e.instead.Name)
}

func (e *rankingError) Unwrap() error { return e.err }

// rankingFailed names the ranking in a failure that is Fastly's own (5xx); others pass as they are.
func rankingFailed(r catalog.InsightRanking, err error) error {
	var apiErr *fastly.APIError
	if !errors.As(err, &apiErr) || apiErr.Status < http.StatusInternalServerError {
		return err
	}
	instead, _ := catalog.FindInsight(r.Instead)
	return &rankingError{ranking: r, instead: instead, err: err}
}
