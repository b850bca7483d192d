package fastlysim

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// LogBehaviour switches what Fastly's Log Explorer & Insights do where the reference is silent
// or reality was seen to differ (docs/fastly-api.md, "Log Insights"). The zero value is Fastly
// as reported.
type LogBehaviour struct {
	StatusDashed         bool // the status dimension is "status-code" as the reference spells it, not "status_code"
	HonourLimit          bool // every ranking honours limit (reported: country-statistics and response-status-codes ignore it)
	ErrorRankingValues   bool // the 4xx/5xx/503 rankings carry values (reported: they carry none)
	RatiosAsPercent      bool // hit ratios, miss and error rates in 0..100 rather than 0..1
	UnixMillisTimestamps bool // log records' timestamp in Unix milliseconds rather than RFC 3339
	CursorAtMetaRoot     bool // the log cursor in meta.next_cursor rather than meta.filters.next_cursor
	MaxPageLimit         int  // the largest log page (0 = 1000); a larger limit is refused with 400
	// FastlyIsFilters takes the boolean filters as fastly_is_cache_hit, fastly_is_edge and
	// fastly_is_shield (go-fastly and Fastly's engineers' notes) and refuses is_cache_hit...
	// (the log field names of Fastly's API reference), rather than the other way round.
	FastlyIsFilters bool
	// DurationSumFails answers top-url-by-duration-sum with 500, as it has been reported to.
	DurationSumFails bool
	// TimeseriesIgnoresServiceFilter makes /observability/timeseries ignore filter[service_id],
	// so its rows count every service of the account.
	TimeseriesIgnoresServiceFilter bool
}

// SetLogBehaviour changes the log endpoints' behaviour for the requests that follow.
func (s *Server) SetLogBehaviour(b LogBehaviour) {
	s.mu.Lock()
	s.logBehaviour = b
	s.mu.Unlock()
}

func (s *Server) logBehaviourNow() LogBehaviour {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logBehaviour
}

func (s *Server) logRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /observability/log-explorer", s.handleLogExplorer)
	m.HandleFunc("GET /observability/log-insights", s.handleLogInsights)
	m.HandleFunc("GET /observability/timeseries", s.handleLogTimeseries)
}

func obsError(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"title": "Bad Request", "status": 400, "detail": msg})
}

// logWindow is a request's service and range, checked; nil after an error was written. null
// reports the "data": null cases: no product on the service, or a start beyond retention.
type logWindow struct {
	sv       *svcInfo
	from, to time.Time
	null     bool
	dataEnd  int64
}

func (s *Server) logWindow(w http.ResponseWriter, q url.Values, startKey, endKey string) *logWindow {
	id := q.Get("service_id")
	if id == "" {
		obsError(w, "service_id is required")
		return nil
	}
	sv := s.byID[id]
	if sv == nil {
		obsError(w, "unknown service_id '"+id+"'")
		return nil
	}
	from, err1 := time.Parse(time.RFC3339, q.Get(startKey))
	to, err2 := time.Parse(time.RFC3339, q.Get(endKey))
	if err1 != nil || err2 != nil || !from.Before(to) {
		obsError(w, startKey+" and "+endKey+" must be RFC 3339 times with "+startKey+" before "+endKey)
		return nil
	}
	now := s.now()
	return &logWindow{
		sv: sv, from: from, to: to, dataEnd: minuteDataEnd(now.Unix()),
		null: !logProductEnabled(id) || now.Sub(from) > 7*24*time.Hour,
	}
}

func (lw *logWindow) records(filters []logFilter) []logRec {
	all := lw.sv.logRecords(lw.sv.prof.pops, lw.from.UnixMilli(), lw.to.UnixMilli(), lw.dataEnd)
	out := all[:0:0]
	for _, r := range all {
		if matchAll(r, filters) {
			out = append(out, r)
		}
	}
	return out
}

