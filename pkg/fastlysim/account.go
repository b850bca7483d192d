package fastlysim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// customerID is the simulated account's id.
const customerID = "4RbtDgT0GoBr7DKXtH2ekq"

// created is a service's creation time: spread over the past years, newest last.
func (s *svcInfo) created(i int) time.Time {
	return time.Date(2021, 3, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(i) * 17 * 24 * time.Hour).Add(time.Duration(s.seed%36000) * time.Second)
}

func (s *Server) versionObj(sv *svcInfo, idx, n int) map[string]any {
	t := sv.created(idx).Add(time.Duration(n-1) * 36 * time.Hour).Format(time.RFC3339)
	return map[string]any{
		"number": n, "active": n == sv.Version, "locked": n <= sv.Version, "deployed": false,
		"staging": false, "testing": false, "comment": "", "service_id": sv.ID,
		"created_at": t, "updated_at": t, "deleted_at": nil,
	}
}

func (s *Server) serviceObj(idx int) map[string]any {
	sv := s.services[idx]
	versions := make([]any, 0, sv.Version)
	for n := 1; n <= sv.Version; n++ {
		versions = append(versions, s.versionObj(sv, idx, n))
	}
	c := sv.created(idx).Format(time.RFC3339)
	return map[string]any{
		"id": sv.ID, "name": sv.Name, "type": sv.Type, "customer_id": customerID, "version": sv.Version,
		"created_at": c, "updated_at": c, "deleted_at": nil, "comment": "", "paused": false, "versions": versions,
	}
}

func (s *Server) handleServiceList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, per := atoiDefault(q.Get("page"), 1), atoiDefault(q.Get("per_page"), s.cfg.PerPage)
	if page < 1 || per < 1 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"msg": "Bad request", "detail": "page and per_page must be positive"})
		return
	}
	if per > 100 {
		per = 100
	}
	last := (len(s.services) + per - 1) / per
	items := []any{}
	for i := (page - 1) * per; i < page*per && i < len(s.services); i++ {
		items = append(items, s.serviceObj(i))
	}
	link := func(p int) string { return "<" + pageURL(r, "page", p, "per_page", per) + ">" }
	var rels []string
	if last > 1 {
		rels = append(rels, link(last)+`; rel="last"`)
	}
	if page < last {
		rels = append(rels, link(page+1)+`; rel="next"`)
	}
	if page > 1 {
		rels = append(rels, link(1)+`; rel="first"`, link(min(page-1, last))+`; rel="prev"`)
	}
	if len(rels) > 0 {
		w.Header().Set("Link", strings.Join(rels, ", "))
	}
	writeJSON(w, http.StatusOK, items)
}

// pageURL is the request's own URL with its paging parameters set to page n of size: Fastly's
// paginated answers link to their other pages this way.
func pageURL(r *http.Request, pageParam string, n int, sizeParam string, size int) string {
	u := url.URL{Scheme: scheme(r), Host: r.Host, Path: r.URL.Path}
	q := r.URL.Query()
	q.Set(pageParam, strconv.Itoa(n))
	q.Set(sizeParam, strconv.Itoa(size))
	u.RawQuery = q.Encode()
	return u.String()
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

func atoiDefault(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func (s *Server) handleServiceSearch(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	for i, sv := range s.services {
		if sv.Name == name {
			writeJSON(w, http.StatusOK, s.serviceObj(i))
			return
		}
	}
	writeJSON(w, http.StatusNotFound, map[string]any{"msg": "Record not found", "detail": fmt.Sprintf("Cannot find service '%s'", name)})
}

func (s *Server) handleServiceDetails(w http.ResponseWriter, r *http.Request) {
	sv := s.service(w, r.PathValue("id"))
	if sv == nil {
		return
	}
	idx := 0
	for i, x := range s.services {
		if x == sv {
			idx = i
		}
	}
	obj := s.serviceObj(idx)
	delete(obj, "paused")
	delete(obj, "version")
	active := s.versionObj(sv, idx, sv.Version)
	for _, k := range []string{"acls", "backends", "cache_settings", "conditions", "dictionaries", "directors",
		"domains", "gzips", "headers", "healthchecks", "request_settings", "response_objects", "snippets", "vcls", "wordpress"} {
		active[k] = []any{}
	}
	active["domains"] = []any{map[string]any{"name": sv.Name, "comment": "", "service_id": sv.ID, "version": sv.Version}}
	active["settings"] = map[string]any{
		"general.default_ttl": 3600, "general.stale_if_error_ttl": 43200, "general.stale_if_error": false,
		"general.default_pci": 0, "general.default_host": "",
	}
	obj["version"] = active
	obj["active_version"] = active
	writeJSON(w, http.StatusOK, obj)
}

// handleDatacenters serves the recorded POP list with what today's API adds to each POP: the
// stats region the region= filter selects it by, and its billing region.
func (s *Server) handleDatacenters(w http.ResponseWriter, r *http.Request) {
	writeRaw(w, http.StatusOK, "application/json", datacentersAnswer)
}

var datacentersAnswer = func() []byte {
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(datacentersJSON, &raw); err != nil {
		panic("fastlysim: embedded datacenters.json: " + err.Error())
	}
	for _, p := range raw {
		var code string
		_ = json.Unmarshal(p["code"], &code)
		region := popByCode[code].Region
		p["stats_region"], _ = json.Marshal(region)
		p["billing_region"], _ = json.Marshal(billingRegions[region])
	}
	b, err := json.Marshal(raw)
	if err != nil {
		panic(err)
	}
	return b
}()

func (s *Server) handleRegions(w http.ResponseWriter, r *http.Request) {
	now := s.now().UTC()
	writeJSON(w, http.StatusOK, map[string]any{
		"data":   Regions,
		"meta":   map[string]any{"from": fmtMeta(now.AddDate(0, -1, 0)), "to": fmtMeta(now), "by": "day", "region": "all"},
		"status": "success",
		"msg":    nil,
	})
}

// fmtMeta formats a time like the stats envelope's meta.from/to ("2024-03-12 15:39:42 UTC").
func fmtMeta(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05") + " UTC" }
