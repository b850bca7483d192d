package plugin

import (
	"net/http"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// logsCatalog is what the editor needs to build insights, logs and logseries queries: the
// rankings with their descriptions, and the fields, operators, dimensions and series Fastly
// accepts. The editor keeps no copy of these lists.
type logsCatalog struct {
	Rankings     []catalog.InsightRanking `json:"rankings"`
	FilterFields []string                 `json:"filterFields"`
	FilterOps    []string                 `json:"filterOps"`
	Dimensions   []string                 `json:"dimensions"`
	Series       []string                 `json:"series"`
}

// handleLogsCatalog serves logsCatalog. It needs no token.
func (ds *Datasource) handleLogsCatalog(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, logsCatalog{
		Rankings:     catalog.InsightRankings(),
		FilterFields: fastly.LogFilterFields(),
		FilterOps:    fastly.LogFilterOps,
		Dimensions:   catalog.LogDimensions,
		Series:       catalog.LogSeriesChoices(),
	})
}
