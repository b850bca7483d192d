package fastlysim

import (
	"net/http"
	"strings"
	"time"
)

// TokenSelf is what GET /tokens/self says about the configured token. The zero value is the
// default: "grafana-readonly", scope global:read, every service, no expiry. Tests switch it to
// see how the plugin reports a token that works with a catch.
type TokenSelf struct {
	Name      string    // "" = grafana-readonly
	Scope     string    // space-separated scopes, as Fastly's "scope"; "" = global:read
	Services  []string  // the service ids the token is limited to; empty = all services
	ExpiresAt time.Time // zero = never expires
}

// SetTokenSelf changes what /tokens/self answers for the requests that follow.
func (s *Server) SetTokenSelf(t TokenSelf) {
	s.mu.Lock()
	s.tokenSelf = t
	s.mu.Unlock()
}

func (s *Server) handleTokenSelf(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	t := s.tokenSelf
	s.mu.Unlock()
	name, scope := t.Name, t.Scope
	if name == "" {
		name = "grafana-readonly"
	}
	if scope == "" {
		scope = "global:read"
	}
	var expires any // JSON null when the token never expires
	if !t.ExpiresAt.IsZero() {
		expires = t.ExpiresAt.UTC().Format(time.RFC3339)
	}
	services := t.Services
	if services == nil {
		services = []string{}
	}
	var serviceID any // Fastly's recorded answer for a limited token names its service here too
	if len(services) > 0 {
		serviceID = services[0]
	}
	now := s.now().UTC()
	writeJSON(w, http.StatusOK, map[string]any{
		"id":              "tkn0sim0000000000000001",
		"user_id":         "usr0sim0000000000000001",
		"customer_id":     customerID,
		"name":            name,
		"last_used_at":    now.Format(time.RFC3339),
		"created_at":      "2024-01-15T09:30:00Z",
		"expires_at":      expires,
		"ip":              "127.0.0.1",
		"user_agent":      r.UserAgent(),
		"sudo_expires_at": nil,
		"scopes":          strings.Fields(scope),
		"scope":           scope,
		"services":        services,
		"service_id":      serviceID,
	})
}
