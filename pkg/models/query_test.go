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
