package frames

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
)

// legendCase is a row of testdata/legend_cases.json: a legend format, a series' labels and its
// metric's catalog label, and the name they must give.
type legendCase struct {
	Name, Format, Label, Want string
	Labels                    data.Labels
}

// TestLegendCases: every type renders a legend format as the shared table says; the browser's
// renderer (src/legend.test.ts) is held to the same table.
func TestLegendCases(t *testing.T) {
	var table struct{ Cases []legendCase }
	raw, err := os.ReadFile("testdata/legend_cases.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &table))
	require.NotEmpty(t, table.Cases)
	for _, c := range table.Cases {
		for _, l := range []legend{statsLegend, inspectorLegend, realtimeLegend} {
			assert.Equal(t, c.Want, l.name(c.Format, c.Labels, catalog.Metric{Name: c.Labels["metric"], Label: c.Label}), c.Name)
		}
	}
}
