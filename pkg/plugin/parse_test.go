package plugin

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// parseJSON parses a query's JSON as QueryData does, through the registry.
func parseJSON(raw []byte) (models.Query, error) {
	_, q, err := parseQuery(backend.DataQuery{JSON: raw})
	return q, err
}

func TestParseQueryDefaults(t *testing.T) {
	q, err := parseJSON([]byte(`{"refId":"A","services":["SU1Z0isxPaozGVKXdv0eY"]}`))
	require.NoError(t, err)
	assert.Equal(t, models.QueryTypeStats, q.QueryType)
	assert.Equal(t, models.ResolutionAuto, q.Resolution)
	assert.Equal(t, []string{"all_requests"}, q.Metrics)
	assert.Equal(t, "", q.GroupBy)
	assert.False(t, q.AllServices())
}

func TestParseQueryFoldsLegacyFieldsAndCleansLists(t *testing.T) {
	q, err := parseJSON([]byte(`{"service":"abc123","metric":"hits","pops":[" LHR","","LHR","JFK"]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"abc123"}, q.Services)
	assert.Equal(t, []string{"hits"}, q.Metrics)
	assert.Equal(t, []string{"LHR", "JFK"}, q.Pops)
}

func TestParseQueryAllServices(t *testing.T) {
	q, err := parseJSON([]byte(`{"services":["*"],"metrics":["requests","hit_ratio"],"groupBy":"service"}`))
	require.NoError(t, err)
	assert.True(t, q.AllServices())
	assert.Equal(t, []string{"requests", "hit_ratio"}, q.Metrics)
}

func TestParseQueryErrors(t *testing.T) {
	for name, tc := range map[string]struct{ json, want string }{
		"bad json":         {`{"services":`, "not valid JSON"},
		"unknown type":     {`{"queryType":"traces","services":["a"]}`, `unknown query type "traces"`},
		"bad resolution":   {`{"resolution":"second","services":["a"]}`, `unknown resolution "second"`},
		"bad group by":     {`{"groupBy":"region","services":["a"]}`, `a stats query cannot be grouped by "region": use one of "service"`},
		"stats by pop":     {`{"groupBy":"pop","services":["a"]}`, `historical stats are split by POP only for a POP map`},
		"no service":       {`{"metrics":["requests"]}`, "no service selected"},
		"star and list":    {`{"services":["*","abc"]}`, "either All services or a list"},
		"unexpanded var":   {`{"services":["$service"]}`, `"$service" is not a Fastly service id`},
		"path injection":   {`{"services":["abc/../x"]}`, "is not a Fastly service id"},
		"unknown format":   {`{"queryType":"realtime","format":"geojson","services":["a"]}`, `unknown format "geojson"`},
		"stats map top":    {`{"format":"popmap","top":5,"services":["*"]}`, "a POP map has one row per POP, not a top list"},
		"stats map by svc": {`{"format":"popmap","groupBy":"service","services":["a"]}`, `cannot be grouped by "service"`},
		"usage pop map":    {`{"queryType":"usage","format":"popmap"}`, "a usage query cannot draw a POP map"},
		"pop map by svc":   {`{"queryType":"origins","format":"popmap","groupBy":"service","services":["a"]}`, `cannot be grouped by "service"`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseJSON([]byte(tc.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseQueryEventsNeedNoService(t *testing.T) {
	q, err := parseJSON([]byte(`{"queryType":"events","eventTypes":["version.activate"]}`))
	require.NoError(t, err)
	assert.Empty(t, q.Services)
	assert.Empty(t, q.Metrics)
}

func TestParseQueryPOPMapGroupsByPOP(t *testing.T) {
	for _, qt := range []string{models.QueryTypeStats, models.QueryTypeRealtime, models.QueryTypeOrigins, models.QueryTypeDomains} {
		q, err := parseJSON([]byte(`{"queryType":"` + qt + `","format":" popmap ","services":["a"]}`))
		require.NoError(t, err, qt)
		assert.Equal(t, models.FormatPOPMap, q.Format)
		assert.Equal(t, "pop", q.GroupBy, "a map needs one series per POP")
	}
}

func TestParseQueryObservabilityDefaults(t *testing.T) {
	q, err := parseJSON([]byte(`{"queryType":"insights","services":["svc1"]}`))
	require.NoError(t, err)
	assert.Equal(t, "top-url-by-requests", q.Insight)
	assert.Equal(t, 10, q.Limit)

	q, err = parseJSON([]byte(`{"queryType":"logs","services":["svc1"],"filters":[{"field":"response_status","op":"gte","value":"500"}]}`))
	require.NoError(t, err)
	assert.Equal(t, 100, q.Limit)
	assert.Equal(t, []fastly.LogFilter{{Field: "response_status", Op: "gte", Value: "500"}}, q.Filters)

	q, err = parseJSON([]byte(`{"queryType":"logseries","services":["svc1"],"dimension":"request_path"}`))
	require.NoError(t, err)
	assert.Equal(t, "avg[response_time]", q.Series, "a series function Fastly's reference shows")
	assert.Equal(t, 10, q.Limit)

	q, err = parseJSON([]byte(`{"queryType":"stats","services":["svc1"]}`))
	require.NoError(t, err)
	assert.Zero(t, q.ObservabilityFields, "other query types carry none of these fields")
}

func TestParseQueryObservabilityErrors(t *testing.T) {
	for name, tc := range map[string]struct{ json, want string }{
		"unknown ranking":   {`{"queryType":"insights","services":["s"],"insight":"top-pages"}`, `unknown Log Insights ranking "top-pages": use one of top-url-by-requests, top-url-by-bandwidth`},
		"insights limit":    {`{"queryType":"insights","services":["s"],"limit":101}`, "between 1 and 100, not 101"},
		"all services":      {`{"queryType":"logs","services":["*"]}`, "pick exactly one service"},
		"two services":      {`{"queryType":"insights","services":["a","b"]}`, "pick exactly one service"},
		"insights filters":  {`{"queryType":"insights","services":["s"],"filters":[{"field":"fastly_pop","op":"eq","value":"LHR"}]}`, "not filters"},
		"logs pops":         {`{"queryType":"logs","services":["s"],"pops":["LHR"]}`, "not the pops or domain fields"},
		"bad operator":      {`{"queryType":"logs","services":["s"],"filters":[{"field":"response_status","op":"~","value":"5"}]}`, `unknown filter operator "~"`},
		"log lines":         {`{"queryType":"logs","services":["s"],"limit":6000}`, "between 1 and 5000"},
		"bad series":        {`{"queryType":"logseries","services":["s"],"series":"sum[response_time]"}`, `unknown log series "sum[response_time]"`},
		"bad dimension":     {`{"queryType":"logseries","services":["s"],"dimension":"client_ip"}`, `cannot split log series by "client_ip"`},
		"series limit":      {`{"queryType":"logseries","services":["s"],"limit":-1}`, "between 1 and 100"},
		"negative in stats": {`{"queryType":"insights","services":["s"],"limit":-5}`, "not -5"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseJSON([]byte(tc.json))
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
