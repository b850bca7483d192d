package fastly

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testToken = "tok-SECRET-123"

// fakeFastly serves canned answers per path and records what the client asked for; it is
// safe for the client's parallel calls.
type fakeFastly struct {
	t        *testing.T
	handlers map[string]http.HandlerFunc
	mu       sync.Mutex
	requests []*http.Request
}

func (f *fakeFastly) asked() []*http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*http.Request(nil), f.requests...)
}

// queries is the query string of every request so far, in order.
func (f *fakeFastly) queries() []url.Values {
	asked := f.asked()
	out := make([]url.Values, len(asked))
	for i, r := range asked {
		out[i] = r.URL.Query()
	}
	return out
}

// reset forgets the requests so far.
func (f *fakeFastly) reset() {
	f.mu.Lock()
	f.requests = nil
	f.mu.Unlock()
}

func newFake(t *testing.T) (*fakeFastly, *Client) {
	f := &fakeFastly{t: t, handlers: map[string]http.HandlerFunc{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Clone(context.Background()))
		f.mu.Unlock()
		if r.Header.Get("Fastly-Key") != testToken {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"msg":"Provided credentials are missing or invalid"}`)
			return
		}
		h, ok := f.handlers[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"msg":"Record not found","detail":"Cannot find service"}`)
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: testToken, HTTPClient: srv.Client()})
	return f, c
}

func serveFile(t *testing.T, name string) http.HandlerFunc {
	return servePath(t, "testdata/"+name)
}

// servePath answers with the file at path as it is.
func servePath(t *testing.T, path string) http.HandlerFunc {
	body, err := os.ReadFile(path)
	require.NoError(t, err)
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }
}

// realDatacenters is Fastly's recorded GET /datacenters answer. Its one copy is the
// simulator's, which embeds it (go:embed cannot reach this package's testdata).
const realDatacenters = "../fastlysim/datacenters.json"

func TestTokenSelfReadsTheRealShape(t *testing.T) {
	f, c := newFake(t)
	f.handlers["/tokens/self"] = serveFile(t, "tokens_self.json")
	tok, err := c.TokenSelf(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "TempTokenForGoFastlyTests", tok.Name)
	assert.Equal(t, []string{"global"}, tok.Scopes)
	assert.Equal(t, []string{"XXXXXXXXXXXXXXXXXXXXXX"}, tok.Services)
	assert.True(t, tok.ExpiresAt.IsZero())
	assert.Equal(t, testToken, f.asked()[0].Header.Get("Fastly-Key"))
}

func TestServicesFollowsEveryPageAndIsCached(t *testing.T) {
	f, c := newFake(t)
	first, err := os.ReadFile("testdata/services_list_page1_of_3.json")
	require.NoError(t, err)
	f.handlers["/service"] = func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("page")
		base := "http://" + r.Host + "/service?per_page=100&page="
		switch page {
		case "1":
			w.Header().Set("Link", fmt.Sprintf(`<%s3>; rel="last", <%s2>; rel="next"`, base, base))
			_, _ = w.Write(first)
		case "2":
			w.Header().Set("Link", fmt.Sprintf(`<%s3>; rel="last", <%s3>; rel="next"`, base, base))
			fmt.Fprint(w, `[{"id":"pageTwoService","name":"second page","type":"wasm"}]`)
		default:
			w.Header().Set("Link", fmt.Sprintf(`<%s3>; rel="last"`, base))
			fmt.Fprint(w, `[{"id":"pageThreeService","name":"third page","type":"vcl"}]`)
		}
	}
	services, err := c.Services(context.Background())
	require.NoError(t, err)
	require.Len(t, services, 102)
	assert.Equal(t, Service{ID: "mjvYB61u7BiqD3Nzkl69P3", Name: "testing-paginator", Type: "vcl"}, services[0])
	assert.Equal(t, Service{ID: "pageTwoService", Name: "second page", Type: "wasm"}, services[100])
	assert.Equal(t, "pageThreeService", services[101].ID)
	assert.Equal(t, "100", f.asked()[0].URL.Query().Get("per_page"))

	_, err = c.Services(context.Background())
	require.NoError(t, err)
	assert.Len(t, f.asked(), 3, "a second listing within a minute comes from the cache")
}

