package fastlysim

import "net/http"

// extraRoutes registers the endpoints beyond historical stats and the account: real-time
// analytics live on the same handler, since the plugin can point realtimeUrl at the same base.
func (s *Server) extraRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /v1/channel/{id}/ts/{t}", s.handleRealtime)
	m.HandleFunc("GET /v1/channel/{id}/ts/{t}/limit/{n}", s.handleRealtime)
}
