// Package fastly is the plugin's one way to Fastly: every call goes through Client, so
// authentication, retries, rate-limit handling and error mapping live in one place. It knows
// nothing of Grafana frames.
package fastly

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	gofastly "github.com/fastly/go-fastly/v9/fastly"
)

// Config tells a Client where Fastly is and how to reach it.
type Config struct {
	APIURL      string
	RealtimeURL string
	Token       string
	// HTTPClient carries Grafana's HTTP options (proxy, TLS, timeouts, tracing). Its transport is
	// wrapped with retries and body limits; nil means a plain client.
	HTTPClient *http.Client
	// MaxConcurrent bounds the calls open with Fastly at once; 0 means DefaultMaxConcurrent.
	MaxConcurrent int
	// Metrics counts the client's requests and cache lookups (one data source's view, see
	// Metrics.ForDatasource); nil counts into a set nobody reads.
	Metrics *SourceMetrics
}

// Client calls the Fastly API with one token.
type Client struct {
	apiURL      string
	realtimeURL string
	token       string
	http        *http.Client // API calls: slots, retries, body limits
	realtime    *http.Client // real-time long polls: body limits only (the poller paces itself)

	inflight   coalescer
	statsCache *statsCache // settled buckets and recent tails (statscache.go)

	services *cached[[]Service]
	pops     *cached[[]POP]
	regions  *cached[[]string]
	products *ttlMap[bool]   // product + "\x00" + service id -> enabled
	users    *ttlMap[string] // user id -> login, for event texts

	// flagSpelling is how Fastly takes the log filters' boolean fields (a flagSpelling), and
	// flagSpellingKnown whether an answer has told (logfilters.go).
	flagSpelling      atomic.Int32
	flagSpellingKnown atomic.Bool
}

// How long listings stay cached: services change when someone creates one (a picker may wait a
// minute to show it); POPs and regions change a few times a year.
const (
	servicesTTL = time.Minute
	staticTTL   = time.Hour
)

// NewClient builds a Client. The token is kept only to set the Fastly-Key header.
func NewClient(cfg Config) *Client {
	base := cfg.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	transport := base.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	slots := cfg.MaxConcurrent
	if slots <= 0 {
		slots = DefaultMaxConcurrent
	}
	m := cfg.Metrics
	if m == nil {
		m = NewMetrics().ForDatasource("")
	}
	apiURL, realtimeURL := strings.TrimRight(cfg.APIURL, "/"), strings.TrimRight(cfg.RealtimeURL, "/")
	// observed and limited by endpoint, each under its own URL's path
	endpoints := func(baseURL string) observeTransport {
		basePath := urlPath(baseURL)
		limited := limitTransport{next: gzipTransport{next: transport}, basePath: basePath}
		return observeTransport{next: limited, basePath: basePath, metrics: m}
	}
	hc := *base
	hc.Transport = slotTransport{
		slots: make(chan struct{}, slots),
		next:  &retryTransport{next: endpoints(apiURL), policy: defaultRetryPolicy},
	}
	hc.CheckRedirect = checkRedirect
	polls := endpoints(realtimeURL)
	return &Client{
		apiURL:      apiURL,
		realtimeURL: realtimeURL,
		token:       cfg.Token,
		http:        &hc,
		realtime:    &http.Client{Transport: polls, CheckRedirect: checkRedirect, Jar: base.Jar},
		services:    newCached[[]Service](servicesTTL, m.cache(cacheServices)),
		pops:        newCached[[]POP](staticTTL, m.cache(cachePOPs)),
		regions:     newCached[[]string](staticTTL, m.cache(cacheRegions)),
		products:    newTTLMap[bool](productTTL, maxCachedAnswers, m.cache(cacheProducts)),
		users:       newTTLMap[string](userTTL, maxCachedAnswers, m.cache(cacheUsers)),
		statsCache:  newStatsCache(m),
	}
}

// urlPath is the path part of a configured URL ("" when it has none or does not parse; the
// request itself then reports the bad URL).
func urlPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

// HTTPClient is the retrying client the Client uses, for callers that need the raw stream (the
// real-time long poll) but must share its transport and policy.
func (c *Client) HTTPClient() *http.Client { return c.http }

// getAPI fetches a path under the API URL and returns the body of a 2xx answer; any other answer
// becomes an *APIError. The request is bound to ctx.
func (c *Client) getAPI(ctx context.Context, path string, query url.Values) ([]byte, error) {
	return c.get(ctx, c.apiURL, path, query)
}

func (c *Client) get(ctx context.Context, base, path string, query url.Values) ([]byte, error) {
	if c.token == "" {
		return nil, ErrNoToken
	}
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return c.inflight.do(ctx, u, func() ([]byte, error) { return c.fetch(ctx, path, u) })
}

// fetch makes one authenticated API GET and reads the whole answer.
func (c *Client) fetch(ctx context.Context, path, u string) ([]byte, error) {
	return c.read(ctx, c.http, path, u)
}

// read sends one authenticated GET through hc and returns the body of a 2xx answer; any
// other answer becomes an *APIError. The API calls and the real-time long polls share it.
func (c *Client) read(ctx context.Context, hc *http.Client, path, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("building the request for %s: %w", path, err)
	}
	req.Header.Set("Fastly-Key", c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, transportError(path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body) // bounded by limitTransport
	if err != nil {
		return nil, transportError(path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(path, resp, body)
	}
	return body, nil
}

// goFastly returns a go-fastly client for the typed, paginated resources (services, tokens,
// datacenters). go-fastly v9 takes no context, so each call gets a client whose transport binds
// the request to ctx; debug dumps are forced off so no environment variable can print traffic.
func (c *Client) goFastly(ctx context.Context) (*gofastly.Client, error) {
	if c.token == "" {
		return nil, ErrNoToken
	}
	fc, err := gofastly.NewClientForEndpoint(c.token, c.apiURL)
	if err != nil {
		return nil, fmt.Errorf("the API URL is not usable: %w", err)
	}
	fc.DebugMode = false
	fc.HTTPClient = &http.Client{
		Transport:     contextTransport{ctx: ctx, next: c.http.Transport},
		Timeout:       c.http.Timeout,
		CheckRedirect: c.http.CheckRedirect,
	}
	return fc, nil
}

// contextTransport attaches a context to requests made by code that cannot pass one.
type contextTransport struct {
	ctx  context.Context
	next http.RoundTripper
}

func (t contextTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.next.RoundTrip(req.WithContext(t.ctx))
}
