package plugin

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// datasourceWith is a data source on the given URL with the connection settings the config
// editor writes (Grafana's TLS, timeout and custom header fields).
func datasourceWith(t *testing.T, url string, jsonData map[string]any, secure map[string]string) *Datasource {
	t.Helper()
	return datasourceIn(t, context.Background(), url, jsonData, secure)
}

// datasourceIn is datasourceWith created in ctx, which carries Grafana's own configuration
// (the secure socks proxy is Grafana's setting as much as the data source's).
func datasourceIn(t *testing.T, ctx context.Context, url string, jsonData map[string]any, secure map[string]string) *Datasource {
	t.Helper()
	jsonData["apiUrl"], jsonData["realtimeUrl"] = url, url
	raw, err := json.Marshal(jsonData)
	require.NoError(t, err)
	secure["apiToken"] = simToken
	inst, err := NewDatasource(ctx, backend.DataSourceInstanceSettings{
		UID: "fastly-http", Name: "Fastly", Type: PluginID, JSONData: raw, DecryptedSecureJSONData: secure,
	})
	require.NoError(t, err)
	ds := inst.(*Datasource)
	ds.now = func() time.Time { return simNow }
	t.Cleanup(ds.Dispose)
	return ds
}

// tlsSim is the simulator behind HTTPS with its own certificate, and that certificate in PEM.
func tlsSim(t *testing.T, wrap func(http.Handler) http.Handler) (url, caPEM string) {
	t.Helper()
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }})
	srv := httptest.NewTLSServer(wrap(sim))
	t.Cleanup(srv.Close)
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	return srv.URL, string(ca)
}

func same(h http.Handler) http.Handler { return h }

// connectionCase is a data source's connection settings and whether its calls should reach
// the server.
type connectionCase struct {
	name     string
	jsonData map[string]any
	secure   map[string]string
	ok       bool
}

// runTLSCases lists the services with each case's settings: a call that should not get through
// must fail as a TLS failure (502), not as anything else.
func runTLSCases(t *testing.T, url string, cases []connectionCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := datasourceWith(t, url, tc.jsonData, tc.secure)
			status, body := callResource(t, ds, http.MethodGet, "services")
			if tc.ok {
				assert.Equal(t, http.StatusOK, status, string(body))
				assert.Contains(t, string(body), fastlysim.ShopServiceID)
				return
			}
			assert.Equal(t, http.StatusBadGateway, status, string(body))
			assert.Contains(t, string(body), "could not reach Fastly for /service: TLS failed")
		})
	}
}

func TestConnectionSettingsTLS(t *testing.T) {
	url, ca := tlsSim(t, same)
	runTLSCases(t, url, []connectionCase{
		{"an unknown certificate is refused", map[string]any{}, map[string]string{}, false},
		{"skip verify accepts it", map[string]any{"tlsSkipVerify": true}, map[string]string{}, true},
		{"a custom CA accepts it", map[string]any{"tlsAuthWithCACert": true}, map[string]string{"tlsCACert": ca}, true},
	})
}

func TestConnectionSettingsCustomHeadersReachFastly(t *testing.T) {
	seen := make(chan string, 16)
	url, _ := tlsSim(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			seen <- r.Header.Get("X-Proxy-Auth")
			h.ServeHTTP(w, r)
		})
	})
	ds := datasourceWith(t, url,
		map[string]any{"tlsSkipVerify": true, "httpHeaderName1": "X-Proxy-Auth"},
		map[string]string{"httpHeaderValue1": "let-me-through"})
	status, body := callResource(t, ds, http.MethodGet, "services")
	require.Equal(t, http.StatusOK, status, string(body))
	assert.Equal(t, "let-me-through", <-seen)
}

func TestConnectionSettingsTimeout(t *testing.T) {
	release := make(chan struct{})
	url, _ := tlsSim(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
	})
	t.Cleanup(func() { close(release) })
	ds := datasourceWith(t, url, map[string]any{"tlsSkipVerify": true, "timeout": 1}, map[string]string{})
	assert.Equal(t, time.Second, ds.client.HTTPClient().Timeout, "the timeout setting is in seconds")
	status, body := callResource(t, ds, http.MethodGet, "services")
	assert.NotEqual(t, http.StatusOK, status, fmt.Sprintf("a server that never answers: %s", body))
}
