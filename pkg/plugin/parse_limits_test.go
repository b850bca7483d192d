package plugin

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// manyIDs is n distinct valid service ids.
func manyIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("svc%019d", i)
	}
	return out
}

func TestParseQueryCapsEveryList(t *testing.T) {
	for field, want := range map[string]string{
		"services":   "the query lists 10000 services, more than the 100 allowed: pick fewer, or All services",
		"metrics":    "the query lists 10000 metrics, more than the 50 allowed",
		"pops":       "the query lists 10000 POPs, more than the 150 allowed",
		"origins":    "the query lists 10000 origins, more than the 100 allowed",
		"domains":    "the query lists 10000 domains, more than the 100 allowed",
		"eventTypes": "the query lists 10000 event types, more than the 20 allowed",
	} {
		q := map[string]any{"queryType": "events", field: manyIDs(10000)}
		raw, err := json.Marshal(q)
		require.NoError(t, err)
		_, err = parseJSON(raw)
		require.Error(t, err, field)
		assert.Equal(t, want, err.Error()[:len(want)], field)
	}
	raw, err := json.Marshal(map[string]any{"services": manyIDs(100), "metrics": manyIDs(50)})
	require.NoError(t, err)
	_, err = parseJSON(raw)
	assert.NoError(t, err, "lists at their cap are fine")
}

// TestParseQueryErrorsQuoteNamesClipped: a megabyte-long value is echoed clipped, not whole.
func TestParseQueryErrorsQuoteNamesClipped(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	for _, field := range []string{"queryType", "resolution", "groupBy"} {
		raw, err := json.Marshal(map[string]any{field: long, "services": []string{"abc"}})
		require.NoError(t, err)
		_, err = parseJSON(raw)
		require.Error(t, err, field)
		assert.Less(t, len(err.Error()), 400, field)
	}
	raw, err := json.Marshal(map[string]any{"services": []string{"$" + long}})
	require.NoError(t, err)
	_, err = parseJSON(raw)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 400)
	assert.Contains(t, err.Error(), "is not a Fastly service id")
}
