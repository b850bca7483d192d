package fastly

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsageByRegionFixture(t *testing.T) {
	rec, c := newFake(t)
	body := fixture(t, "historical_usage_by_region.json")
	rec.handlers["/stats/usage"] = func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }
	from := time.Unix(1635096707, 0)
	rows, err := c.Usage(context.Background(), from, from.Add(10*24*time.Hour), false)
	require.NoError(t, err)
	require.Len(t, rows, 9)
	assert.Equal(t, "africa_std", rows[0].Region)
	assert.Equal(t, UsageRow{Region: "europe", UsageTotals: UsageTotals{Bandwidth: 17759, Requests: 0, ComputeRequests: 9}}, rows[5])
	assert.Equal(t, []url.Values{{"from": {"1635096707"}, "to": {"1635960707"}}}, rec.queries(), "the reference lists only from and to")
}

func TestUsageByServiceFixture(t *testing.T) {
	rec, c := newFake(t)
	body := fixture(t, "historical_usage_by_service.json")
	rec.handlers["/stats/usage_by_service"] = func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }
	rows, err := c.Usage(context.Background(), time.Unix(0, 0), time.Unix(86400, 0), true)
	require.NoError(t, err)
	assert.Equal(t, []UsageRow{
		{Region: "europe", ServiceID: "2xSyplKh6dJaYAjbDbbwOw", UsageTotals: UsageTotals{Bandwidth: 514, ComputeRequests: 3}},
		{Region: "europe", ServiceID: "6J1WNVqsOeYgbV0Hq7FWel", UsageTotals: UsageTotals{Bandwidth: 17245, ComputeRequests: 6}},
	}, rows, "regions without services add no rows")
}

func TestUsageFailures(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/stats/usage"] = func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"error","msg":"from must be before to","data":null}`))
	}
	rec.handlers["/stats/usage_by_service"] = func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"status":"success","data":{"europe":{"svc":{"bandwidth":"lots"}}}}`))
	}
	_, err := c.Usage(context.Background(), time.Unix(0, 0), time.Unix(1, 0), false)
	assert.ErrorContains(t, err, "for /stats/usage: from must be before to")
	_, err = c.Usage(context.Background(), time.Unix(0, 0), time.Unix(1, 0), true)
	assert.ErrorContains(t, err, "could not be read: region europe")

	big := []byte(`{"status":"success","data":{"usa":{"bandwidth":9007199254740993,"requests":1,"compute_requests":2}}}`)
	rows, err := DecodeUsage(big, false)
	require.NoError(t, err)
	assert.Equal(t, int64(9007199254740993), rows[0].Bandwidth, "totals beyond 2^53 stay exact")
}

func TestUsageTotalsReadAnyNumberForm(t *testing.T) {
	var u UsageTotals
	require.NoError(t, json.Unmarshal([]byte(`{"bandwidth":9223372036854775000,"requests":1.5e3,"compute_requests":2.4}`), &u))
	assert.Equal(t, UsageTotals{Bandwidth: 9223372036854775000, Requests: 1500, ComputeRequests: 2}, u)
	require.NoError(t, json.Unmarshal([]byte(`{"requests":7}`), &u))
	assert.Equal(t, UsageTotals{Requests: 7}, u, "absent totals are 0")
	assert.Error(t, json.Unmarshal([]byte(`{"bandwidth":1e30}`), &u))
}
