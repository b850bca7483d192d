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
		return healthErrorLink(ds.settingsErr.Error(), "Fix the URL in the data source settings.", "")
	}
	if !ds.settings.HasToken() {
		return healthError("No Fastly API token is configured.", "Create an API token with scope global:read in the Fastly web interface (Account > API tokens) and paste it into the API token field.")
	}
	token, err := ds.client.TokenSelf(ctx)
	if err != nil {
		msg, detail := ds.explainFailure(err)
		return healthErrorLink(msg, detail, docsFor(err))
	}
	services, listErr := ds.client.Services(ctx)
	scope := strings.Join(token.Scopes, " ")
	if !slices.Contains(token.Scopes, "global") && !slices.Contains(token.Scopes, "global:read") {
		// the verdict first: this token cannot read stats, whatever else it can do
		return healthError(
			fmt.Sprintf("The Fastly API token %q cannot read stats: its scope is %q.", token.Name, scope),
			"Create a token with scope global:read (or global) in the Fastly web interface (Account > API tokens) and paste it into the API token field.",
		)
	}
	if !token.ExpiresAt.IsZero() && token.ExpiresAt.Before(ds.now()) {
		return healthError(
			fmt.Sprintf("The Fastly API token %q expired on %s.", token.Name, token.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")),
			"Create a new token with scope global:read and paste it into the API token field.",
		)
	}
	if listErr != nil {
		msg, detail := ds.explainFailure(listErr)
		return healthErrorLink("Listing the token's services failed: "+msg, fmt.Sprintf("%s (The token %q itself works.)", detail, token.Name), "")
	}
	warnings := ds.tokenWarnings(token, services)
	facts := fmt.Sprintf("Fastly API token %q works. Scope: %s. It can see %d service(s).", token.Name, scope, len(services))
	if !token.ExpiresAt.IsZero() && !ds.expiresSoon(token) {
		facts += fmt.Sprintf(" It expires on %s.", token.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	if len(warnings) == 0 {
		return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: facts}
	}
	return healthWarning(warnings, facts)
}

// serviceNames names the given service ids as "name (id)" where the list knows them.
func serviceNames(ids []string, known []fastly.Service) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id
		for _, s := range known {
			if s.ID == id && s.Name != "" {
				out[i] = fmt.Sprintf("%s (%s)", s.Name, id)
			}
		}
	}
	return out
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

// docsFor is the guide to link for a failed token check: the token guide when Fastly refused the
// token, none for network trouble (the message says what to check).
func docsFor(err error) string {
	var apiErr *fastly.APIError
	if errors.As(err, &apiErr) && (apiErr.Status == http.StatusUnauthorized || apiErr.Status == http.StatusForbidden) {
		return tokenDocs
	}
	return ""
}

// healthError is a failed check whose next step Grafana shows under the verdict (details.message),
// with the token guide linked (details.errorDetailsLink, what Grafana 12 reads).
func healthError(msg, detail string) *backend.CheckHealthResult {
	return healthErrorLink(msg, detail, tokenDocs)
}

// healthErrorLink is healthError with another documentation link, or none ("").
func healthErrorLink(msg, detail, link string) *backend.CheckHealthResult {
	details := map[string]string{"message": detail}
	if link != "" {
		details["errorDetailsLink"] = link
	}
	body, _ := json.Marshal(details)
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: msg, JSONDetails: body}
}
