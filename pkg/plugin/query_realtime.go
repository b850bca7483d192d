package plugin

import (
	"context"
	"fmt"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fanout"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/live"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// maxRealtimeServices bounds one real-time query: each service is its own poller and its own
// live channel, and a panel of dozens of per-second streams helps nobody.
const maxRealtimeServices = 10

// realtimeChannels turns a real-time query into one live channel per service. Services are
// never summed in real time: their seconds arrive separately, so each gets its own frame.
func (ds *Datasource) realtimeChannels(ctx context.Context, q models.Query, spec models.TypeSpec) ([]live.Channel, []catalog.Metric, error) {
	metrics, err := catalog.Resolve(q.Metrics, spec.Kind)
	if err != nil {
		return nil, nil, userError{models.InField("metrics", err)}
	}
	services := q.Services
	if q.AllServices() {
		all, err := ds.client.Services(ctx)
		if err != nil {
			return nil, nil, err
		}
		services = services[:0:0]
		for _, s := range all {
			services = append(services, s.ID)
		}
	}
	channels, err := liveChannels(spec.Realtime, services, metrics, q)
	return channels, metrics, err
}

// liveChannels makes one channel per service of a live query, checking the limits that keep a
// panel's streams useful and each channel path within Grafana Live's bounds.
func liveChannels(product fastly.RealtimeProduct, services []string, metrics []catalog.Metric, q models.Query) ([]live.Channel, error) {
	if len(services) > maxRealtimeServices {
		return nil, userError{models.InField("services", fmt.Errorf("live queries take at most %d services (this one has %d): pick fewer services", maxRealtimeServices, len(services)))}
	}
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i] = m.Name
	}
	pops := make([]string, len(q.Pops))
	for i, p := range q.Pops {
		pops[i] = strings.ToUpper(p)
	}
	group := ""
	if q.GroupBy == "pop" {
		group = "pop"
	}
	channels := make([]live.Channel, len(services))
	for i, id := range services {
		channels[i] = live.Channel{Product: product, Service: id, Metrics: names, POPs: pops, GroupBy: group}
		if _, err := channels[i].Path(); err != nil {
			return nil, userError{err}
		}
	}
	return channels, nil
}

// queryRealtime answers a real-time query with what Fastly still holds (about the last 120 s,
// so a panel is full at once) and names the live channel that continues it. Alert rules get
// the same frames and simply ignore the channel. The legend names this answer's series; the
// channel does not carry it, so streamed frames have the default names and the browser
// applies the panel's legend to them (src/datasource.ts).
func (ds *Datasource) queryRealtime(ctx context.Context, pq parsedQuery) backend.DataResponse {
	channels, metrics, err := ds.realtimeChannels(ctx, pq.Query, pq.spec)
	if err != nil {
		return ds.errorResponse(err)
	}
	return ds.withPOPMap(ctx, pq.Query, ds.answerLive(ctx, pq.pCtx, channels, metrics, pq.LegendFormat))
}

// answerLive frames each channel's window (in parallel: each is its own service's poller); the
// first failure cancels the others.
func (ds *Datasource) answerLive(ctx context.Context, pCtx backend.PluginContext, channels []live.Channel, metrics []catalog.Metric, legend string) backend.DataResponse {
	uid := ""
	if pCtx.DataSourceInstanceSettings != nil {
		uid = pCtx.DataSourceInstanceSettings.UID
	}
	names := ds.serviceNames(ctx)
	out := make(data.Frames, len(channels))
	err := fanout.Run(ctx, len(channels), len(channels), func(ctx context.Context, i int) error {
		var err error
		out[i], err = ds.realtimeWindow(ctx, channels[i], realtimeRequest(channels[i], metrics, names, legend), uid)
		return err
	})
	if err != nil {
		return ds.errorResponse(err)
	}
	return backend.DataResponse{Frames: out}
}

// realtimeWindow frames one channel's window as r says and records what it showed, so the
// stream that follows continues from the next second.
func (ds *Datasource) realtimeWindow(ctx context.Context, ch live.Channel, r frames.RealtimeRequest, uid string) (*data.Frame, error) {
	path, err := ch.Path()
	if err != nil {
		return nil, userError{err}
	}
	b, err := ds.hub.Window(ctx, live.Key{Product: ch.Product, Service: ch.Service}, catalog.Fields(ch.Metrics, channelKind(ch.Product)))
	if err != nil {
		return nil, err
	}
	frame, _ := frames.NewRealtimeBuilder(r).Frame([]frames.RealtimeSpan{{
		From: b.From, To: b.To, Seconds: b.Seconds, Fields: b.Fields,
	}})
	if uid != "" {
		frame.Meta.Channel = "ds/" + uid + "/" + path
	}
	ds.hub.MarkServed(path, b.To)
	return frame, nil
}

// realtimeRequest says how to frame a channel's seconds: with the query's legend for a query's
// answer, with "" (the default names) for a stream, which panels with different legends share.
func realtimeRequest(ch live.Channel, metrics []catalog.Metric, names map[string]string, legend string) frames.RealtimeRequest {
	name := names[ch.Service]
	if name == "" {
		name = ch.Service
	}
	return frames.RealtimeRequest{
		Metrics: metrics, ServiceID: ch.Service, ServiceName: name,
		POPs: ch.POPs, ByPOP: ch.GroupBy == "pop", LegendFormat: legend, Kind: channelKind(ch.Product),
	}
}
