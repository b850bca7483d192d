package plugin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// resourceRoute is one of the editor's lookups.
type resourceRoute struct {
	path   string
	handle http.HandlerFunc
}

// resourceRoutes are the editor's lookups, in the order a 404 lists them.
func (ds *Datasource) resourceRoutes() []resourceRoute {
	return []resourceRoute{
		{"/services", ds.handleServices},
		{"/metrics", ds.handleMetrics},
		{"/pops", ds.handlePOPs},
		{"/regions", ds.handleRegions},
		{"/origins", ds.handleOrigins},
		{"/domains", ds.handleDomains},
		{"/logs-catalog", ds.handleLogsCatalog},
	}
}

// routes serves the editor's lookups. All are GET; anything else is 405, unknown paths 404
// with the list of those that exist, and every answer, error or not, is JSON.
func (ds *Datasource) routes() http.Handler {
	mux := http.NewServeMux()
	var paths []string
	for _, r := range ds.resourceRoutes() {
		mux.HandleFunc(r.path, ds.getOnly(r.handle))
		paths = append(paths, r.path)
	}
	known := models.HumanList(paths, "or")
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no resource %q: use %s", safetext.Clip(r.URL.Path, 64), known))
	})
	return mux
}

func (ds *Datasource) getOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			w.Header().Set("Allow", http.MethodGet)
			writeError(w, http.StatusMethodNotAllowed, r.Method+" is not supported: resources are read with GET")
			return
		}
		h(w, r)
	}
}

// handleServices lists services for the picker, filtered by ?query= on name or id.
func (ds *Datasource) handleServices(w http.ResponseWriter, r *http.Request) {
	if !ds.readyForResource(w) {
		return
	}
	services, err := ds.client.Services(r.Context())
	if err != nil {
		ds.writeFailure(w, err)
		return
	}
	needle := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("query")))
	out := make([]fastly.Service, 0, len(services)) // never null, even for no services
	for _, s := range services {
		if needle == "" || strings.Contains(strings.ToLower(s.Name), needle) || strings.Contains(strings.ToLower(s.ID), needle) {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	writeJSON(w, http.StatusOK, out)
}

// handleMetrics lists the catalog, for one query type or all of them. It needs no token.
func (ds *Datasource) handleMetrics(w http.ResponseWriter, r *http.Request) {
	qt := r.URL.Query().Get("queryType")
	if qt == "" {
		writeJSON(w, http.StatusOK, catalog.All())
		return
	}
	t, ok := lookupType(qt)
	if !ok || t.MetricFamily == "" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown queryType %q: use %s", safetext.Clip(qt, 64), models.HumanList(metricTypeNames(), "or")))
		return
	}
	writeJSON(w, http.StatusOK, t.metricList())
}

func (ds *Datasource) handlePOPs(w http.ResponseWriter, r *http.Request) {
	if !ds.readyForResource(w) {
		return
	}
	pops, err := ds.client.POPs(r.Context())
	if err != nil {
		ds.writeFailure(w, err)
		return
	}
	writeJSON(w, http.StatusOK, pops)
}

func (ds *Datasource) handleRegions(w http.ResponseWriter, r *http.Request) {
	if !ds.readyForResource(w) {
		return
	}
	regions, err := ds.client.Regions(r.Context())
	if err != nil {
		ds.writeFailure(w, err)
		return
	}
	writeJSON(w, http.StatusOK, regions)
}

func (ds *Datasource) readyForResource(w http.ResponseWriter) bool {
	if err := ds.ready(); err != nil {
		ds.writeFailure(w, err)
		return false
	}
	return true
}

// writeFailure answers with the HTTP status matching the error's cause.
func (ds *Datasource) writeFailure(w http.ResponseWriter, err error) {
	status, _ := classify(err)
	writeError(w, int(status), ds.redact(err.Error()))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		backend.Logger.Error("encoding a resource answer failed", "error", err)
		status, body = http.StatusInternalServerError, []byte(`{"error":"the plugin could not encode its answer"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
