package plugin

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// expiryNotice is how close a token's expiry must be for the health check to lead with it: two
// weeks leave time to create and paste a new token before dashboards go blank.
const expiryNotice = 14 * 24 * time.Hour

// tokenWarning is something that works now but needs the user's attention: what is the matter,
// and what to do about it.
type tokenWarning struct{ problem, action string }

// expiresSoon reports a token whose expiry the health check leads with.
func (ds *Datasource) expiresSoon(token *fastly.Token) bool {
	return !token.ExpiresAt.IsZero() && token.ExpiresAt.Sub(ds.now()) < expiryNotice
}

// tokenWarnings are the catches of a token that can read stats, most urgent first.
func (ds *Datasource) tokenWarnings(token *fastly.Token, services []fastly.Service) []tokenWarning {
	var ws []tokenWarning
	if ds.expiresSoon(token) {
		ws = append(ws, tokenWarning{
			fmt.Sprintf("the API token %q expires %s, on %s", token.Name, inDays(token.ExpiresAt.Sub(ds.now())), token.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")),
			"Create a new token with scope global:read and paste it into the API token field before then (" + tokenDocs + ")."})
	}
	if len(services) == 0 {
		ws = append(ws, tokenWarning{
			fmt.Sprintf("the API token %q sees no services", token.Name),
			"Every query needs a service: use a token of the account whose services you want to graph, or create a service in Fastly."})
	}
	if len(token.Services) > 0 {
		ws = append(ws, tokenWarning{
			fmt.Sprintf("the API token %q is limited to %d service(s): %s", token.Name, len(token.Services), strings.Join(serviceNames(token.Services, services), ", ")),
			"Only these services appear in pickers, * queries and dashboards: use a token with access to all services if you expected more (" + tokenDocs + ")."})
	}
	return ws
}

// inDays says how far off an expiry is, in whole days.
func inDays(d time.Duration) string {
	days := int(d / (24 * time.Hour))
	switch days {
	case 0:
		return "in less than a day"
	case 1:
		return "in 1 day"
	}
	return fmt.Sprintf("in %d days", days)
}

// healthWarning is a working connection whose verdict leads with its catches: the title says
// what is the matter, details.message what to do and then what works. Grafana 12.4 shows
// details.message under a success too, but its errorDetailsLink only for an error, so the
// guide's address is part of the action's text.
func healthWarning(ws []tokenWarning, facts string) *backend.CheckHealthResult {
	problems := make([]string, len(ws))
	actions := make([]string, len(ws))
	for i, w := range ws {
		problems[i], actions[i] = w.problem, w.action
	}
	lead := "Connected, with a warning: "
	if len(ws) > 1 {
		lead = fmt.Sprintf("Connected, with %d warnings: ", len(ws))
	}
	body, _ := json.Marshal(map[string]string{"message": strings.Join(actions, " ") + " " + facts})
	return &backend.CheckHealthResult{
		Status:      backend.HealthStatusOk,
		Message:     lead + strings.Join(problems, "; ") + ".",
		JSONDetails: body,
	}
}