func TestPOPsAndRegions(t *testing.T) {
	f, c := newFake(t)
	f.handlers["/datacenters"] = servePath(t, realDatacenters)
	f.handlers["/stats/regions"] = serveFile(t, "historical_stats_regions.json")
	pops, err := c.POPs(context.Background())
	require.NoError(t, err)
	assert.Len(t, pops, 89)
	for _, p := range pops {
		if p.Code == "AMS" {
			assert.Equal(t, POP{Code: "AMS", Name: "Amsterdam", Group: "Europe", Latitude: 52.308613, Longitude: 4.763889}, p,
				"the recorded list predates stats_region")
		}
	}
	today, c2 := newFake(t)
	today.handlers["/datacenters"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"code":"QRO","name":"Queretaro","group":"Mexico","region":"MX-Central","stats_region":"mexico",`+
			`"billing_region":"Mexico","coordinates":{"latitude":20.6,"longitude":-100.4}},{"code":"AMS","name":"Amsterdam"}]`)
	}
	pops, err = c2.POPs(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []POP{{Code: "AMS", Name: "Amsterdam"}, {Code: "QRO", Name: "Queretaro", Group: "Mexico", Latitude: 20.6, Longitude: -100.4, StatsRegion: "mexico"}}, pops,
		"today's list names each POP's stats region")
	assert.True(t, pops[0].Code < pops[1].Code, "sorted by code")
	regions, err := c.Regions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"africa_std", "anzac", "asia", "asia_india", "asia_southkorea", "europe", "latam", "southamerica_std", "usa"}, regions)
}

func TestErrorsCarryFastlysExplanationButNeverTheToken(t *testing.T) {
	f, c := newFake(t)
	f.handlers["/enabled-products/v1/origin_inspector/services/abc"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusBadRequest)
		body, _ := os.ReadFile("testdata/enabled_products_origin_inspector_disabled_400.json")
		_, _ = w.Write(body)
	}
	f.handlers["/jsonapi"] = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"errors":[{"title":"Forbidden","detail":"token cannot read this service"}]}`)
	}
	_, err := c.getAPI(context.Background(), "/enabled-products/v1/origin_inspector/services/abc", nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.Status)
	assert.Contains(t, err.Error(), "no product on service")

	_, err = c.getAPI(context.Background(), "/jsonapi", nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Fastly answered 403 Forbidden for /jsonapi: Forbidden: token cannot read this service (the token lacks access: it needs scope global:read and access to this service)", err.Error())

	f.handlers["/metrics/origins/services/abc"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"type":"https://fastly.help/metrics/validation-error","title":"Request parameters were invalid.","status":400,`+
			`"detail":"Parameters with invalid values: 'metric'","errors":[{"property":"metric","reason":"Unrecognized metric names: 'responsez'"}]}`)
	}
	_, err = c.getAPI(context.Background(), "/metrics/origins/services/abc", nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Fastly answered 400 Bad Request for /metrics/origins/services/abc: Request parameters were invalid.: "+
		"Parameters with invalid values: 'metric': Unrecognized metric names: 'responsez'", err.Error(),
		"the RFC 7807 errors[] reason reaches the user")
	f.handlers["/metrics/domains/services/abc"] = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"title":"Request parameters were invalid.","status":400,"errors":[{"property":"end","reason":"not a time"}]}`)
	}
	_, err = c.getAPI(context.Background(), "/metrics/domains/services/abc", nil)
	assert.EqualError(t, err, "Fastly answered 400 Bad Request for /metrics/domains/services/abc: Request parameters were invalid.: end: not a time",
		"a reason that does not name its parameter is prefixed with it")

	_, err = c.getAPI(context.Background(), "/stats/service/nope", nil)
	assert.Equal(t, "Fastly answered 404 Not Found for /stats/service/nope: Record not found: Cannot find service (check the service id)", err.Error())

	bad := NewClient(Config{APIURL: c.apiURL, Token: "wrong"})
	_, err = bad.TokenSelf(context.Background())
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.Status)
	assert.Contains(t, err.Error(), "the API token was rejected")
	assert.NotContains(t, err.Error(), "wrong")
	for _, e := range []error{err} {
		assert.NotContains(t, e.Error(), testToken)
	}
}

func TestNoTokenFailsBeforeAnyCall(t *testing.T) {
	f, c := newFake(t)
	c.token = ""
	_, err := c.TokenSelf(context.Background())
	assert.ErrorIs(t, err, ErrNoToken)
	_, err = c.Regions(context.Background())
	assert.ErrorIs(t, err, ErrNoToken)
	assert.Empty(t, f.asked())
}

func TestRetriesTransientFailuresThenSucceeds(t *testing.T) {
	f, c := newFake(t)
	var calls atomic.Int32
	f.handlers["/stats/regions"] = func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1:
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			fmt.Fprint(w, `{"status":"success","data":["usa"]}`)
		}
	}
	regions, err := c.Regions(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"usa"}, regions)
	assert.Equal(t, int32(3), calls.Load())
}

func TestRetriesAreBoundedAndSayWhatHappened(t *testing.T) {
	f, c := newFake(t)
	var calls atomic.Int32
	f.handlers["/stats/regions"] = func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, `<html>bad gateway</html>`)
	}
	_, err := c.Regions(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.Status)
	assert.Contains(t, err.Error(), "a Fastly-side failure")
	assert.Equal(t, int32(defaultRetryPolicy.attempts), calls.Load())
}

