package fastlysim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBytesServedCountsEveryBodyUntilReset(t *testing.T) {
	h := newHarness(t, Config{})
	a := h.get("/stats/regions")
	b := h.get("/stats/service/" + ShopServiceID + "/field/requests?by=minute&from=1%20hour%20ago&to=now")
	assert.NotEmpty(t, b.body)
	assert.Equal(t, int64(len(a.body)+len(b.body)), h.sim.BytesServed())
	h.sim.ResetRequests()
	assert.Zero(t, h.sim.BytesServed())
	c := h.get("/stats/regions")
	assert.Equal(t, int64(len(c.body)), h.sim.BytesServed())
}
