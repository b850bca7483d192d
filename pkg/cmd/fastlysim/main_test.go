package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
