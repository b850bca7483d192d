package plugin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// echoingBody is an upstream error that repeats the token, raw and JSON-escaped, at the end of
// a long message, where clipping would keep only its start if redaction came second.
var echoingBody = `{"msg":"` + strings.Repeat("x", 280) + ` key ` + simToken + `","detail":"` + simToken + `"}`

// TestNoQueryErrorOrResourceCarriesTheToken: every query type, the health check and the
// services resource, when Fastly echoes the token.
func TestNoQueryErrorOrResourceCarriesTheToken(t *testing.T) {
	env := newEnv(t, simToken)
	env.sim.InjectFault(fastlysim.Fault{PathPrefix: "/", Status: http.StatusBadRequest, Body: echoingBody})
	prefix := simToken[:8]
	for name, q := range everyQueryType {
		r := env.query(t, everyQueryTypeFrom, simNow, q).Responses["A"]
		require.Error(t, r.Error, name)
		assert.NotContains(t, r.Error.Error(), prefix, name)
		assert.Contains(t, r.Error.Error(), " key [redacted]", name)
	}
	res, err := env.ds.CheckHealth(t.Context(), &backend.CheckHealthRequest{})
	require.NoError(t, err)
	assert.NotContains(t, res.Message+string(res.JSONDetails), prefix)
	_, body := callResource(t, env.ds, http.MethodGet, "services")
	assert.NotContains(t, string(body), prefix)
}

// TestStreamPacketsNeverCarryTheToken: the issue saw an upstream body echoing the token in 4
// of 8 stream packets; now no packet carries it, nor its start.
func TestStreamPacketsNeverCarryTheToken(t *testing.T) {
	e := newLiveEnv(t, simToken)
	sender := newPacketSender()
	stop, _ := runStream(e.ds, "rt/"+fastlysim.StaticServiceID+"/m=requests", sender)
	sender.waitPackets(t, 1)
	e.sim.InjectFault(fastlysim.Fault{PathPrefix: "/v1/channel", Status: http.StatusServiceUnavailable, Body: `{"msg":"bad key ` + simToken + `"}`, Times: 3})
	var notices []string
	for len(notices) < 3 {
		_, _, notices = streamSeconds(t, sender.waitPackets(t, sender.count()+1))
	}
	require.NoError(t, stop())
	sender.mu.Lock()
	defer sender.mu.Unlock()
	for _, raw := range sender.packets {
		assert.NotContains(t, string(raw), simToken[:8])
	}
	assert.Contains(t, strings.Join(notices, " "), "[redacted]", "the notices quoted Fastly's message, redacted")
}
