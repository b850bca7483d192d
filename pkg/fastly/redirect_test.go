package fastly

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// everyPath calls each way the client reaches Fastly: its own GETs (stats, events, usage,
// origins), the real-time long poll and go-fastly's calls (token, services, POPs).
var everyPath = map[string]func(context.Context, *Client) error{
	"stats": func(ctx context.Context, c *Client) error {
		_, err := c.Stats(ctx, StatsQuery{ServiceID: "svc1", Fields: []FieldSpec{{Name: "requests"}}, From: time.Unix(0, 0), To: time.Unix(3600, 0), By: "hour"})
		return err
	},
	"realtime": func(ctx context.Context, c *Client) error {
		_, err := c.Realtime(ctx, RealtimeChannel, "svc1", 0, NewRealtimeFields([]string{"requests"}))
		return err
	},
	"events": func(ctx context.Context, c *Client) error {
		_, err := c.Events(ctx, EventsQuery{From: time.Unix(0, 0), To: time.Unix(3600, 0)})
		return err
	},
	"regions": func(ctx context.Context, c *Client) error { _, err := c.Regions(ctx); return err },
	"token":   func(ctx context.Context, c *Client) error { _, err := c.TokenSelf(ctx); return err },
	"services": func(ctx context.Context, c *Client) error {
		_, err := c.Services(ctx)
		return err
	},
	"pops": func(ctx context.Context, c *Client) error { _, err := c.POPs(ctx); return err },
}

// TestTokenNeverFollowsARedirectToAnotherHost: a redirect to another host is refused before
// anything is sent there, on every path, and the error names the host.
func TestTokenNeverFollowsARedirectToAnotherHost(t *testing.T) {
	elsewhere := fastlysim.New(fastlysim.Config{}) // another host, that records what reaches it
	other := httptest.NewServer(elsewhere)
	t.Cleanup(other.Close)
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(home.Close)
	otherHost := other.URL
	for name, call := range everyPath {
		t.Run(name, func(t *testing.T) {
			c := NewClient(Config{APIURL: home.URL, RealtimeURL: home.URL, Token: testToken})
			err := call(context.Background(), c)
			var redir *RedirectError
			require.True(t, errors.As(err, &redir), "got %v", err)
			assert.Equal(t, otherHost, redir.Host)
			assert.Contains(t, err.Error(), otherHost)
			assert.NotContains(t, err.Error(), testToken)
		})
	}
	assert.Empty(t, elsewhere.Requests(), "nothing reached the other host")
}

// TestSameHostRedirectsAreFollowedABoundedNumberOfTimes: a proxy moving a path on the same
// host works; a loop ends after maxRedirects hops with an error that says so.
func TestSameHostRedirectsAreFollowedABoundedNumberOfTimes(t *testing.T) {
	var hops atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved/tokens/self":
			if r.Header.Get("Fastly-Key") != testToken {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{"id":"tok1","name":"n","scope":"global:read"}`))
		case "/tokens/self":
			http.Redirect(w, r, "/moved/tokens/self", http.StatusMovedPermanently)
		default:
			hops.Add(1)
			http.Redirect(w, r, r.URL.Path, http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: testToken})
	tok, err := c.TokenSelf(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "tok1", tok.ID)

	_, err = c.Regions(context.Background())
	var redir *RedirectError
	require.True(t, errors.As(err, &redir), "got %v", err)
	assert.Empty(t, redir.Host)
	assert.Contains(t, err.Error(), "redirected more than 3 times")
	assert.Equal(t, int32(maxRedirects+1), hops.Load(), "the first request and three hops, no more")
}

// TestRedirectToPlainHTTPOnTheSameHostIsRefused: a downgrade would send the token in clear.
func TestRedirectToPlainHTTPOnTheSameHostIsRefused(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c := NewClient(Config{APIURL: srv.URL, RealtimeURL: srv.URL, Token: testToken, HTTPClient: srv.Client()})
	_, err := c.Regions(context.Background())
	var redir *RedirectError
	require.True(t, errors.As(err, &redir), "got %v", err)
	assert.Equal(t, "http://"+strings.TrimPrefix(srv.URL, "https://"), redir.Host)
}
