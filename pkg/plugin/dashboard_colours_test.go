package plugin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// colouredPanel is the part of a stat or table panel that decides its colours and cell types.
type colouredPanel struct {
	Type        string `json:"type"`
	Title       string `json:"title"`
	FieldConfig struct {
		Defaults struct {
			Color *struct {
				Mode string `json:"mode"`
			} `json:"color"`
			Thresholds json.RawMessage `json:"thresholds"`
			Custom     struct {
				CellOptions struct {
					Type string `json:"type"`
				} `json:"cellOptions"`
			} `json:"custom"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
	Panels []colouredPanel `json:"panels"`
}

// TestProvisionedPanelsDoNotTurnRedOnNormalTraffic: a stat panel coloured by thresholds that
// sets none gets Grafana's default ones (red from 80), so 1,300 requests per second would show
// red. And a gauge cell type in a table's defaults draws a gauge in the text columns too: it
// belongs in an override on the number column.
func TestProvisionedPanelsDoNotTurnRedOnNormalTraffic(t *testing.T) {
	files, err := filepath.Glob("../../provisioning/dashboards/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var d struct {
			Panels []colouredPanel `json:"panels"`
		}
		require.NoError(t, json.Unmarshal(raw, &d), file)
		for _, p := range d.Panels {
			for _, p := range append([]colouredPanel{p}, p.Panels...) {
				if p.Type != "stat" && p.Type != "table" {
					continue
				}
				dflt := p.FieldConfig.Defaults
				byThresholds := dflt.Color == nil || dflt.Color.Mode == "thresholds"
				assert.False(t, p.Type == "stat" && byThresholds && dflt.Thresholds == nil,
					"%s: %q is coloured by Grafana's default thresholds (red from 80): set thresholds or a fixed colour",
					filepath.Base(file), p.Title)
				assert.NotEqual(t, "gauge", dflt.Custom.CellOptions.Type,
					"%s: %q draws every column as a gauge: set the gauge on the number column by an override",
					filepath.Base(file), p.Title)
			}
		}
	}
}
