package plugin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func TestOriginsAndDomainsRoutesListWhatTheSimulatorServes(t *testing.T) {
	env := newEnv(t, simToken)
	for _, route := range []string{"origins", "domains"} {
		status, body := callResource(t, env.ds, http.MethodGet, route+"?service="+fastlysim.ShopServiceID)
		require.Equal(t, http.StatusOK, status, string(body))
		var names []string
		require.NoError(t, json.Unmarshal(body, &names))
		assert.NotEmpty(t, names, route)
		assert.IsNonDecreasing(t, names, "sorted for the picker")
	}
	var asked []url.Values
	for _, r := range env.sim.Requests() {
		if r.Path == "/metrics/origins/services/"+fastlysim.ShopServiceID {
			v, err := url.ParseQuery(r.RawQuery)
			require.NoError(t, err)
			asked = append(asked, v)
		}
	}
	require.Len(t, asked, 1)
	assert.Equal(t, "host", asked[0].Get("group_by"))
	assert.Equal(t, "hour", asked[0].Get("downsample"))
	start, err := strconv.ParseInt(asked[0].Get("start"), 10, 64)
	require.NoError(t, err)
	end, err := strconv.ParseInt(asked[0].Get("end"), 10, 64)
	require.NoError(t, err)
	assert.Equal(t, int64(3600), end-start, "the last hour")
	assert.Equal(t, simNow.Unix(), end)
}

func TestOriginsAndDomainsRoutesValidate(t *testing.T) {
	env := newEnv(t, simToken)
	for path, tc := range map[string]struct {
		status int
		want   string
	}{
		"origins":                      {400, "missing ?service="},
		"domains?service=":             {400, "missing ?service="},
		"origins?service=abc%2F..%2Fx": {400, `"abc/../x" is not a Fastly service id`},
		"domains?service=" + fastlysim.StaticServiceID: {400, "Domain Inspector is not enabled on Fastly service " + fastlysim.StaticServiceID},
		"origins?service=nosuchservice1":               {404, ""},
	} {
		status, body := callResource(t, env.ds, http.MethodGet, path)
		assert.Equal(t, tc.status, status, "%s: %s", path, body)
		var e map[string]string
		require.NoError(t, json.Unmarshal(body, &e), path)
		assert.Contains(t, e["error"], tc.want, path)
	}
	status, _ := callResource(t, env.ds, http.MethodPost, "origins?service="+fastlysim.ShopServiceID)
	assert.Equal(t, http.StatusMethodNotAllowed, status)

	status, body := callResource(t, env.ds, http.MethodGet, "metrics?queryType=usage")
	require.Equal(t, http.StatusOK, status)
	var metrics []struct{ Name, Unit string }
	require.NoError(t, json.Unmarshal(body, &metrics))
	assert.Equal(t, []struct{ Name, Unit string }{{"bandwidth", "decbytes"}, {"all_requests", "short"}, {"requests", "short"}, {"compute_requests", "short"}}, metrics)
}
