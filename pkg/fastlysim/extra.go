package fastlysim

import "net/http"

// extraRoutes registers the endpoints beyond historical stats and the account: real-time
// analytics live on the same handler, since the plugin can point realtimeUrl at the same base.
func (s *Server) extraRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /v1/channel/{id}/ts/{t}", s.handleRealtime)
	m.HandleFunc("GET /v1/channel/{id}/ts/{t}/limit/{n}", s.handleRealtime)
	for _, k := range []*inspectorKind{domainsKind, originsKind} {
		m.HandleFunc("GET /metrics/"+k.name+"/services/{id}", s.handleInspectorHistory(k))
		m.HandleFunc("GET /v1/"+k.name+"/{id}/ts/{t}", s.handleInspectorRealtime(k))
		m.HandleFunc("GET /v1/"+k.name+"/{id}/ts/{t}/limit/{n}", s.handleInspectorRealtime(k))
	}
	m.HandleFunc("GET /service/{id}/stats/summary", s.handleSummary)
	m.HandleFunc("GET /stats/usage", s.handleUsage)
	m.HandleFunc("GET /stats/usage_by_service", s.handleUsageByService)
	m.HandleFunc("GET /events", s.handleEvents)
	m.HandleFunc("GET /enabled-products/v1/{product}/services/{id}", s.handleEnabledProduct)
	s.logRoutes(m)
}
