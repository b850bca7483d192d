package fastlysim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestSetTokenSelfSwitchesTheAnswer: the switch changes name, scopes, services and expiry in
// Fastly's shape (scope as one string, scopes as its words, expires_at in RFC 3339).
func TestSetTokenSelfSwitchesTheAnswer(t *testing.T) {
	h := newHarness(t, Config{})
	expires := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	h.sim.SetTokenSelf(TokenSelf{Name: "shop-only", Scope: "global:read purge_select", Services: []string{ShopServiceID}, ExpiresAt: expires})
	var got map[string]any
	h.getOK("/tokens/self", &got)
	assert.Equal(t, "shop-only", got["name"])
	assert.Equal(t, "global:read purge_select", got["scope"])
	assert.Equal(t, []any{"global:read", "purge_select"}, got["scopes"])
	assert.Equal(t, []any{ShopServiceID}, got["services"])
	assert.Equal(t, ShopServiceID, got["service_id"], "as in Fastly's recorded answer for a limited token")
	assert.Equal(t, "2026-12-05T10:00:00Z", got["expires_at"])

	h.sim.SetTokenSelf(TokenSelf{})
	h.getOK("/tokens/self", &got)
	assert.Equal(t, "grafana-readonly", got["name"], "the zero value is the default token")
	assert.Nil(t, got["expires_at"])
	assert.Nil(t, got["service_id"])
}
