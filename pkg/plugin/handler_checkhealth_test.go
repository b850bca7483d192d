package plugin

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func health(t *testing.T, ds *Datasource) *backend.CheckHealthResult {
	t.Helper()
	res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	return res
}

func TestHealthReportsTheTokenAndWhatItSees(t *testing.T) {
	env := newEnv(t, simToken)
	res := health(t, env.ds)
	assert.Equal(t, backend.HealthStatusOk, res.Status, res.Message)
	assert.Contains(t, res.Message, "works")
	assert.Contains(t, res.Message, "Scope: global:read.")
	assert.Contains(t, res.Message, fmt.Sprintf("It can see %d service(s).", len(env.sim.Services())))
	assert.NotContains(t, res.Message, simToken)
}

func TestHealthExplainsEachFailure(t *testing.T) {
	env := newEnv(t, simToken)

	res := health(t, newTestDatasource(t, env.url, "wrong-token-ABC"))
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, "Fastly rejected the API token (401).", res.Message)
	assert.NotContains(t, string(res.JSONDetails), "wrong-token-ABC")

	res = health(t, newTestDatasource(t, env.url, ""))
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, "No Fastly API token is configured.", res.Message)
	assert.Contains(t, string(res.JSONDetails), "global:read")

	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	res = health(t, newTestDatasource(t, closedURL, simToken))
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Contains(t, res.Message, "Could not reach Fastly's API at "+closedURL)

	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsSrv.Close()
	res = health(t, newTestDatasource(t, tlsSrv.URL, simToken))
	assert.Contains(t, res.Message, "The TLS connection to "+tlsSrv.URL+" failed")

	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{JSONData: []byte(`{"apiUrl":"not a url"}`)})
	require.NoError(t, err, "bad settings are reported, not fatal")
	res = health(t, inst.(*Datasource))
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Contains(t, res.Message, `the API URL "not a url" is not valid`)
}

func TestHealthWarnsAboutANarrowScopeAndExpiry(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/tokens/self":
			fmt.Fprint(w, `{"id":"tok1","name":"purger","scope":"purge_select","services":["svcA","svcB"],"expires_at":"2030-01-02T03:04:05Z"}`)
		case "/service":
			fmt.Fprint(w, `[{"id":"svcA","name":"a","type":"vcl"}]`)
		}
	}))
	defer fake.Close()
	res := health(t, newTestDatasource(t, fake.URL, simToken))
	assert.Equal(t, backend.HealthStatusOk, res.Status)
	assert.Equal(t, `Fastly API token "purger" works. Warning: the token's scope is "purge_select"; reading stats needs global:read (or global). Queries may be refused. It is limited to 2 service(s): svcA, svcB. It expires on 2030-01-02 03:04 UTC. It can see 1 service(s).`, res.Message)
}

// TestHealthRefusesAnAnswerThatIsNotAToken: /tokens/self answering {} (or without a scope)
// is not a working token.
func TestHealthRefusesAnAnswerThatIsNotAToken(t *testing.T) {
	for body, want := range map[string]string{
		`{}`:                         "it names no token id",
		`{"id":"tok1","name":"n"}`:   "it names no scope",
		`<html>hello</html>`:         "invalid character",
		`{"id":"tok1","scope":"  "}`: "it names no scope",
	} {
		env := newEnv(t, simToken)
		env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/tokens/self", Body: body})
		res := health(t, env.ds)
		assert.Equal(t, backend.HealthStatusError, res.Status, body)
		assert.Contains(t, res.Message, "Fastly's answer for /tokens/self could not be read: "+want, body)
		assert.Contains(t, string(res.JSONDetails), "not as Fastly's API does", body)
	}
}
