package plugin

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	assert.Equal(t, "count", got.Series[0])
}
