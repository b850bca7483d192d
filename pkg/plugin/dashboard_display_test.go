package plugin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// displayedPanel is the part of a panel that decides how it looks: title, colours, cell types.
type displayedPanel struct {
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
	Panels []displayedPanel `json:"panels"`
}

// TestProvisionedPanelsDoNotTurnRedOnNormalTraffic: a stat panel coloured by thresholds that
// sets none gets Grafana's default ones (red from 80), so 1,300 requests per second would show
// red. And a gauge cell type in a table's defaults draws a gauge in the text columns too: it
// belongs in an override on the number column.
func TestProvisionedPanelsDoNotTurnRedOnNormalTraffic(t *testing.T) {
	for file, panels := range displayedPanels(t) {
		for _, p := range panels {
			if p.Type != "stat" && p.Type != "table" {
				continue
			}
			dflt := p.FieldConfig.Defaults
			byThresholds := dflt.Color == nil || dflt.Color.Mode == "thresholds"
			assert.False(t, p.Type == "stat" && byThresholds && dflt.Thresholds == nil,
				"%s: %q is coloured by Grafana's default thresholds (red from 80): set thresholds or a fixed colour",
				file, p.Title)
			assert.NotEqual(t, "gauge", dflt.Custom.CellOptions.Type,
				"%s: %q draws every column as a gauge: set the gauge on the number column by an override",
				file, p.Title)
		}
	}
}

// TestProvisionedPanelTitlesNameTheServiceByName: $service in a title is the variable's value,
// the service id; ${service:text} is the name people know.
func TestProvisionedPanelTitlesNameTheServiceByName(t *testing.T) {
	for file, panels := range displayedPanels(t) {
		for _, p := range panels {
			withoutName := strings.ReplaceAll(p.Title, "${service:text}", "")
			for _, byValue := range []string{"$service", "${service}"} {
				assert.NotContains(t, withoutName, byValue, "%s: %q shows the service id: write ${service:text}", file, p.Title)
			}
		}
	}
}

// displayedPanels reads every provisioned dashboard's panels, rows' own panels included.
func displayedPanels(t *testing.T) map[string][]displayedPanel {
	t.Helper()
	files, err := filepath.Glob("../../provisioning/dashboards/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string][]displayedPanel{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		var d struct {
			Panels []displayedPanel `json:"panels"`
		}
		require.NoError(t, json.Unmarshal(raw, &d), file)
		for _, p := range d.Panels {
			out[filepath.Base(file)] = append(out[filepath.Base(file)], p)
			out[filepath.Base(file)] = append(out[filepath.Base(file)], p.Panels...)
		}
	}
	return out
}
