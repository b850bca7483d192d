package fastlysim

import "net/http"

// extraRoutes registers the endpoints beyond historical stats (real-time, inspectors, events).
func (s *Server) extraRoutes(m *http.ServeMux) {}
