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

// withProductClock gives the client's enablement cache a controllable clock.
func withProductClock(c *Client) *time.Time {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c.products.now = func() time.Time { return now }
	return &now
}

func TestCheckProductEnabledIsCachedForAFewMinutes(t *testing.T) {
	rec, c := newFake(t)
	now := withProductClock(c)
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

// TestProductAnswersBelongToTheirClient: an answer one instance learnt is never another's (a
// reconfigured data source may point at another account with the same service ids).
func TestProductAnswersBelongToTheirClient(t *testing.T) {
	recA, a := newFake(t)
	recB, b := newFake(t)
	recA.handlers["/enabled-products/v1/origin_inspector/services/svc1"] = serveFile(t, "enabled_products_origin_inspector_enabled.json")
	recB.handlers["/enabled-products/v1/origin_inspector/services/svc1"] = func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(fixture(t, "enabled_products_origin_inspector_disabled_400.json"))
	}
	require.NoError(t, a.CheckProduct(context.Background(), ProductOriginInspector, "svc1"))
	var pd *ProductDisabledError
	assert.ErrorAs(t, b.CheckProduct(context.Background(), ProductOriginInspector, "svc1"), &pd)
	require.NoError(t, a.CheckProduct(context.Background(), ProductOriginInspector, "svc1"))
}
