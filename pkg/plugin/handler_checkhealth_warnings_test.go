package plugin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestHealthLeadsWithTheWarning: a token that works with a catch gets a green result whose title
// (Message) starts with the catch, and whose details.message (what Grafana 12.4 shows under a
// success) says what to do before what works. Each case runs against the simulator's token.
func TestHealthLeadsWithTheWarning(t *testing.T) {
	shop := fastlysim.ShopServiceID
	soon := simNow.Add(6*24*time.Hour + 2*time.Hour)
	far := simNow.Add(400 * 24 * time.Hour)
	const renew = "Create a new token with scope global:read and paste it into the API token field before then (" + tokenDocs + ")."
	const widen = "Only these services appear in pickers, * queries and dashboards: use a token with access to all services if you expected more (" + tokenDocs + ")."
	const noServices = "Every query needs a service: use a token of the account whose services you want to graph, or create a service in Fastly."
	cases := []struct {
		name        string
		token       fastlysim.TokenSelf
		noServices  bool
		wantMessage string // {n}: the number of services the simulator lists
		wantDetails string // details.message; "" when the result has no details
	}{
		{
			name:        "no catch",
			token:       fastlysim.TokenSelf{Name: "reader"},
			wantMessage: `Fastly API token "reader" works. Scope: global:read. It can see {n} service(s).`,
		},
		{
			name:        "expiry far off is a fact, not a warning",
			token:       fastlysim.TokenSelf{Name: "reader", ExpiresAt: far},
			wantMessage: `Fastly API token "reader" works. Scope: global:read. It can see {n} service(s). It expires on ` + far.UTC().Format("2006-01-02 15:04 UTC") + `.`,
		},
		{
			name:        "about to expire",
			token:       fastlysim.TokenSelf{Name: "reader", ExpiresAt: soon},
			wantMessage: `Connected, with a warning: the API token "reader" expires in 6 days, on ` + soon.UTC().Format("2006-01-02 15:04 UTC") + `.`,
			wantDetails: renew + ` Fastly API token "reader" works. Scope: global:read. It can see {n} service(s).`,
		},
		{
			name:        "expires within the day",
			token:       fastlysim.TokenSelf{Name: "reader", ExpiresAt: simNow.Add(3 * time.Hour)},
			wantMessage: `Connected, with a warning: the API token "reader" expires in less than a day, on ` + simNow.Add(3*time.Hour).UTC().Format("2006-01-02 15:04 UTC") + `.`,
			wantDetails: renew + ` Fastly API token "reader" works. Scope: global:read. It can see {n} service(s).`,
		},
		{
			name:        "limited to some services, named",
			token:       fastlysim.TokenSelf{Name: "shop-only", Scope: "global:read purge_select", Services: []string{shop, "NotInThisAccount00001"}},
			wantMessage: `Connected, with a warning: the API token "shop-only" is limited to 2 service(s): www.example-shop.com (` + shop + `), NotInThisAccount00001.`,
			wantDetails: widen + ` Fastly API token "shop-only" works. Scope: global:read purge_select. It can see {n} service(s).`,
		},
		{
			name:        "sees no services",
			token:       fastlysim.TokenSelf{Name: "empty"},
			noServices:  true,
			wantMessage: `Connected, with a warning: the API token "empty" sees no services.`,
			wantDetails: noServices + ` Fastly API token "empty" works. Scope: global:read. It can see 0 service(s).`,
		},
		{
			name:        "several catches, the most urgent first",
			token:       fastlysim.TokenSelf{Name: "shop-only", Services: []string{shop}, ExpiresAt: soon},
			wantMessage: `Connected, with 2 warnings: the API token "shop-only" expires in 6 days, on ` + soon.UTC().Format("2006-01-02 15:04 UTC") + `; the API token "shop-only" is limited to 1 service(s): www.example-shop.com (` + shop + `).`,
			wantDetails: renew + " " + widen + ` Fastly API token "shop-only" works. Scope: global:read. It can see {n} service(s).`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newEnv(t, simToken)
			env.sim.SetTokenSelf(c.token)
			seen := len(env.sim.Services())
			if c.noServices {
				env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/service", Body: `[]`})
				seen = 0
			}
			count := strings.NewReplacer("{n}", strconv.Itoa(seen))
			res := health(t, env.ds)
			assert.Equal(t, backend.HealthStatusOk, res.Status, "a working token is a green result")
			assert.Equal(t, count.Replace(c.wantMessage), res.Message)
			if c.wantDetails == "" {
				assert.Empty(t, res.JSONDetails)
				return
			}
			assert.JSONEq(t, fmt.Sprintf(`{"message":%q}`, count.Replace(c.wantDetails)), string(res.JSONDetails))
		})
	}
}

// TestHealthFailsWhenServicesCannotBeListed: the verdict (the listing failed) leads; that the
// token itself works follows in the details.
func TestHealthFailsWhenServicesCannotBeListed(t *testing.T) {
	env := newEnv(t, simToken)
	env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/service", Status: http.StatusServiceUnavailable})
	res := health(t, env.ds)
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Regexp(t, `^Listing the token's services failed: Fastly answered 503 Service Unavailable for /service`, res.Message)
	assert.JSONEq(t, `{"message":"Fastly answered but could not serve the request; try again, and check Fastly's status page if it persists. (The token \"grafana-readonly\" itself works.)"}`, string(res.JSONDetails))
}