// handleLogExplorer serves sampled records newest first, limit per page, with an opaque cursor.
func (s *Server) handleLogExplorer(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	b := s.logBehaviourNow()
	lw := s.logWindow(w, q, "start", "end")
	if lw == nil {
		return
	}
	filters, err := parseLogFilters(q, b.FastlyIsFilters)
	if err != nil {
		obsError(w, err.Error())
		return
	}
	maxPage := b.MaxPageLimit
	if maxPage <= 0 {
		maxPage = 1000
	}
	limit := atoiDefault(q.Get("limit"), 20)
	if limit < 1 || limit > maxPage {
		obsError(w, fmt.Sprintf("limit must be between 1 and %d", maxPage))
		return
	}
	offset := 0
	if c := q.Get("next_cursor"); c != "" {
		raw, err := base64.RawURLEncoding.DecodeString(c)
		n, err2 := strconv.Atoi(strings.TrimPrefix(string(raw), "offset:"))
		if err != nil || err2 != nil || n < 0 {
			obsError(w, "invalid next_cursor")
			return
		}
		offset = n
	}
	filterMeta := map[string]any{
		"service_id": lw.sv.ID, "start": q.Get("start"), "end": q.Get("end"), "limit": limit,
		"next_cursor": "", "field_filters": filtersMeta(filters),
	}
	meta := map[string]any{"filters": filterMeta}
	if lw.null {
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "meta": meta})
		return
	}
	recs := lw.records(filters)
	page := recs[min(offset, len(recs)):min(offset+limit, len(recs))]
	next := ""
	if offset+limit < len(recs) {
		next = base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset+limit)))
	}
	if b.CursorAtMetaRoot {
		meta["next_cursor"] = next
	} else {
		filterMeta["next_cursor"] = next
	}
	data := make([]logRecordJSON, len(page))
	for i, rec := range page {
		data[i] = rec.toJSON(lw.sv, b.UnixMillisTimestamps)
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "meta": meta})
}

// logRecordJSON is a record with Fastly's field names, in the reference's order.
type logRecordJSON struct {
	CustomerID            string  `json:"customer_id"`
	ServiceID             string  `json:"service_id"`
	Timestamp             any     `json:"timestamp"`
	ClientASNumber        int     `json:"client_as_number"`
	ClientRegion          string  `json:"client_region"`
	ClientCountryCode     string  `json:"client_country_code"`
	ClientOSName          string  `json:"client_os_name"`
	ClientDeviceType      string  `json:"client_device_type"`
	ClientBrowserName     string  `json:"client_browser_name"`
	ClientBrowserVersion  string  `json:"client_browser_version"`
	FastlyPOP             string  `json:"fastly_pop"`
	OriginHost            string  `json:"origin_host"`
	RequestProtocol       string  `json:"request_protocol"`
	RequestHost           string  `json:"request_host"`
	RequestPath           string  `json:"request_path"`
	RequestMethod         string  `json:"request_method"`
	ResponseBytesBody     int64   `json:"response_bytes_body"`
	ResponseBytesHeader   int64   `json:"response_bytes_header"`
	ResponseContentLength int64   `json:"response_content_length"`
	ResponseContentType   string  `json:"response_content_type"`
	ResponseReason        string  `json:"response_reason"`
	ResponseState         string  `json:"response_state"`
	ResponseStatus        int     `json:"response_status"`
	ResponseTime          float64 `json:"response_time"`
	ResponseXCache        string  `json:"response_x_cache"`
	IsCacheHit            bool    `json:"is_cache_hit"`
	IsEdge                bool    `json:"is_edge"`
	IsShield              bool    `json:"is_shield"`
}

