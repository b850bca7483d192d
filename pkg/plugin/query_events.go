package plugin

import (
	"context"
	"slices"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
)

// defaultEventTypes are what changes traffic: a new configuration going live or being taken
// down, and a purge of everything. A query's eventTypes add to them and its excludeEventTypes
// take from them (see eventTypes). The editor shows them as chosen, from its contract
// (src/queryTypes.generated.json).
var defaultEventTypes = []string{"version.activate", "version.deactivate", "service.purge_all"}

// noEventTypes is the notice of a query that turned every event type off: it shows nothing,
// and says so rather than leave an empty panel unexplained.
var noEventTypes = data.Notice{
	Severity: data.NoticeSeverityInfo,
	Text:     "No event types are chosen, so there are no events to show: choose some in the query editor (Event types), or empty excludeEventTypes for the defaults.",
}

// maxUserLookups bounds the login lookups one annotation query makes; beyond it, ids show.
const maxUserLookups = 20

// queryEvents answers an annotation query: Fastly audit events in the time range, for the
// chosen services (none or "*" means all), as a frame with time, title, text and tags.
func (ds *Datasource) queryEvents(ctx context.Context, pq parsedQuery) backend.DataResponse {
	q := pq.Query
	from, to, _, err := ds.clipToNow(pq.dq.TimeRange)
	if err != nil {
		return ds.errorResponse(err)
	}
	types := eventTypes(q.EventTypes, q.ExcludeEventTypes)
	if len(types) == 0 { // an empty list would ask Fastly for every type
		frame := frames.EventsFrame(nil, frames.EventsRequest{})
		frame.AppendNotices(noEventTypes)
		return backend.DataResponse{Frames: data.Frames{frame}}
	}
	var services []string
	if !q.AllServices() {
		services = q.Services
	}
	res, err := ds.client.Events(ctx, fastly.EventsQuery{
		Types: types, Services: services, From: from, To: to,
	})
	if err != nil {
		return ds.errorResponse(err)
	}
	frame := frames.EventsFrame(res.Events, frames.EventsRequest{
		ServiceNames: ds.serviceNames(ctx),
		UserLogins:   ds.userLogins(ctx, res.Events),
		Truncated:    res.Truncated,
	})
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// eventTypes is what a query shows: the defaults and the types it adds, less the ones it
// turns off (which wins when a type is in both).
func eventTypes(add, exclude []string) []string {
	var out []string
	for _, t := range appendNew(append([]string(nil), defaultEventTypes...), add...) {
		if !slices.Contains(exclude, t) {
			out = append(out, t)
		}
	}
	return out
}

// userLogins looks up who made the events, best effort and in parallel.
func (ds *Datasource) userLogins(ctx context.Context, events []fastly.Event) map[string]string {
	var ids []string
	seen := map[string]bool{}
	for _, e := range events {
		if e.UserID != "" && !e.Admin && !seen[e.UserID] && len(ids) < maxUserLookups {
			seen[e.UserID] = true
			ids = append(ids, e.UserID)
		}
	}
	out := make(map[string]string, len(ids))
	var mu sync.Mutex
	parallel(len(ids), func(i int) {
		if login := ds.client.UserLogin(ctx, ids[i]); login != "" {
			mu.Lock()
			out[ids[i]] = login
			mu.Unlock()
		}
	})
	return out
}
