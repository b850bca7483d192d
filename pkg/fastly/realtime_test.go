package fastly

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRealtimeIgnoresClientTimeout: Grafana's HTTP client has a 30 s overall Timeout, shorter
// than Fastly's long poll; the real-time call must not inherit it (each request is bounded by
// RealtimeRequestTimeout through its context instead).
func TestRealtimeIgnoresClientTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		_, _ = w.Write([]byte(`{"Timestamp":12,"Data":[{"recorded":12,"aggregated":{"requests":3}}]}`))
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{RealtimeURL: srv.URL, Token: "t", HTTPClient: &http.Client{Timeout: 20 * time.Millisecond}})
	go func() {
		time.Sleep(100 * time.Millisecond) // longer than the client Timeout: the long poll is still open
		close(release)
	}()
	r, err := c.Realtime(context.Background(), RealtimeChannel, "svc1", 11, NewRealtimeFields([]string{"requests"}))
	require.NoError(t, err, "a long poll outlives the client-wide Timeout")
	assert.Equal(t, []float64{3}, r.Seconds[0].Aggregated.Values)
}

// TestRealtimeRequests checks the paths asked for, the header, and that failures are returned
// at once (the poller retries from its cursor, the client does not).
func TestRealtimeRequests(t *testing.T) {
	var paths []string
	var calls atomic.Int32
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		paths = append(paths, r.URL.Path)
		if r.Header.Get("Fastly-Key") != "tok-SECRET" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"msg":"oops","Timestamp":5,"Data":[]}`))
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{RealtimeURL: srv.URL + "/", Token: "tok-SECRET"})
	f := NewRealtimeFields([]string{"requests"})
	ctx := context.Background()
	for _, since := range []int64{RealtimeHistory, 0, 1732579200} {
		_, err := c.Realtime(ctx, RealtimeChannel, "svc1", since, f)
		require.NoError(t, err)
	}
	_, err := c.Realtime(ctx, RealtimeOrigins, "svc1", 7, f)
	require.NoError(t, err)
	assert.Equal(t, []string{"/v1/channel/svc1/ts/h", "/v1/channel/svc1/ts/0", "/v1/channel/svc1/ts/1732579200", "/v1/origins/svc1/ts/7"}, paths)

	status = http.StatusServiceUnavailable
	calls.Store(0)
	_, err = c.Realtime(ctx, RealtimeChannel, "svc1", 9, f)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusServiceUnavailable, apiErr.Status)
	assert.Equal(t, int32(1), calls.Load(), "no retry inside the call: the poller backs off and resumes")

	bad := NewClient(Config{RealtimeURL: srv.URL, Token: "other"})
	_, err = bad.Realtime(ctx, RealtimeChannel, "svc1", 9, f)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.Status)
	assert.Contains(t, err.Error(), "token was rejected")

	_, err = NewClient(Config{RealtimeURL: srv.URL}).Realtime(ctx, RealtimeChannel, "svc1", 9, f)
	assert.ErrorIs(t, err, ErrNoToken)
	_, err = c.Realtime(ctx, RealtimeProduct("bogus"), "svc1", 9, f)
	assert.Error(t, err)
}

// TestRealtimeCancel: cancelling the context ends a long poll at once, unlike go-fastly's
// real-time client.
func TestRealtimeCancel(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{RealtimeURL: srv.URL, Token: "t"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Realtime(ctx, RealtimeChannel, "svc1", 9, NewRealtimeFields(nil))
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		var ne *NetworkError
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, NetCancelled, ne.Reason)
		assert.True(t, errors.Is(err, context.Canceled))
	case <-time.After(2 * time.Minute):
		t.Fatal("a cancelled long poll kept going")
	}
}

func TestRealtimeProductTagsAreDistinctAndFoundAgain(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range realtimeProducts {
		tag := p.Tag()
		assert.NotEmpty(t, tag, p)
		assert.False(t, seen[tag], "tag %q used twice", tag)
		seen[tag] = true
		assert.Equal(t, p, RealtimeProductByTag(tag))
	}
	assert.Equal(t, RealtimeProduct(""), RealtimeProductByTag("zz"))
	assert.Equal(t, RealtimeProduct(""), RealtimeProductByTag(""))
	assert.Empty(t, RealtimeProduct("bots").Tag())
}
