package plugin

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/proxy"
	"github.com/grafana/grafana-plugin-sdk-go/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// socksProxy is a minimal SOCKS5 server (RFC 1928, with RFC 1929's username and password) that
// records who connected and where to, so a test can see the data source's calls go through it.
type socksProxy struct {
	addr string

	mu      sync.Mutex
	users   []string // the username of each connection
	targets []string // the host:port each connection asked for
}

func startSOCKS5(t *testing.T) *socksProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	p := &socksProxy{addr: ln.Addr().String()}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // the listener closed at the test's end
			}
			go p.serve(conn)
		}
	}()
	return p
}

func (p *socksProxy) seen() (users, targets []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.users...), append([]string(nil), p.targets...)
}

// serve answers one client: username/password authentication (any password), then CONNECT to
// an IPv4 address, then it relays bytes both ways until either side closes.
func (p *socksProxy) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	greeting, err := readN(r, 2) // VER NMETHODS
	if err != nil {
		return
	}
	if _, err := readN(r, int(greeting[1])); err != nil {
		return
	}
	_, _ = conn.Write([]byte{5, 2}) // username/password
	auth, err := readN(r, 2)        // VER ULEN
	if err != nil {
		return
	}
	user, err := readN(r, int(auth[1]))
	if err != nil {
		return
	}
	plen, err := readN(r, 1)
	if err != nil {
		return
	}
	if _, err := readN(r, int(plen[0])); err != nil {
		return
	}
	_, _ = conn.Write([]byte{1, 0})
	req, err := readN(r, 4+net.IPv4len+2) // VER CMD RSV ATYP=IPv4 ADDR PORT
	if err != nil || req[1] != 1 || req[3] != 1 {
		return
	}
	target := net.JoinHostPort(net.IP(req[4:8]).String(), strconv.Itoa(int(binary.BigEndian.Uint16(req[8:]))))
	p.mu.Lock()
	p.users, p.targets = append(p.users, string(user)), append(p.targets, target)
	p.mu.Unlock()
	upstream, err := net.Dial("tcp", target)
	if err != nil {
		_, _ = conn.Write([]byte{5, 5, 0, 1, 0, 0, 0, 0, 0, 0}) // connection refused
		return
	}
	defer upstream.Close()
	_, _ = conn.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(upstream, r)
		_ = upstream.Close()
		close(done)
	}()
	_, _ = io.Copy(conn, upstream)
	_ = conn.Close()
	<-done
}

func readN(r io.Reader, n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

// TestConnectionSettingsSecureSocksProxy: Grafana's only per-data-source proxy is the secure
// socks proxy (private data source connect). With Grafana's side enabled (the configuration it
// passes in the context) and "enableSecureSocksProxy" on in the data source, every call to
// Fastly goes through the proxy, authenticated as the data source's uid; with it off in the data
// source, none does. Here the proxy is reached without TLS (Grafana's allow_insecure): the TLS
// leg to a real proxy uses certificates from Grafana's configuration and is the SDK's.
func TestConnectionSettingsSecureSocksProxy(t *testing.T) {
	socks := startSOCKS5(t)
	sim := httptest.NewServer(fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }}))
	t.Cleanup(sim.Close)
	grafana := config.WithGrafanaConfig(context.Background(), config.NewGrafanaCfg(map[string]string{
		proxy.PluginSecureSocksProxyEnabled:       "true",
		proxy.PluginSecureSocksProxyProxyAddress:  socks.addr,
		proxy.PluginSecureSocksProxyAllowInsecure: "true",
	}))

	direct := datasourceIn(t, grafana, sim.URL, map[string]any{}, map[string]string{})
	status, body := callResource(t, direct, http.MethodGet, "services")
	require.Equal(t, http.StatusOK, status, string(body))
	users, targets := socks.seen()
	assert.Empty(t, targets, "the data source did not ask for the proxy")
	assert.Empty(t, users)

	proxied := datasourceIn(t, grafana, sim.URL, map[string]any{"enableSecureSocksProxy": true}, map[string]string{})
	status, body = callResource(t, proxied, http.MethodGet, "services")
	require.Equal(t, http.StatusOK, status, string(body))
	assert.Contains(t, string(body), fastlysim.ShopServiceID, "Fastly's answer came back through the proxy")
	users, targets = socks.seen()
	require.NotEmpty(t, targets)
	for i := range targets {
		assert.Equal(t, sim.Listener.Addr().String(), targets[i])
		assert.Equal(t, "fastly-http", users[i], "the proxy knows the data source by its uid")
	}
}

// envProxyChild names the API URL the child process of TestConnectionSettingsEnvironmentProxy
// calls; set only in that child.
const envProxyChild = "FASTLY_TEST_ENV_PROXY_API_URL"

// TestConnectionSettingsEnvironmentProxy: an HTTP(S) proxy for the whole Grafana server comes
// from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), which the SDK's transport reads;
// there is no per-data-source proxy URL. Go reads those variables once per process and never
// proxies loopback addresses, so the call runs in a child process whose environment names the
// proxy, to a host name that only the proxy knows.
func TestConnectionSettingsEnvironmentProxy(t *testing.T) {
	if apiURL := os.Getenv(envProxyChild); apiURL != "" {
		ds := datasourceWith(t, apiURL, map[string]any{}, map[string]string{})
		status, body := callResource(t, ds, http.MethodGet, "services")
		require.Equal(t, http.StatusOK, status, string(body))
		require.Contains(t, string(body), fastlysim.ShopServiceID)
		return
	}
	var mu sync.Mutex
	var hosts []string
	sim := fastlysim.New(fastlysim.Config{Token: simToken, Now: func() time.Time { return simNow }})
	forwardProxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// a forward proxy receives the absolute URL; this one serves it from the simulator
		mu.Lock()
		hosts = append(hosts, r.URL.Host)
		mu.Unlock()
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(forwardProxy.Close)

	child := exec.Command(os.Args[0], "-test.run=^TestConnectionSettingsEnvironmentProxy$", "-test.count=1")
	child.Env = append(os.Environ(),
		"HTTP_PROXY="+forwardProxy.URL, "http_proxy="+forwardProxy.URL, "NO_PROXY=", "no_proxy=",
		envProxyChild+"=http://fastly-api.invalid")
	out, err := child.CombinedOutput()
	require.NoError(t, err, "the child's call through the proxy failed:\n%s", out)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, hosts, "the call went through the proxy")
	for _, h := range hosts {
		assert.Equal(t, "fastly-api.invalid", h)
	}
}
