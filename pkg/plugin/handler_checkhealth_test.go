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
	assert.Contains(t, res.Message, "works. Scope: global:read.")
	assert.Contains(t, res.Message, fmt.Sprintf("It can see %d service(s).", len(env.sim.Services())))
	assert.NotContains(t, res.Message, simToken)
}

func TestHealthExplainsEachFailure(t *testing.T) {
	env := newEnv(t, simToken)

	res := health(t, newTestDatasource(t, env.url, "wrong-token-ABC"))
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, "Fastly rejected the API token (401).", res.Message)
	assert.NotContains(t, string(res.JSONDetails), "wrong-token-ABC")
	// the shape Grafana 12.4 shows: details.message under the verdict, errorDetailsLink as a link
	assert.JSONEq(t, `{"message":"The token is wrong, revoked or expired: create a new one with scope global:read and paste it again.","errorDetailsLink":"`+tokenDocs+`"}`, string(res.JSONDetails))

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
	assert.NotContains(t, string(res.JSONDetails), "errorDetailsLink", "a network failure is not a token problem")
	assert.Contains(t, string(res.JSONDetails), `"message":"Check the API URL, DNS and firewall rules`)

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

// tokenServer answers /tokens/self with the given token and /service with one service.
func tokenServer(t *testing.T, token string) string {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/tokens/self":
			fmt.Fprint(w, token)
		case "/service":
			fmt.Fprint(w, `[{"id":"svcA","name":"www.example.com","type":"vcl"}]`)
		}
	}))
	t.Cleanup(fake.Close)
	return fake.URL
}

func TestHealthFailsATokenThatCannotReadStats(t *testing.T) {
	url := tokenServer(t, `{"id":"tok1","name":"purger","scope":"purge_select","services":["svcA","svcB"],"expires_at":"2030-01-02T03:04:05Z"}`)
	res := health(t, newTestDatasource(t, url, simToken))
	assert.Equal(t, backend.HealthStatusError, res.Status, "not a green tick")
	assert.Equal(t, `The Fastly API token "purger" cannot read stats: its scope is "purge_select".`, res.Message)
	assert.JSONEq(t, `{"message":"Create a token with scope global:read (or global) in the Fastly web interface (Account > API tokens) and paste it into the API token field.","errorDetailsLink":"`+tokenDocs+`"}`, string(res.JSONDetails))
}

func TestHealthFailsAnExpiredToken(t *testing.T) {
	url := tokenServer(t, `{"id":"tok3","name":"old","scope":"global:read","expires_at":"2020-01-02T03:04:05Z"}`)
	res := health(t, newTestDatasource(t, url, simToken))
	assert.Equal(t, backend.HealthStatusError, res.Status)
	assert.Equal(t, `The Fastly API token "old" expired on 2020-01-02 03:04 UTC.`, res.Message)
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
