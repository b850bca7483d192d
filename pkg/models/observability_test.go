package models

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

func TestObservabilityDefaults(t *testing.T) {
	q, err := ParseQuery([]byte(`{"queryType":"insights","services":["svc1"]}`))
	require.NoError(t, err)
	assert.Equal(t, "top-url-by-requests", q.Insight)
	assert.Equal(t, 10, q.Limit)

	q, err = ParseQuery([]byte(`{"queryType":"logs","services":["svc1"],"filters":[{"field":"response_status","op":"gte","value":"500"}]}`))
	require.NoError(t, err)
	assert.Equal(t, 100, q.Limit)
	assert.Equal(t, []fastly.LogFilter{{Field: "response_status", Op: "gte", Value: "500"}}, q.Filters)

	q, err = ParseQuery([]byte(`{"queryType":"logseries","services":["svc1"],"dimension":"request_path"}`))
	require.NoError(t, err)
	assert.Equal(t, "count", q.Series)
	assert.Equal(t, 10, q.Limit)

	q, err = ParseQuery([]byte(`{"queryType":"stats","services":["svc1"]}`))
	require.NoError(t, err)
	assert.Zero(t, q.ObservabilityFields, "other query types carry none of these fields")
}

func TestObservabilityErrors(t *testing.T) {
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
			_, err := ParseQuery([]byte(tc.json))
			assert.ErrorContains(t, err, tc.want)
		})
	}
}