func (r logRec) toJSON(sv *svcInfo, unixMillis bool) logRecordJSON {
	var ts any = time.UnixMilli(r.ms).UTC().Format("2006-01-02T15:04:05.000Z07:00")
	if unixMillis {
		ts = r.ms
	}
	xcache := "MISS"
	if r.outcome == oHit {
		xcache = "HIT"
	}
	reason := r.reason
	if reason == "" {
		reason = http.StatusText(r.status)
	}
	return logRecordJSON{
		CustomerID: "4Ctd8yZ3WbPBQ0TbCl7tjs", ServiceID: sv.ID, Timestamp: ts, ClientASNumber: r.asn,
		ClientRegion: r.region, ClientCountryCode: r.country, ClientOSName: r.os, ClientDeviceType: r.device,
		ClientBrowserName: r.browser, ClientBrowserVersion: "120.0", FastlyPOP: r.pop,
		OriginHost: "origin." + sv.Name, RequestProtocol: "HTTP/2", RequestHost: r.host, RequestPath: r.path,
		RequestMethod: r.method, ResponseBytesBody: r.body, ResponseBytesHeader: r.header,
		ResponseContentLength: r.body, ResponseContentType: r.ctype, ResponseReason: reason,
		ResponseState: outcomeState[r.outcome], ResponseStatus: r.status, ResponseTime: r.respTime,
		ResponseXCache: xcache, IsCacheHit: r.outcome == oHit, IsEdge: !r.shield, IsShield: r.shield,
	}
}

// logFilter is one filter[field][op]=value parameter.
type logFilter struct {
	field, op string
	values    []string
}

var (
	simFilterFields = []string{"client_browser_name", "client_device_type", "client_os_name", "domain", "fastly_pop",
		"is_cache_hit", "is_edge", "is_shield", "request_path", "response_status", "response_time"}
	simFilterOps = []string{"eq", "ends-with", "in", "not_in", "gt", "gte", "lt", "lte"}
)

// parseLogFilters reads filter[field]=v and filter[field][op]=v parameters; fastlyIs says which
// spelling of the boolean fields is accepted (LogBehaviour.FastlyIsFilters).
func parseLogFilters(q url.Values, fastlyIs bool) ([]logFilter, error) {
	var out []logFilter
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !strings.HasPrefix(k, "filter[") || !strings.HasSuffix(k, "]") {
			continue
		}
		parts := strings.Split(strings.TrimSuffix(strings.TrimPrefix(k, "filter["), "]"), "][")
		f := logFilter{field: parts[0], op: "eq"}
		if len(parts) == 2 {
			f.op = parts[1]
		} else if len(parts) > 2 {
			return nil, fmt.Errorf("malformed filter parameter %q", k)
		}
		if name, ok := strings.CutPrefix(f.field, "fastly_"); ok && fastlyIs && strings.HasPrefix(name, "is_") {
			f.field = name
		} else if fastlyIs && strings.HasPrefix(f.field, "is_") {
			return nil, fmt.Errorf("unsupported filter field '%s'", f.field)
		}
		if !slices.Contains(simFilterFields, f.field) {
			return nil, fmt.Errorf("unsupported filter field '%s'", f.field)
		}
		if !slices.Contains(simFilterOps, f.op) {
			return nil, fmt.Errorf("unsupported filter operator '%s'", f.op)
		}
		for _, v := range q[k] {
			if f.op == "in" || f.op == "not_in" {
				f.values = append(f.values, strings.Split(v, ",")...)
			} else {
				f.values = append(f.values, v)
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func filtersMeta(fs []logFilter) []map[string]any {
	out := make([]map[string]any, len(fs))
	for i, f := range fs {
		out[i] = map[string]any{"field": f.field, "operator": f.op, "value": strings.Join(f.values, ",")}
	}
	return out
}

func matchAll(r logRec, fs []logFilter) bool {
	for _, f := range fs {
		if !f.match(r) {
			return false
		}
	}
	return true
}

func (f logFilter) match(r logRec) bool {
	v, _ := r.field(f.field)
	text := fmt.Sprint(v)
	switch f.op {
	case "eq", "in":
		return slices.Contains(f.values, text)
	case "not_in":
		return !slices.Contains(f.values, text)
	case "ends-with":
		return strings.HasSuffix(text, f.values[0])
	}
	x, err1 := strconv.ParseFloat(text, 64)
	y, err2 := strconv.ParseFloat(f.values[0], 64)
	if err1 != nil || err2 != nil {
		return false
	}
	switch f.op {
	case "gt":
		return x > y
	case "gte":
		return x >= y
	case "lt":
		return x < y
	}
	return x <= y
}
