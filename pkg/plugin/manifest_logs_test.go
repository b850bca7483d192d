package plugin

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Grafana offers a data source in Explore's logs mode and the Logs panel only when its
// manifest says logs: true; the logs query type needs it.
func TestManifestDeclaresLogs(t *testing.T) {
	raw, err := os.ReadFile("../../plugin.json")
	require.NoError(t, err)
	var manifest struct {
		ID   string `json:"id"`
		Logs bool   `json:"logs"`
	}
	require.NoError(t, json.Unmarshal(raw, &manifest))
	assert.Equal(t, PluginID, manifest.ID)
	assert.True(t, manifest.Logs)
}
