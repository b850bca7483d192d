package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// pluginID is the id Grafana knows the plugin by (plugin.json, datasource.Manage).
const pluginID = "opsdeck-fastly-datasource"

// callTimeout bounds every gRPC call, so a hung plugin fails its test instead of the run.
const callTimeout = 20 * time.Second

// binaryPath is the plugin built once for the whole package by TestMain.
var binaryPath string

// TestMain builds the plugin binary once (a cold build takes about a minute; every test then
// reuses it) and makes sure no plugin process outlives the run.
func TestMain(m *testing.M) {
	code, err := run(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		code = 1
	}
	os.Exit(code)
}

func run(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "fastly-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	root, err := filepath.Abs("..")
	if err != nil {
		return 0, err
	}
	binaryPath = filepath.Join(dir, "gpx_fastly_linux_amd64")
	build := exec.Command("go", "build", "-o", binaryPath, "./pkg")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return 0, fmt.Errorf("building the plugin: %w", err)
	}
	// The SDK switches to its debug proxy mode when standalone.txt sits beside the binary;
	// the directory is fresh, but say so loudly if that ever changes.
	if _, err := os.Stat(filepath.Join(dir, "standalone.txt")); !errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("standalone.txt beside the plugin binary would bypass the handshake")
	}
	defer plugin.CleanupClients() // kills any managed client a test failed to kill
	return m.Run(), nil
}

// pluginProc is one running plugin process and the four gRPC clients Grafana dispenses from it.
type pluginProc struct {
	client      *plugin.Client
	diagnostics grpcplugin.DiagnosticsClient
	resource    grpcplugin.ResourceClient
	data        grpcplugin.DataClient
	stream      grpcplugin.StreamClient
}

// startPlugin launches the binary through the handshake Grafana uses for backend data sources
// and dispenses each service by the names Grafana registers. The process is killed when the
// test ends.
func startPlugin(t *testing.T) *pluginProc {
	t.Helper()
	logOut := &testWriter{t: t}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig: plugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		Plugins: map[string]plugin.Plugin{
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"stream":      &grpcplugin.StreamGRPCPlugin{},
		},
		Cmd:              exec.Command(binaryPath),
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Managed:          true,
		StartTimeout:     30 * time.Second,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name: "plugin", Output: logOut, Level: hclog.Info,
		}),
	})
	t.Cleanup(func() {
		client.Kill()
		logOut.close()
		if !client.Exited() {
			t.Errorf("the plugin process is still running after Kill")
		}
	})
	rpc, err := client.Client()
	if err != nil {
		t.Fatalf("plugin handshake failed: %v", err)
	}
	p := &pluginProc{client: client}
	p.diagnostics = dispense[grpcplugin.DiagnosticsClient](t, rpc, "diagnostics")
	p.resource = dispense[grpcplugin.ResourceClient](t, rpc, "resource")
	p.data = dispense[grpcplugin.DataClient](t, rpc, "data")
	p.stream = dispense[grpcplugin.StreamClient](t, rpc, "stream")
	return p
}

func dispense[T any](t *testing.T, rpc plugin.ClientProtocol, name string) T {
	t.Helper()
	raw, err := rpc.Dispense(name)
	if err != nil {
		t.Fatalf("dispensing %s: %v", name, err)
	}
	c, ok := raw.(T)
	if !ok {
		t.Fatalf("dispensed %s is a %T", name, raw)
	}
	return c
}

// testWriter sends the plugin's log lines to the test output, and drops them once the test
// is over (writing to a finished test panics).
type testWriter struct {
	mu     sync.Mutex
	t      *testing.T
	closed bool
}

func (w *testWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		line := strings.TrimRight(string(b), "\n")
		w.t.Log(line)
		// The plugin's own logs are shown to Grafana admins: the token must not be in them.
		if strings.Contains(line, simToken) {
			w.t.Errorf("the plugin logged the API token")
		}
	}
	return len(b), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
}

