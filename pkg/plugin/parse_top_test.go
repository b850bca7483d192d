package plugin

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTopIsCheckedForStatsQueries(t *testing.T) {
	q, err := parseJSON([]byte(`{"services":["*"],"metrics":["requests"],"top":5}`))
	require.NoError(t, err)
	assert.Equal(t, 5, q.Top)
	_, err = parseJSON([]byte(`{"services":["*"],"top":101}`))
	assert.EqualError(t, err, "top is 101: use 1 to 100 services (0 keeps every service)")
	_, err = parseJSON([]byte(`{"services":["*"],"top":-1}`))
	assert.Error(t, err)
	_, err = parseJSON([]byte(`{"queryType":"realtime","services":["*"],"top":3}`))
	assert.EqualError(t, err, "a realtime query has no top list: remove top from it")
}
