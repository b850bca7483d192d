// Package plugin is the Grafana-facing glue: one file per SDK handler, one per query type. It
// parses Grafana's requests, asks the Fastly client, and hands results to the framers.
package plugin

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/httpclient"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/live"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// PluginID is the id in plugin.json.
const PluginID = "opsdeck-fastly-datasource"

// Datasource is one configured Fastly data source. Grafana creates a new one whenever the
// settings change and disposes the old one.
type Datasource struct {
	settings    models.Settings
	settingsErr error // invalid settings: reported by every handler rather than failing creation
	client      *fastly.Client
	hub         *live.Hub // real-time pollers; nil when the settings are invalid
	now         func() time.Time
	logger      log.Logger

	resources backend.CallResourceHandler
}

var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ backend.StreamHandler         = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// NewDatasource is the instance factory Grafana's instance manager calls.
func NewDatasource(ctx context.Context, is backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	settings, err := models.LoadSettings(is)
	ds := &Datasource{settings: settings, settingsErr: err, now: time.Now, logger: log.DefaultLogger}
	if err == nil {
		hc, herr := newHTTPClient(ctx, is)
		if herr != nil {
			return nil, fmt.Errorf("setting up the HTTP client: %w", herr)
		}
		ds.client = fastly.NewClient(fastly.Config{
			APIURL:      settings.APIURL,
			RealtimeURL: settings.RealtimeURL,
			Token:       settings.APIToken,
			HTTPClient:  hc,
			Metrics:     upstream.ForDatasource(is.UID),
		})
		ds.hub = live.NewHub(ds.client, live.Options{})
		liveGauges.add(ds.hub, is.UID)
	}
	ds.resources = httpadapter.New(ds.routes())
	return ds, nil
}

// newHTTPClient builds the client from Grafana's HTTP options (proxy, TLS, timeouts, tracing,
// user agent), so Fastly calls honour what the Grafana admin configured.
func newHTTPClient(ctx context.Context, is backend.DataSourceInstanceSettings) (*http.Client, error) {
	opts, err := is.HTTPClientOptions(ctx)
	if err != nil {
		return nil, err
	}
	return httpclient.New(opts)
}

// Dispose releases the instance: it stops every real-time poller and waits for them (their
// streams end), frees the cached stats, and in-flight query requests end with their own
// contexts.
func (ds *Datasource) Dispose() {
	if ds.hub != nil {
		ds.hub.Close()
		liveGauges.remove(ds.hub)
	}
	if ds.client != nil {
		ds.client.ForgetStats()
		ds.client.HTTPClient().CloseIdleConnections()
	}
}

// QueryData answers Grafana's queries, each by its type's registration (registry.go).
func (ds *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return ds.perQuery(ctx, req), nil
}

// CallResource serves the editor's lookups (services, metrics, POPs, regions).
func (ds *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	return ds.resources.CallResource(ctx, req, redactingSender{ds: ds, next: sender})
}

// ready reports the configuration problem that stops any call to Fastly, if there is one.
func (ds *Datasource) ready() error {
	if ds.settingsErr != nil {
		return userError{ds.settingsErr}
	}
	if !ds.settings.HasToken() {
		return userError{fastly.ErrNoToken}
	}
	return nil
}
