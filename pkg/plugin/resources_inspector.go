package plugin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// inspectorLookback is how far before the current hour the origin and domain pickers look:
// names with traffic in the previous and the current hour are the ones worth picking, in one
// cheap hour-downsampled call. (The current hour alone is empty in its first minutes, before
// Fastly has published any of it.)
const inspectorLookback = time.Hour

// handleOrigins lists the origin hosts of ?service= seen since the start of the previous hour (Origin Inspector),
// as a JSON array of strings, for the query editor's origin picker.
func (ds *Datasource) handleOrigins(w http.ResponseWriter, r *http.Request) {
	ds.handleInspectorNames(w, r, fastly.ProductOriginInspector)
}

// handleDomains lists the domains of ?service= seen since the start of the previous hour (Domain Inspector).
func (ds *Datasource) handleDomains(w http.ResponseWriter, r *http.Request) {
	ds.handleInspectorNames(w, r, fastly.ProductDomainInspector)
}

func (ds *Datasource) handleInspectorNames(w http.ResponseWriter, r *http.Request, p fastly.Product) {
	service := r.URL.Query().Get("service")
	if service == "" {
		writeError(w, http.StatusBadRequest, "missing ?service=: name the Fastly service id to list its "+inspectorNoun(p)+"s")
		return
	}
	if !fastly.ValidID(service) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("%q is not a Fastly service id: ids are letters and digits, like SU1Z0isxPaozGVKXdv0eY", safetext.Clip(service, 64)))
		return
	}
	if !ds.readyForResource(w) {
		return
	}
	if err := ds.client.CheckProduct(r.Context(), p, service); err != nil {
		ds.writeFailure(w, err)
		return
	}
	end := ds.now().UTC().Truncate(time.Minute)
	names, err := ds.client.InspectorNames(r.Context(), p, service, end.Truncate(time.Hour).Add(-inspectorLookback), end)
	if err != nil {
		ds.writeFailure(w, err)
		return
	}
	writeJSON(w, http.StatusOK, names)
}

// inspectorNoun is what an inspector product lists: "origin" or "domain".
func inspectorNoun(p fastly.Product) string {
	if p == fastly.ProductDomainInspector {
		return "domain"
	}
	return "origin"
}
