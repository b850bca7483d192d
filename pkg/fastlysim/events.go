package fastlysim

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Audit events (GET /events, JSON:API) and product enablement. Events are deterministic:
// each service with traffic activates a new version every few days (which the dashboards
// annotate), purges everything some days, and occasionally deactivates a version.

const eventHistory = 90 // days of events the simulator generates

type event struct {
	id, service, typ, desc string
	at                     time.Time
	meta                   map[string]any
}

// events returns every event up to now, newest first.
func (s *Server) events(now time.Time) []event {
	var out []event
	today := now.Truncate(24 * time.Hour)
	for _, sv := range s.services {
		if sv.prof.peakRPS == 0 {
			continue
		}
		var acts []event
		for d := 0; d <= eventHistory; d++ {
			day := today.AddDate(0, 0, -d)
			at := func(kind uint64) time.Time {
				hs := hash(sv.seed, uint64(day.Unix()), kind)
				return day.Add(time.Duration(8+hs%10)*time.Hour + time.Duration(hs/10%3600)*time.Second)
			}
			mk := func(kind uint64, typ, desc string) event {
				return event{id: genID(fmt.Sprintf("%s-%d-%d", sv.ID, day.Unix(), kind)), service: sv.ID, typ: typ, desc: desc, at: at(kind)}
			}
			if unit(hash(sv.seed, uint64(day.Unix()), 1)) < 0.35 {
				acts = append(acts, mk(1, "version.activate", ""))
			}
			if unit(hash(sv.seed, uint64(day.Unix()), 2)) < 0.2 {
				e := mk(2, "service.purge_all", "Purged all content")
				e.meta = map[string]any{}
				out = append(out, e)
			}
			if unit(hash(sv.seed, uint64(day.Unix()), 3)) < 0.05 {
				acts = append(acts, mk(3, "version.deactivate", ""))
			}
		}
		sort.Slice(acts, func(i, j int) bool { return acts[i].at.After(acts[j].at) })
		v := sv.Version
		for i := range acts { // number versions down from the active one, newest first
			if acts[i].at.After(now) {
				continue
			}
			if acts[i].typ == "version.activate" {
				acts[i].desc = fmt.Sprintf("Version %d was activated", v)
				acts[i].meta = map[string]any{"version": v}
				v = max(v-1, 1)
			} else {
				acts[i].desc = fmt.Sprintf("Version %d was deactivated", v)
				acts[i].meta = map[string]any{"version": v}
			}
		}
		out = append(out, acts...)
	}
	kept := out[:0]
	for _, e := range out {
		if !e.at.After(now) {
			kept = append(kept, e)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool {
		if !kept[i].at.Equal(kept[j].at) {
			return kept[i].at.After(kept[j].at)
		}
		return kept[i].id < kept[j].id
	})
	return kept
}

func parseEventTime(v string) (time.Time, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Parse(time.RFC3339, v)
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	bad := func(msg string) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errors": []any{map[string]any{"title": "Bad request", "detail": msg}}})
	}
	page, size := atoiDefault(q.Get("page[number]"), 1), atoiDefault(q.Get("page[size]"), 20)
	if page < 1 || size < 1 || size > 100 {
		bad("page[number] must be >= 1 and page[size] between 1 and 100")
		return
	}
	var gte, lte time.Time
	var err error
	if v := q.Get("filter[created_at][gte]"); v != "" {
		if gte, err = parseEventTime(v); err != nil {
			bad("invalid filter[created_at][gte]")
			return
		}
	}
	if v := q.Get("filter[created_at][lte]"); v != "" {
		if lte, err = parseEventTime(v); err != nil {
			bad("invalid filter[created_at][lte]")
			return
		}
	}
	services := splitSet(q.Get("filter[service_id]"))
	types := splitSet(q.Get("filter[event_type]"))
	var match []event
	for _, e := range s.events(s.now().UTC()) {
		if (services != nil && !services[e.service]) || (types != nil && !types[e.typ]) ||
			(!gte.IsZero() && e.at.Before(gte)) || (!lte.IsZero() && e.at.After(lte)) {
			continue
		}
		match = append(match, e)
	}
	if q.Get("sort") == "created_at" {
		for i, j := 0, len(match)-1; i < j; i, j = i+1, j-1 {
			match[i], match[j] = match[j], match[i]
		}
	}
	total := max((len(match)+size-1)/size, 1)
	data := []any{}
	for i := (page - 1) * size; i < page*size && i < len(match); i++ {
		e := match[i]
		data = append(data, map[string]any{"id": e.id, "type": "event", "attributes": map[string]any{
			"customer_id": customerID, "description": e.desc, "event_type": e.typ, "ip": "192.0.2.10",
			"metadata": e.meta, "service_id": e.service, "user_id": "usr0sim0000000000000001",
			"created_at": e.at.Format(time.RFC3339), "admin": false,
		}})
	}
	link := func(n int) string { return pageURL(r, "page[number]", n, "page[size]", size) }
	links := map[string]any{"last": link(total)}
	if page < total {
		links["next"] = link(page + 1)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"data":  data,
		"links": links,
		"meta":  map[string]any{"record_count": len(match), "current_page": page, "total_pages": total, "per_page": size},
	})
}

func splitSet(v string) map[string]bool {
	if v == "" {
		return nil
	}
	m := map[string]bool{}
	for _, x := range strings.Split(v, ",") {
		m[strings.TrimSpace(x)] = true
	}
	return m
}

// inspectorEnabled reports whether Origin/Domain Inspector is on for a service: only the busy
// shop and API services pay for them.
func inspectorEnabled(id string) bool {
	return id == ShopServiceID || id == APIServiceID || id == SparseServiceID
}

func noProduct(w http.ResponseWriter) {
	writeRaw(w, http.StatusBadRequest, "application/problem+json",
		[]byte(`{"type":"","title":"no product on service","status":400,"errors":null,"detail":""}`))
}

func (s *Server) handleEnabledProduct(w http.ResponseWriter, r *http.Request) {
	product, id := r.PathValue("product"), r.PathValue("id")
	if s.service(w, id) == nil {
		return
	}
	inspector := (product == "origin_inspector" || product == "domain_inspector") && inspectorEnabled(id)
	if !inspector && !(product == "log_explorer_insights" && logProductEnabled(id)) {
		noProduct(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"product": map[string]any{"id": product, "object": "product"},
		"service": map[string]any{"id": id, "object": "service"},
		"_links":  map[string]any{"self": "/enabled-products/v1/" + product + "/services/" + id},
	})
}
