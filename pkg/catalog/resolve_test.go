package catalog

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func names(ms []Metric) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Name)
	}
	return out
}

func TestResolveKeepsOrderAndDropsRepeats(t *testing.T) {
	ms, err := Resolve([]string{"hit_ratio", " requests ", "status_5xx", "hit_ratio"}, KindRealtime)
	require.NoError(t, err)
	assert.Equal(t, []string{"hit_ratio", "requests", "status_5xx"}, names(ms))
	assert.Equal(t, UnitPercentUnit, ms[0].Unit)
}

func TestResolveNamesEveryUnknownMetricWithHints(t *testing.T) {
	_, err := Resolve([]string{"reqests", "requests", "hit_ration", "zzzzzzzz"}, KindHistorical)
	require.Error(t, err)
	assert.Equal(t,
		`Historical stats metrics: unknown metric "reqests" (did you mean requests?); `+
			`unknown metric "hit_ration" (did you mean hit_ratio?); `+
			`unknown metric "zzzzzzzz"`,
		err.Error())
}

func TestResolveSaysWhereAWrongKindMetricExists(t *testing.T) {
	_, err := Resolve([]string{"latency_0_to_1ms", "miss_latency_p95", "pipe"}, KindRealtime)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `"latency_0_to_1ms" is not available in Real-time queries, only in Origin Inspector`)
	assert.Contains(t, msg, `"pipe" is not available in Real-time queries, only in Historical stats`)
	assert.NotContains(t, msg, `"miss_latency_p95"`, "a valid name is not reported")

	_, err = Resolve([]string{"miss_latency_p95", "edge_hit_ratio"}, KindHistorical)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"miss_latency_p95" is not available in Historical stats queries, only in Real-time (did you mean `)
	assert.Contains(t, err.Error(), `"edge_hit_ratio" is not available in Historical stats queries, only in Domain Inspector (did you mean `)
	assert.Contains(t, err.Error(), "hit_ratio", "the historical look-alike is suggested")
}

func TestResolveRefusesKeysInputsAndBlanks(t *testing.T) {
	_, err := Resolve([]string{"miss_histogram", "start_time", ""}, KindRealtime)
	require.Error(t, err)
	assert.Equal(t,
		`Real-time metrics: "miss_histogram" is a raw histogram and cannot be plotted (use miss_latency_p50, miss_latency_p95, miss_latency_p99); `+
			`"start_time" is a record key, not a metric; an empty metric name`,
		err.Error())

	_, err = Resolve([]string{"requests"}, Kind("stats"))
	assert.EqualError(t, err, `unknown query kind "stats": use one of historical, realtime, origins, domains`)
}

func TestSuggest(t *testing.T) {
	assert.Equal(t, []string{"status_5xx"}, Suggest("status_5XX", KindRealtime, 1))
	assert.Contains(t, Suggest("offload", KindDomains, 3), "origin_offload")
	assert.Empty(t, Suggest("", KindRealtime, 3))
	for _, s := range Suggest("latency", KindHistorical, 5) {
		assert.True(t, mustLookup(t, s).Has(KindHistorical), "only names valid for the kind: %s", s)
	}
}

// TestResolveBoundsLongAndManyNames: the 1 MB name took 21 s and made a 1.18 MB error;
// now it is quoted clipped, gets no suggestion (no comparison is made), and a long list of
// bad names is summarised.
func TestResolveBoundsLongAndManyNames(t *testing.T) {
	long := "requests" + strings.Repeat("x", 1<<20)
	_, err := Resolve([]string{long}, KindHistorical)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 200)
	assert.Contains(t, err.Error(), `unknown metric "requestsxxx`)
	assert.Nil(t, Suggest(long, KindHistorical, 3))
	assert.Equal(t, []string{"requests"}, Suggest("reqests", KindHistorical, 1), "short names still get hints")

	var many []string
	for i := 0; i < 40; i++ {
		many = append(many, fmt.Sprintf("nope%d", i))
	}
	_, err = Resolve(many, KindRealtime)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown metric "nope9"; and 30 more`)
	assert.NotContains(t, err.Error(), "nope10")
}
