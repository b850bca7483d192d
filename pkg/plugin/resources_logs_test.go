package plugin

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
)

func TestLogsCatalogResource(t *testing.T) {
	env := newEnv(t, simToken)
	status, body := callResource(t, env.ds, http.MethodGet, "logs-catalog")
	require.Equal(t, http.StatusOK, status, string(body))
	var got logsCatalog
	require.NoError(t, json.Unmarshal(body, &got))
	require.Len(t, got.Rankings, 15)
	assert.Equal(t, "top-url-by-requests", got.Rankings[0].Name)
	assert.NotEmpty(t, got.Rankings[0].Description)
	assert.Contains(t, got.FilterFields, "is_cache_hit")
	assert.NotContains(t, got.FilterFields, "fastly_is_cache_hit")
	assert.Equal(t, []string{"eq", "in", "not_in", "ends-with", "gt", "gte", "lt", "lte"}, got.FilterOps)
	assert.Equal(t, "request_path", got.Dimensions[0])
	assert.Equal(t, catalog.DefaultLogSeries, got.Series[0])
	assert.Len(t, got.Series, 6, "avg and p99 of three fields, what Fastly documents")
	for _, s := range got.Series {
		_, _, err := catalog.LogSeries(s)
		assert.NoError(t, err, "the editor offers only series the plugin accepts")
	}
}
