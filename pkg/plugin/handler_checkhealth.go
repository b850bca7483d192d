package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// tokenDocs is where the health check sends people who need a (better) token.
const tokenDocs = "https://docs.fastly.com/en/guides/using-api-tokens"

// CheckHealth runs on "Save & test": it asks Fastly about the token and says, in words a person
// can act on, whether it works, what it can read and when it expires.
func (ds *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	return ds.redactHealth(ds.checkHealth(ctx)), nil
}

func (ds *Datasource) checkHealth(ctx context.Context) *backend.CheckHealthResult {
	if ds.settingsErr != nil {
		return healthError(ds.settingsErr.Error(), "Fix the URL in the data source settings.")
	}
	if !ds.settings.HasToken() {
		return healthError("No Fastly API token is configured.", "Create an API token with scope global:read in the Fastly web interface (Account > API tokens) and paste it into the API token field.")
	}
	token, err := ds.client.TokenSelf(ctx)
	if err != nil {
		msg, detail := ds.explainFailure(err)
		return healthError(msg, detail)
	}
	lines := []string{fmt.Sprintf("Fastly API token %q works.", token.Name)}
	status := backend.HealthStatusOk
	scope := strings.Join(token.Scopes, " ")
	if slices.Contains(token.Scopes, "global") || slices.Contains(token.Scopes, "global:read") {
		lines = append(lines, fmt.Sprintf("Scope: %s.", scope))
	} else {
		lines = append(lines, fmt.Sprintf("Warning: the token's scope is %q; reading stats needs global:read (or global). Queries may be refused.", scope))
	}
	if len(token.Services) > 0 {
		lines = append(lines, fmt.Sprintf("It is limited to %d service(s): %s.", len(token.Services), strings.Join(token.Services, ", ")))
	}
	if !token.ExpiresAt.IsZero() {
		lines = append(lines, fmt.Sprintf("It expires on %s.", token.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")))
		if token.ExpiresAt.Before(ds.now()) {
			status = backend.HealthStatusError
		}
	}
	if services, err := ds.client.Services(ctx); err != nil {
		msg, _ := ds.explainFailure(err)
		lines = append(lines, "Listing services failed: "+msg)
	} else {
		lines = append(lines, fmt.Sprintf("It can see %d service(s).", len(services)))
	}
	return &backend.CheckHealthResult{Status: status, Message: strings.Join(lines, " ")}
}

// explainFailure says what went wrong and what to do, one case per cause.
func (ds *Datasource) explainFailure(err error) (msg, detail string) {
	var apiErr *fastly.APIError
	var netErr *fastly.NetworkError
	switch {
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusUnauthorized:
		msg, detail = "Fastly rejected the API token (401).", "The token is wrong, revoked or expired: create a new one with scope global:read and paste it again."
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusForbidden:
		msg, detail = "Fastly refused the API token (403).", "The token lacks the scope needed: it needs global:read (or global)."
	case errors.As(err, &apiErr):
		msg, detail = err.Error(), "Fastly answered but could not serve the request; try again, and check Fastly's status page if it persists."
	case isUpstreamFault(err):
		msg, detail = err.Error(), fmt.Sprintf("%s answered, but not as Fastly's API does: check the API URL and any proxy between Grafana and Fastly.", ds.settings.APIURL)
	case errors.As(err, &netErr) && netErr.Reason == fastly.NetTLSFailed:
		msg, detail = fmt.Sprintf("The TLS connection to %s failed: %v.", ds.settings.APIURL, netErr.Err), "Check the API URL, the server certificate, and the TLS settings of this data source (custom CA, skip verify)."
	case errors.As(err, &netErr) && netErr.Reason == fastly.NetProxyFailed:
		msg, detail = fmt.Sprintf("The proxy refused or failed the connection to %s: %v.", ds.settings.APIURL, netErr.Err), "Check the proxy settings of Grafana or of this data source."
	case errors.As(err, &netErr) && netErr.Reason == fastly.NetTimedOut:
		msg, detail = fmt.Sprintf("Fastly's API at %s did not answer in time.", ds.settings.APIURL), "Check the network path from the Grafana server to the API URL, or raise the timeout."
	case errors.As(err, &netErr):
		msg, detail = fmt.Sprintf("Could not reach Fastly's API at %s: %v.", ds.settings.APIURL, netErr.Err), "Check the API URL, DNS and firewall rules between the Grafana server and Fastly."
	default:
		msg, detail = err.Error(), ""
	}
	return msg, detail
}

func healthError(msg, detail string) *backend.CheckHealthResult {
	details, _ := json.Marshal(map[string]string{"verboseMessage": detail, "errorLink": tokenDocs})
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg, JSONDetails: details}
}
