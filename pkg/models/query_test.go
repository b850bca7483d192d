package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseQueryDefaults(t *testing.T) {
	q, err := ParseQuery([]byte(`{"refId":"A","services":["SU1Z0isxPaozGVKXdv0eY"]}`))
	require.NoError(t, err)
	assert.Equal(t, QueryTypeStats, q.QueryType)
	assert.Equal(t, ResolutionAuto, q.Resolution)
	assert.Equal(t, []string{"requests"}, q.Metrics)
	assert.Equal(t, "", q.GroupBy)
	assert.False(t, q.AllServices())
}

func TestParseQueryFoldsLegacyFieldsAndCleansLists(t *testing.T) {
	q, err := ParseQuery([]byte(`{"service":"abc123","metric":"hits","pops":[" LHR","","LHR","JFK"]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"abc123"}, q.Services)
	assert.Equal(t, []string{"hits"}, q.Metrics)
	assert.Equal(t, []string{"LHR", "JFK"}, q.Pops)
}

func TestParseQueryAllServices(t *testing.T) {
	q, err := ParseQuery([]byte(`{"services":["*"],"metrics":["requests","hit_ratio"],"groupBy":"service"}`))
	require.NoError(t, err)
	assert.True(t, q.AllServices())
	assert.Equal(t, []string{"requests", "hit_ratio"}, q.Metrics)
}

func TestParseQueryErrors(t *testing.T) {
	for name, tc := range map[string]struct{ json, want string }{
		"bad json":       {`{"services":`, "not valid JSON"},
		"unknown type":   {`{"queryType":"traces","services":["a"]}`, `unknown query type "traces"`},
		"bad resolution": {`{"resolution":"second","services":["a"]}`, `unknown resolution "second"`},
		"bad group by":   {`{"groupBy":"pop","services":["a"]}`, `a stats query cannot be grouped by "pop": use one of "service"`},
		"no service":     {`{"metrics":["requests"]}`, "no service selected"},
		"star and list":  {`{"services":["*","abc"]}`, "either All services or a list"},
		"unexpanded var": {`{"services":["$service"]}`, `"$service" is not a Fastly service id`},
		"path injection": {`{"services":["abc/../x"]}`, "is not a Fastly service id"},
		"unknown format": {`{"queryType":"realtime","format":"geojson","services":["a"]}`, `unknown format "geojson"`},
		"stats pop map":  {`{"format":"popmap","services":["a"]}`, "historical stats from Fastly are not split by POP"},
		"usage pop map":  {`{"queryType":"usage","format":"popmap"}`, "a usage query cannot draw a POP map"},
		"pop map by svc": {`{"queryType":"origins","format":"popmap","groupBy":"service","services":["a"]}`, `cannot be grouped by "service"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseQuery([]byte(tc.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseQueryEventsNeedNoService(t *testing.T) {
	q, err := ParseQuery([]byte(`{"queryType":"events","eventTypes":["version.activate"]}`))
	require.NoError(t, err)
	assert.Empty(t, q.Services)
	assert.Empty(t, q.Metrics)
}

func TestParseQueryPOPMapGroupsByPOP(t *testing.T) {
	for _, qt := range []string{QueryTypeRealtime, QueryTypeOrigins, QueryTypeDomains} {
		q, err := ParseQuery([]byte(`{"queryType":"` + qt + `","format":" popmap ","services":["a"]}`))
		require.NoError(t, err, qt)
		assert.Equal(t, FormatPOPMap, q.Format)
		assert.Equal(t, "pop", q.GroupBy, "a map needs one series per POP")
	}
}
