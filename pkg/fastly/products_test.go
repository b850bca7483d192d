package fastly

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withProductClock gives the shared enablement cache a controllable clock and an empty start.
func withProductClock(t *testing.T) *time.Time {
	t.Helper()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	productCache.mu.Lock()
	oldNow := productCache.now
	productCache.now = func() time.Time { return now }
	clear(productCache.entries)
	productCache.mu.Unlock()
	t.Cleanup(func() {
		productCache.mu.Lock()
		productCache.now = oldNow
		clear(productCache.entries)
		productCache.mu.Unlock()
	})
	return &now
}

func TestCheckProductEnabledIsCachedForAFewMinutes(t *testing.T) {
	now := withProductClock(t)
	rec, c := newFake(t)
	var calls atomic.Int32
	body := fixture(t, "enabled_products_origin_inspector_enabled.json")
	rec.handlers["/enabled-products/v1/origin_inspector/services/kKJb5bOFI47uHeBVluGfX1"] = func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		_, _ = w.Write(body)
	}
	for i := 0; i < 3; i++ {
		require.NoError(t, c.CheckProduct(context.Background(), ProductOriginInspector, "kKJb5bOFI47uHeBVluGfX1"))
	}
	assert.Equal(t, int32(1), calls.Load(), "one call serves every panel for a while")
	*now = now.Add(productTTL)
	require.NoError(t, c.CheckProduct(context.Background(), ProductOriginInspector, "kKJb5bOFI47uHeBVluGfX1"))
	assert.Equal(t, int32(2), calls.Load(), "an old answer is asked again")
}

func TestCheckProductDisabledExplainsHowToEnable(t *testing.T) {
	withProductClock(t)
	rec, c := newFake(t)
	var calls atomic.Int32
	body := fixture(t, "enabled_products_origin_inspector_disabled_400.json")
	rec.handlers["/enabled-products/v1/domain_inspector/services/svc1"] = func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(body)
	}
	for i := 0; i < 2; i++ {
		err := c.CheckProduct(context.Background(), ProductDomainInspector, "svc1")
		var pd *ProductDisabledError
		require.True(t, errors.As(err, &pd), "got %v", err)
		assert.Equal(t, "svc1", pd.ServiceID)
		assert.Contains(t, err.Error(), "Domain Inspector is not enabled on Fastly service svc1")
		assert.Contains(t, err.Error(), "Observability > Domain Inspector")
		assert.Contains(t, err.Error(), "PUT /enabled-products/v1/domain_inspector/services/svc1")
	}
	assert.Equal(t, int32(1), calls.Load(), "a disabled answer is cached too")
}

func TestCheckProductOtherFailuresAreNotDisabled(t *testing.T) {
	withProductClock(t)
	rec, c := newFake(t)
	var calls atomic.Int32
	rec.handlers["/enabled-products/v1/origin_inspector/services/svc1"] = func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"msg":"not authorized"}`))
	}
	for i := 0; i < 2; i++ {
		err := c.CheckProduct(context.Background(), ProductOriginInspector, "svc1")
		var apiErr *APIError
		require.True(t, errors.As(err, &apiErr))
		assert.Equal(t, http.StatusForbidden, apiErr.Status)
	}
	assert.Equal(t, int32(2), calls.Load(), "failures are not cached")
	assert.ErrorContains(t, c.CheckProduct(context.Background(), "bot_management", "svc1"), "unknown Fastly product")
	assert.ErrorContains(t, c.CheckProduct(context.Background(), ProductOriginInspector, "svc1?x=1"), "not a Fastly service id")
}

func TestProductCacheKeepsAccountsApart(t *testing.T) {
	a := NewClient(Config{APIURL: "http://x", Token: "one"})
	b := NewClient(Config{APIURL: "http://x", Token: "two"})
	assert.NotEqual(t, a.productKey(ProductOriginInspector, "s"), b.productKey(ProductOriginInspector, "s"))
	assert.NotContains(t, a.productKey(ProductOriginInspector, "s"), "one", "the token itself is never a key")
}
