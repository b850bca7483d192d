package fastly

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// RealtimeProduct names one of rt.fastly.com's families of real-time endpoints. The channel
// is what every service has; Origin and Domain Inspector answer the same way under their own
// prefixes, with one more level of nesting (a name between the POP and the metrics).
type RealtimeProduct string

// The real-time products, by the path segment rt.fastly.com uses.
const (
	RealtimeChannel RealtimeProduct = "channel"
	RealtimeOrigins RealtimeProduct = "origins" // ProductOriginInspector.Realtime()
	RealtimeDomains RealtimeProduct = "domains" // ProductDomainInspector.Realtime()
)

// realtimeProducts are every RealtimeProduct, for lookups by a property.
var realtimeProducts = [...]RealtimeProduct{RealtimeChannel, RealtimeOrigins, RealtimeDomains}

// Tag is the product's short name in a live channel path, where every byte counts against
// Grafana's limit on its length; "" for an unknown product.
func (p RealtimeProduct) Tag() string {
	switch p {
	case RealtimeChannel:
		return "rt"
	case RealtimeOrigins:
		return "oi"
	case RealtimeDomains:
		return "di"
	}
	return ""
}

// RealtimeProductByTag is the product whose Tag is tag, or "" when none is.
func RealtimeProductByTag(tag string) RealtimeProduct {
	for _, p := range realtimeProducts {
		if tag != "" && p.Tag() == tag {
			return p
		}
	}
	return ""
}

// RealtimeHistory as a "since" cursor asks for everything Fastly still holds (/ts/h, about the
// last 120 seconds) rather than what came after a timestamp.
const RealtimeHistory int64 = -1

// RealtimeRetention is how far back rt.fastly.com keeps data: a poller that stalls longer
// loses seconds for good.
const RealtimeRetention = 120 * time.Second

// DefaultAggregateDelay is how far Fastly's real-time cursor runs ahead of the newest record,
// in seconds, when an answer does not say (every real answer says 9).
const DefaultAggregateDelay = 9

// RealtimeRequestTimeout bounds one long poll. Fastly ends a long poll itself before 45 s, so
// a request still open after that is stuck.
const RealtimeRequestTimeout = 45 * time.Second

// Realtime fetches real-time data for one service of one product: since = RealtimeHistory
// asks for the window Fastly holds, otherwise entries newer than the Unix second since (0: the
// latest second). The call blocks while Fastly long-polls, at most RealtimeRequestTimeout. It
// does not retry: the caller holds the cursor and resumes from it. The inspectors' answers
// are summed over origins or domains into the channel's shape (see DecodeInspectorRealtime).
func (c *Client) Realtime(ctx context.Context, product RealtimeProduct, serviceID string, since int64, fields *RealtimeFields) (*RealtimeResponse, error) {
	decode := DecodeRealtime
	switch product {
	case RealtimeChannel:
	case RealtimeOrigins, RealtimeDomains:
		decode = DecodeInspectorRealtime
	default:
		return nil, fmt.Errorf("unknown real-time product %q", product)
	}
	if !ValidID(serviceID) {
		return nil, fmt.Errorf("%q is not a Fastly service id", serviceID)
	}
	path := "/v1/" + string(product) + "/" + url.PathEscape(serviceID) + "/ts/"
	if since == RealtimeHistory {
		path += "h"
	} else {
		path += strconv.FormatInt(max(since, 0), 10)
	}
	body, err := c.longPoll(ctx, path)
	if err != nil {
		return nil, err
	}
	out, err := decode(body, fields)
	if err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	return out, nil
}

// longPoll makes one real-time request and reads the whole answer.
func (c *Client) longPoll(ctx context.Context, path string) ([]byte, error) {
	if c.token == "" {
		return nil, ErrNoToken
	}
	ctx, cancel := context.WithTimeout(ctx, RealtimeRequestTimeout)
	defer cancel()
	return c.read(ctx, c.realtimeHTTP(), path, c.realtimeURL+path)
}

// realtimeHTTP is the client for long polls. It shares the transport Grafana configured
// (proxy, TLS, tracing, the connection pool) but drops two things that break long polling: the
// client-wide Timeout (Grafana's default of 30 s is shorter than Fastly's long poll;
// RealtimeRequestTimeout bounds each request through its context instead) and the retry
// wrapper (a poller retries with backoff from its cursor, and the wrapper's sleeps would not
// follow its clock); nor does it take one of the client's slots (a long poll waits on Fastly
// for up to 45 s and would starve the queries). NewClient builds it.
func (c *Client) realtimeHTTP() *http.Client { return c.realtime }
