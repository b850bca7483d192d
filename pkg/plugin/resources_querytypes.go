package plugin

import (
	"net/http"

	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// handleQueryTypes tells the editor what the backend knows of each query type, from the
// registry: its catalog kind, product, groupings, defaults and what it can draw. It needs no
// token. src/queryTypes.generated.json is the same answer, checked in for the editor's drift test.
func handleQueryTypes(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, querySpecs())
}

// querySpecs are the registered types' specs, in registry order.
func querySpecs() []models.TypeSpec {
	specs := make([]models.TypeSpec, len(queryTypes))
	for i, t := range queryTypes {
		specs[i] = t.TypeSpec
	}
	return specs
}