func TestLongRetryAfterFailsAtOnceWithTheWait(t *testing.T) {
	f, c := newFake(t)
	var calls atomic.Int32
	f.handlers["/stats/regions"] = func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"msg":"Rate limit exceeded"}`)
	}
	_, err := c.Regions(context.Background())
	assert.Equal(t, "Fastly answered 429 Too Many Requests for /stats/regions: Rate limit exceeded (rate limited by Fastly; retry after 3600s)", err.Error())
	assert.Equal(t, int32(1), calls.Load())
}

func TestNetworkErrorsAreClassified(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c := NewClient(Config{APIURL: url, Token: testToken})
	_, err := c.Regions(context.Background())
	var netErr *NetworkError
	require.ErrorAs(t, err, &netErr)
	assert.Equal(t, NetUnreachable, netErr.Reason)

	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	c = NewClient(Config{APIURL: tlsSrv.URL, Token: testToken}) // does not trust the test CA
	_, err = c.Regions(context.Background())
	require.ErrorAs(t, err, &netErr)
	assert.Equal(t, NetTLSFailed, netErr.Reason)

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer slow.Close()
	c = NewClient(Config{APIURL: slow.URL, Token: testToken})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.Regions(ctx)
	require.ErrorAs(t, err, &netErr)
	assert.Equal(t, NetTimedOut, netErr.Reason)
	assert.False(t, strings.Contains(err.Error(), testToken))
}

func TestCacheSharesOneFetchAndRetriesAfterErrors(t *testing.T) {
	cache := newCached[int](time.Minute, NewMetrics().ForDatasource("").cache("test"))
	var fetches atomic.Int32
	release := make(chan struct{})
	fetch := func(context.Context) (int, error) {
		fetches.Add(1)
		<-release
		return 42, nil
	}
	results := make(chan int, 5)
	for range 5 {
		go func() {
			v, _ := cache.get(context.Background(), fetch)
			results <- v
		}()
	}
	for fetches.Load() == 0 {
		time.Sleep(time.Millisecond) // wait until one caller is inside fetch
	}
	close(release)
	for range 5 {
		assert.Equal(t, 42, <-results)
	}
	assert.Equal(t, int32(1), fetches.Load())

	failing := newCached[int](time.Minute, NewMetrics().ForDatasource("").cache("test"))
	_, err := failing.get(context.Background(), func(context.Context) (int, error) { return 0, errors.New("boom") })
	require.Error(t, err)
	v, err := failing.get(context.Background(), func(context.Context) (int, error) { return 7, nil })
	require.NoError(t, err)
	assert.Equal(t, 7, v, "errors are not cached")
}

// TestRateLimitWaitsAreTyped: Retry-After becomes a duration and Fastly-RateLimit-Reset a time,
// so callers use them without parsing a message.
func TestRateLimitWaitsAreTyped(t *testing.T) {
	f, c := newFake(t)
	f.handlers["/stats/regions"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Fastly-RateLimit-Reset", "1732579200")
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"msg":"Rate limit exceeded"}`)
	}
	_, err := c.Regions(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Zero(t, apiErr.RetryAfter)
	assert.Equal(t, time.Unix(1732579200, 0), apiErr.RateLimitReset)
	assert.Contains(t, err.Error(), "retry after 00:00:00 UTC")
}

func TestNetworkFailuresAreClassifiedByType(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for name, tc := range map[string]struct {
		err  error
		want NetReason
	}{
		"refused":           {refused, NetUnreachable},
		"proxy unreachable": {&url.Error{Op: "Get", Err: &net.OpError{Op: "proxyconnect", Net: "tcp", Err: refused}}, NetProxyFailed},
		"not TLS":           {&url.Error{Op: "Get", Err: tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}}, NetTLSFailed},
		"alert":             {&url.Error{Op: "Get", Err: &net.OpError{Op: "remote error", Err: errors.New("bad certificate")}}, NetTLSFailed},
		"alert via a proxy": {&net.OpError{Op: "proxyconnect", Err: &net.OpError{Op: "remote error", Err: errors.New("handshake failure")}}, NetTLSFailed},
		"unknown authority": {&url.Error{Op: "Get", Err: x509.UnknownAuthorityError{}}, NetTLSFailed},
		"cancelled":         {&url.Error{Op: "Get", Err: context.Canceled}, NetCancelled},
	} {
		var ne *NetworkError
		require.ErrorAs(t, transportError("/stats", tc.err), &ne, name)
		assert.Equal(t, tc.want, ne.Reason, name)
	}
}