// dsConfig is one data source as Grafana would store it. Each distinct configuration needs its
// own ID: the SDK caches one instance per data source and only rebuilds it when Updated moves.
type dsConfig struct {
	ID          int64
	APIURL      string
	RealtimeURL string
	Token       string // "" leaves the secure field out, as an unconfigured data source does
}

func (c dsConfig) pluginContext() backend.PluginContext {
	secure := map[string]string{}
	if c.Token != "" {
		secure["apiToken"] = c.Token
	}
	json := fmt.Sprintf(`{"apiUrl":%q,"realtimeUrl":%q}`, c.APIURL, c.RealtimeURL)
	return backend.PluginContext{
		OrgID:    1,
		PluginID: pluginID,
		User:     &backend.User{Login: "admin", Name: "Admin", Role: "Admin"},
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID:                      c.ID,
			UID:                     fmt.Sprintf("fastly-e2e-%d", c.ID),
			Name:                    fmt.Sprintf("Fastly e2e %d", c.ID),
			Type:                    pluginID,
			JSONData:                []byte(json),
			DecryptedSecureJSONData: secure,
			Updated:                 time.Unix(1_700_000_000, 0),
		},
		// Grafana always sends its config; empty means no proxy, no feature toggles.
		GrafanaConfig: backend.NewGrafanaCfg(map[string]string{}),
	}
}

func callCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

func (p *pluginProc) checkHealth(t *testing.T, pc backend.PluginContext) *backend.CheckHealthResult {
	t.Helper()
	// The SDK has no ToProto for this request; it is only the plugin context.
	req := &pluginv2.CheckHealthRequest{PluginContext: backend.ToProto().PluginContext(pc)}
	resp, err := p.diagnostics.CheckHealth(callCtx(t), req)
	if err != nil {
		t.Fatalf("CheckHealth over gRPC: %v", err)
	}
	return backend.FromProto().CheckHealthResponse(resp)
}

func (p *pluginProc) queryData(t *testing.T, pc backend.PluginContext, queries ...backend.DataQuery) *backend.QueryDataResponse {
	t.Helper()
	out, err := p.tryQueryData(callCtx(t), pc, queries...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tryQueryData is queryData for goroutines, which must not call t.Fatal.
func (p *pluginProc) tryQueryData(ctx context.Context, pc backend.PluginContext, queries ...backend.DataQuery) (*backend.QueryDataResponse, error) {
	req := backend.ToProto().QueryDataRequest(&backend.QueryDataRequest{PluginContext: pc, Queries: queries})
	resp, err := p.data.QueryData(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("QueryData over gRPC: %w", err)
	}
	out, err := backend.FromProto().QueryDataResponse(resp)
	if err != nil {
		return nil, fmt.Errorf("decoding the QueryData answer: %w", err)
	}
	return out, nil
}

// resourceReply is a whole CallResource answer: the first message carries status and headers,
// the body may arrive in several chunks.
type resourceReply struct {
	Status  int
	Headers map[string][]string
	Body    []byte
}

func (p *pluginProc) callResource(t *testing.T, pc backend.PluginContext, method, path string) resourceReply {
	t.Helper()
	// Grafana passes the sub-path alone as Path and the sub-path with its query as URL.
	sub, _, _ := strings.Cut(path, "?")
	req := backend.ToProto().CallResourceRequest(&backend.CallResourceRequest{
		PluginContext: pc, Method: method, Path: sub, URL: path,
	})
	stream, err := p.resource.CallResource(callCtx(t), req)
	if err != nil {
		t.Fatalf("CallResource %s %s: %v", method, path, err)
	}
	var out resourceReply
	for first := true; ; first = false {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("CallResource %s %s: receiving: %v", method, path, err)
		}
		r := backend.FromProto().CallResourceResponse(msg)
		if first {
			out.Status, out.Headers = r.Status, r.Headers
		}
		out.Body = append(out.Body, r.Body...)
	}
	return out
}
