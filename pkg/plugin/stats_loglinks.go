package plugin

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// Stats panels link to the sampled logs behind a point: clicking a bucket of a service's series
// opens Explore on that service's logs query for the clicked minute. The link is added here, on
// the backend, so every stats panel (provisioned or not, dashboards and Explore alike) has it
// without configuration, and only for services that have Log Explorer & Insights, so nobody is
// sent to a query that can only fail.
//
// Grafana's data links cannot add a minute to ${__value.time}, and Explore reads an epoch
// range but no date math, so the link opens the zero-length range [t, t]; a logs query reads a
// zero-length range as the minute starting there (see prepareLogQuery).

// maxLinkedServices bounds the enablement checks one stats query makes for its links.
const maxLinkedServices = 10

// valueTimePlaceholder stands for ${__value.time} while the Explore state is URL-encoded.
const valueTimePlaceholder = "VALUETIME"

// linkToLogs adds the "sampled logs" data link to every value field of frames whose series is
// one service with the product enabled. Failed enablement checks only leave links out.
func (ds *Datasource) linkToLogs(ctx context.Context, pCtx backend.PluginContext, frames data.Frames) {
	if pCtx.DataSourceInstanceSettings == nil || pCtx.DataSourceInstanceSettings.UID == "" {
		return
	}
	uid := pCtx.DataSourceInstanceSettings.UID
	var services []string
	for _, f := range frames {
		for _, field := range f.Fields {
			if id := field.Labels["service"]; id != "" && !slices.Contains(services, id) {
				services = append(services, id)
			}
		}
	}
	if len(services) > maxLinkedServices {
		return
	}
	enabled := map[string]bool{}
	var mu sync.Mutex
	parallel(len(services), func(i int) {
		if ds.client.CheckProduct(ctx, fastly.ProductLogExplorer, services[i]) == nil {
			mu.Lock()
			enabled[services[i]] = true
			mu.Unlock()
		}
	})
	for _, f := range frames {
		for _, field := range f.Fields {
			id := field.Labels["service"]
			if !enabled[id] {
				continue
			}
			if field.Config == nil {
				field.Config = &data.FieldConfig{}
			}
			field.Config.Links = append(field.Config.Links, data.DataLink{
				Title: "Sampled logs of this minute (Fastly Log Explorer)",
				URL:   exploreLogsURL(uid, id),
			})
		}
	}
}

// exploreLogsURL is Grafana's Explore URL for a logs query of one service over [t, t], t being
// the clicked point's time.
func exploreLogsURL(uid, serviceID string) string {
	pane := map[string]any{"fastly": map[string]any{
		"datasource": uid,
		"queries": []map[string]any{{
			"refId":      "A",
			"datasource": map[string]string{"type": PluginID, "uid": uid},
			"queryType":  models.QueryTypeLogs,
			"services":   []string{serviceID},
			"limit":      500,
		}},
		"range": map[string]string{"from": valueTimePlaceholder, "to": valueTimePlaceholder},
	}}
	b, _ := json.Marshal(pane) // maps of strings and numbers always encode
	encoded := url.QueryEscape(string(b))
	return "/explore?schemaVersion=1&panes=" + strings.ReplaceAll(encoded, valueTimePlaceholder, "${__value.time}")
}
