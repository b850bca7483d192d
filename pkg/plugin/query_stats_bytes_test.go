package plugin

import (
	"context"
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

// dayMinutePanel is the panel of issue 13: one service's requests and hit ratio, by minute,
// over 24 hours, both counting every source.
var dayMinutePanel = map[string]any{
	"queryType": "stats", "services": []string{fastlysim.ShopServiceID},
	"metrics": []string{"all_requests", "hit_ratio"}, "resolution": "minute",
}

// wholeRecordBytes is what fetching [from, to) as whole records of one service would cost,
// asked straight of the simulator a day at a time (the plugin's chunk).
func wholeRecordBytes(t *testing.T, env *testEnv, id string, from, to time.Time) int64 {
	t.Helper()
	env.sim.ResetRequests()
	for start := from; start.Before(to); start = start.Add(24 * time.Hour) {
		end := min(start.Add(24*time.Hour).Unix(), to.Unix())
		u := fmt.Sprintf("%s/stats/service/%s?by=minute&from=%d&to=%d", env.url, id, start.Unix(), end)
		req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
		require.NoError(t, err)
		req.Header.Set("Fastly-Key", simToken)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode)
	}
	return env.sim.BytesServed()
}

func TestTheDayMinutePanelMovesFarFewerBytesThanWholeRecords(t *testing.T) {
	env := newEnv(t, simToken)
	from, to := simNow.Add(-24*time.Hour), simNow
	env.sim.ResetRequests()
	resp := env.query(t, from, to, dayMinutePanel)
	require.NoError(t, resp.Responses["A"].Error)
	require.Len(t, resp.Responses["A"].Frames, 2)
	perField := env.sim.BytesServed()
	var paths []string
	for _, r := range env.sim.Requests() {
		if strings.HasPrefix(r.Path, "/stats") {
			paths = append(paths, r.Path)
		}
	}
	id := fastlysim.ShopServiceID
	var want []string
	for _, f := range []string{"requests", "compute_requests", "all_hit_requests", "all_miss_requests", "hits", "miss"} {
		want = append(want, "/stats/service/"+id+"/field/"+f)
	}
	assert.ElementsMatch(t, want, paths, "all_requests adds requests and compute_requests, hit_ratio reads every source's hits and misses "+
		"(at least the VCL ones); each field has its own call")

	whole := wholeRecordBytes(t, env, id, from.Truncate(time.Minute), to)
	t.Logf("per-field calls: %d bytes; whole records: %d bytes (%.1fx)", perField, whole, float64(whole)/float64(perField))
	assert.Less(t, perField*5, whole, "the per-field plan moves at least five times fewer bytes")
}
