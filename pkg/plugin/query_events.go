package plugin

import (
	"context"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
)

// defaultEventTypes are what changes traffic: a new configuration going live or being taken
// down, and a purge of everything. A query's eventTypes add to them.
var defaultEventTypes = []string{"version.activate", "version.deactivate", "service.purge_all"}

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
	var services []string
	if !q.AllServices() {
		services = q.Services
	}
	res, err := ds.client.Events(ctx, fastly.EventsQuery{
		Types:    appendNew(append([]string(nil), defaultEventTypes...), q.EventTypes...),
		Services: services, From: from, To: to,
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
