package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func TestRunPrintsURLAndServes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"-addr", "127.0.0.1:0", "-token", "t0ken"}, pw)
		pw.Close()
		done <- err
	}()
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	base := lines.Text()
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)
	go func() { _, _ = io.Copy(io.Discard, pr) }() // drain the service listing

	req, err := http.NewRequest(http.MethodGet, base+"/tokens/self", nil)
	require.NoError(t, err)
	req.Header.Set("Fastly-Key", "t0ken")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var tok map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&tok))
	res.Body.Close()
	assert.Equal(t, "global:read", tok["scope"])

	req.Header.Set("Fastly-Key", "sim-token")
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode, "only the configured token is accepted")

	cancel()
	assert.NoError(t, <-done)
}

// startSim runs the command with args and returns its base URL; the simulator stops with the test.
func startSim(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), pw)
		pw.Close()
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	lines := bufio.NewScanner(pr)
	require.True(t, lines.Scan())
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	return lines.Text()
}

// lastHourRequests reads the shop's request count over the last hour from /stats.
func lastHourRequests(t *testing.T, base string) int {
	t.Helper()
	return shopRequests(t, base, "from=1%20hour%20ago&to=now")
}

// settledHourRequests reads the shop's requests in the hour from `from`, an hour long settled,
// so two calls agree whenever they run; params adds filters.
func settledHourRequests(t *testing.T, base string, from time.Time, params string) int {
	t.Helper()
	return shopRequests(t, base, fmt.Sprintf("from=%d&to=%d%s", from.Unix(), from.Add(time.Hour).Unix(), params))
}

// shopRequests sums the shop's minute requests for a /stats query string.
func shopRequests(t *testing.T, base, query string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/stats/service/"+fastlysim.ShopServiceID+"?by=minute&"+query, nil)
	require.NoError(t, err)
	req.Header.Set("Fastly-Key", "sim-token")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	var body struct {
		Data []struct {
			Requests int `json:"requests"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
	n := 0
	for _, r := range body.Data {
		n += r.Requests
	}
	return n
}

func TestIncidentFlagPlaysAScenario(t *testing.T) {
	assert.Positive(t, lastHourRequests(t, startSim(t)), "the shop is busy every hour of the week")
	assert.Zero(t, lastHourRequests(t, startSim(t, "-incident", fastlysim.ShopServiceID+"=traffic-stopped")))
}

func TestIncidentFlagRefusesBadValues(t *testing.T) {
	for arg, want := range map[string]string{
		"error-storm":                       "write SERVICE_ID=SCENARIO",
		fastlysim.ShopServiceID + "=meteor": `unknown scenario "meteor"`,
		"nope=error-storm":                  `no simulated service "nope"`,
	} {
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-incident", arg}, io.Discard)
		require.Error(t, err, arg)
		assert.Contains(t, err.Error(), want)
	}
}

func TestDatacenterFilterFlag(t *testing.T) {
	hour := time.Now().Add(-3 * time.Hour).Truncate(time.Hour)
	honoured := startSim(t)
	assert.Less(t, settledHourRequests(t, honoured, hour, "&datacenter=LHR"), settledHourRequests(t, honoured, hour, ""))
	ignored := startSim(t, "-datacenter-filter", "ignored")
	assert.Equal(t, settledHourRequests(t, ignored, hour, ""), settledHourRequests(t, ignored, hour, "&datacenter=LHR"), "every POP gets the total")

	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-datacenter-filter", "sometimes"}, io.Discard)
	assert.ErrorContains(t, err, `unknown datacenter filter "sometimes": use one of honoured, unknown-empty, ignored`)
}
