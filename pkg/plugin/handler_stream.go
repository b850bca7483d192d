package plugin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/live"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// SubscribeStream lets a viewer join a real-time channel. Malformed paths are NotFound;
// services the token cannot see (per Fastly's service list) are PermissionDenied, so a crafted
// channel cannot make the plugin poll arbitrary ids.
func (ds *Datasource) SubscribeStream(ctx context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	logger := backend.Logger.FromContext(ctx)
	if err := ds.ready(); err != nil {
		logger.Debug("live channel refused", "reason", ds.redact(err.Error()))
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	ch, _, err := parseChannel(req.Path)
	if err != nil {
		logger.Debug("live channel refused", "path", req.Path, "reason", err.Error())
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusNotFound}, nil
	}
	services, err := ds.client.Services(ctx)
	if err != nil {
		var apiErr *fastly.APIError
		if errors.As(err, &apiErr) && (apiErr.Status == 401 || apiErr.Status == 403) {
			logger.Debug("live channel refused", "path", req.Path, "reason", ds.redact(err.Error()))
			return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
		}
		return nil, ds.streamError(err)
	}
	if !slices.ContainsFunc(services, func(s fastly.Service) bool { return s.ID == ch.Service }) {
		logger.Debug("live channel refused", "path", req.Path, "reason", "the token cannot see this service")
		return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusPermissionDenied}, nil
	}
	return &backend.SubscribeStreamResponse{Status: backend.SubscribeStreamStatusOK}, nil
}

// PublishStream refuses: real-time channels are read-only.
func (ds *Datasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

// RunStream sends each new second of a channel. Grafana runs one RunStream per channel for
// all its viewers; every RunStream for a service shares the service's poller. The first
// packet carries the schema, later ones only rows, unless a POP appears or a notice changes.
// Series keep their default names: panels with different legends share the channel, and the
// browser names the series by each panel's legend.
func (ds *Datasource) RunStream(ctx context.Context, req *backend.RunStreamRequest, sender *backend.StreamSender) error {
	if err := ds.ready(); err != nil {
		return errors.New(ds.redact(err.Error()))
	}
	ch, metrics, err := parseChannel(req.Path)
	if err != nil {
		return fmt.Errorf("live channel %q: %w", safetext.Clip(req.Path, 200), err)
	}
	key := live.Key{Product: ch.Product, Service: ch.Service}
	sub, err := ds.hub.Subscribe(key, catalog.Fields(ch.Metrics, channelKind(ch.Product)), ds.hub.Served(req.Path))
	if err != nil {
		return err
	}
	defer sub.Close()
	builder := frames.NewRealtimeBuilder(realtimeRequest(ch, metrics, ds.serviceNames(ctx), ""))
	schemaSent, noticeShown := false, false
	for {
		updates, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil // the last viewer left
			}
			return errors.New(ds.redact(err.Error()))
		}
		var spans []frames.RealtimeSpan
		var notices []data.Notice // lost seconds, delays: shown until the next schema
		var failing *data.Notice  // a failure in progress: dropped once data flows again
		for _, u := range updates {
			failing = nil
			switch {
			case u.Notice.Retrying:
				failing = &data.Notice{Severity: data.NoticeSeverityWarning, Text: u.Notice.Text}
			case u.Notice.Good:
				notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: u.Notice.Text})
			case u.Notice.Text != "":
				notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: u.Notice.Text})
			}
			if u.LostTo > 0 {
				notices = append(notices, lostNotice(u.LostFrom, u.LostTo))
			}
			if u.Fields != nil && u.To >= u.From {
				spans = append(spans, frames.RealtimeSpan{From: u.From, To: u.To, LostFrom: u.LostFrom, LostTo: u.LostTo, Seconds: u.Seconds, Fields: u.Fields})
			}
		}
		if failing != nil {
			notices = append(notices, *failing)
		}
		frame, grew := builder.Frame(spans)
		include := data.IncludeDataOnly
		if !schemaSent || grew || len(notices) > 0 || noticeShown {
			include = data.IncludeAll
			frame.Meta.Notices = notices
			noticeShown = len(notices) > 0 && len(spans) == 0
		}
		if frame.Rows() == 0 && include == data.IncludeDataOnly {
			continue
		}
		ds.redactNotices(frame)
		if err := sender.SendFrame(frame, include); err != nil {
			return fmt.Errorf("sending to Grafana Live: %w", err)
		}
		schemaSent = true
	}
}

// lostNotice says which seconds Fastly no longer held when the plugin got through again.
func lostNotice(from, to int64) data.Notice {
	return data.Notice{
		Severity: data.NoticeSeverityWarning,
		Text: fmt.Sprintf("Real-time data from %s to %s UTC is missing: Fastly keeps 120 seconds and could not be reached for longer. The gap is left empty.",
			time.Unix(from, 0).UTC().Format("15:04:05"), time.Unix(to, 0).UTC().Format("15:04:05")),
	}
}

// parseChannel decodes and checks a channel path: its metrics must exist in real time.
func parseChannel(path string) (live.Channel, []catalog.Metric, error) {
	ch, err := live.ParseChannel(path)
	if err != nil {
		return live.Channel{}, nil, err
	}
	metrics, err := catalog.Resolve(ch.Metrics, channelKind(ch.Product))
	if err != nil {
		return live.Channel{}, nil, err
	}
	return ch, metrics, nil
}
