package plugin

import (
	"net/http"

	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// editorRegistry is what the editor reads of the registry: every type's spec, and the limits
// its fields enforce before a query runs, so it never keeps its own copy of a number the
// backend checks.
type editorRegistry struct {
	Types  []models.TypeSpec `json:"types"`
	Limits editorLimits      `json:"limits"`
}

// editorLimits are the backend's bounds the editor also shows.
type editorLimits struct {
	MaxTop          int `json:"maxTop"`          // a stats query's top (models.MaxTop)
	MaxLiveServices int `json:"maxLiveServices"` // services one streaming query may take
}

// handleQueryTypes tells the editor what the backend knows of each query type, from the
// registry: its words, catalog kind, metric family, product, groupings, defaults and what it
// can draw, with the limits. It needs no token. src/queryTypes.generated.json is the same
// answer, checked in for the editor to build on and for its drift test.
func handleQueryTypes(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, registryForEditor())
}

// registryForEditor is the registry as the editor reads it, types in registry order.
func registryForEditor() editorRegistry {
	specs := make([]models.TypeSpec, len(queryTypes))
	for i, t := range queryTypes {
		specs[i] = t.TypeSpec
	}
	return editorRegistry{Types: specs, Limits: editorLimits{MaxTop: models.MaxTop, MaxLiveServices: maxRealtimeServices}}
}

// metricTypeNames are the types whose metrics /metrics lists: those that take metrics.
func metricTypeNames() []string {
	var names []string
	for _, t := range queryTypes {
		if t.MetricFamily != "" {
			names = append(names, t.Name)
		}
	}
	return names
}
