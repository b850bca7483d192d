package fastly

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// retryPolicy bounds how hard the plugin insists: Grafana panels and alert rules have their own
// timeouts, so a few quick retries help while long waits only hide the failure.
type retryPolicy struct {
	attempts int           // total tries, including the first
	base     time.Duration // first backoff; doubles each retry, with jitter
	maxWait  time.Duration // longest Retry-After honoured; longer ones fail at once
}

var defaultRetryPolicy = retryPolicy{attempts: 3, base: 250 * time.Millisecond, maxWait: 5 * time.Second}

// retryTransport retries GETs that failed for reasons that pass: 429 (after Retry-After),
// 502/503/504 and network errors other than cancellation. Other methods go through once.
type retryTransport struct {
	next   http.RoundTripper
	policy retryPolicy
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return t.next.RoundTrip(req)
	}
	var resp *http.Response
	var err error
	for attempt := 1; ; attempt++ {
		resp, err = t.next.RoundTrip(req)
		if attempt >= t.policy.attempts || req.Context().Err() != nil {
			return resp, err
		}
		wait, retry := t.backoff(attempt, resp, err)
		if !retry {
			return resp, err
		}
		if resp != nil {
			resp.Body.Close()
		}
		if sleepErr := sleep(req.Context(), wait); sleepErr != nil {
			return nil, sleepErr
		}
	}
}

// backoff decides whether to retry and how long to wait first.
func (t *retryTransport) backoff(attempt int, resp *http.Response, err error) (time.Duration, bool) {
	exp := t.policy.base << (attempt - 1)
	jittered := exp/2 + rand.N(exp/2+1)
	if err != nil {
		return jittered, true
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		if wait, ok := retryAfter(resp); ok {
			return wait, wait <= t.policy.maxWait
		}
		return jittered, true
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return jittered, true
	}
	return 0, false
}

// retryAfter reads Retry-After in seconds (the form Fastly sends).
func retryAfter(resp *http.Response) (time.Duration, bool) {
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 0 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
