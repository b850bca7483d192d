package plugin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// The Log Explorer & Insights query types (insights, logs, logseries) share this preparation:
// one service, a range inside the 7 days Fastly keeps sampled logs, and the product enabled.

// logWindow is a prepared sampled-log query.
type logWindow struct {
	q        models.Query
	from, to time.Time
	notices  []data.Notice
}

// errLogsTooOld is a range that ends before the oldest sampled log Fastly keeps.
var errLogsTooOld = errors.New("Fastly keeps sampled logs (Log Explorer & Insights) for about 7 days, and this time range ended before that: pick a range within the last 7 days")

// retentionMargin keeps the start a little inside the 7 days, so a request that takes a moment
// to reach Fastly is not answered "data": null for a start that just aged out.
const retentionMargin = 5 * time.Minute

// prepareLogQuery clips its range to now and to the retention (saying so in a
// notice), and checks the service has the product. A nil window comes with the response to give.
func (ds *Datasource) prepareLogQuery(ctx context.Context, pq parsedQuery, frameType data.FrameType) (*logWindow, *backend.DataResponse) {
	q := pq.Query
	tr := pq.dq.TimeRange
	if tr.To.Equal(tr.From) {
		tr.To = tr.From.Add(time.Minute) // a clicked point (stats_loglinks.go): the minute that starts there
	}
	from, to, now, err := ds.clipToNow(tr)
	if err != nil {
		r := ds.errorResponse(err)
		return nil, &r
	}
	w := &logWindow{q: q, from: from, to: to}
	oldest := now.Add(-fastly.LogRetention + retentionMargin)
	if !to.After(oldest) {
		r := noticeResponse(frameType, data.NoticeSeverityWarning, errLogsTooOld.Error())
		return nil, &r
	}
	if from.Before(oldest) {
		w.from = oldest.Truncate(time.Minute).Add(time.Minute)
		w.notices = append(w.notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: fmt.Sprintf(
			"Fastly keeps sampled logs for about 7 days: showing from %s.", w.from.UTC().Format("2006-01-02 15:04 UTC"))})
	}
	if err := ds.client.CheckProduct(ctx, pq.spec.Product, q.Services[0]); err != nil {
		r := ds.errorResponse(err)
		return nil, &r
	}
	return w, nil
}

// answerLogQuery is what every sampled-log query does around its own call: prepare the window
// (prepareLogQuery), then frame what fetch returns. A failure answers "data": null as a frame
// with a warning that says why (never an empty success), anything else as an error.
func (ds *Datasource) answerLogQuery(ctx context.Context, pq parsedQuery, frameType data.FrameType, fetch func(w *logWindow) (data.Frames, error)) backend.DataResponse {
	w, resp := ds.prepareLogQuery(ctx, pq, frameType)
	if resp != nil {
		return *resp
	}
	fr, err := fetch(w)
	switch {
	case errors.Is(err, fastly.ErrNoLogData):
		return noticeResponse(frameType, data.NoticeSeverityWarning, err.Error())
	case err != nil:
		return ds.errorResponse(err)
	}
	return backend.DataResponse{Frames: fr}
}

// noticeResponse is a frame with no rows that carries one notice.
func noticeResponse(frameType data.FrameType, severity data.NoticeSeverity, text string) backend.DataResponse {
	frame := data.NewFrame("")
	frame.SetMeta(&data.FrameMeta{Type: frameType, Notices: []data.Notice{{Severity: severity, Text: text}}})
	return backend.DataResponse{Frames: data.Frames{frame}}
}
