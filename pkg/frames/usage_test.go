package frames

import (
	"os"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

func usageFixture(t *testing.T, name string, byService bool) []fastly.UsageRow {
	t.Helper()
	body, err := os.ReadFile("../fastly/testdata/" + name)
	require.NoError(t, err)
	rows, err := fastly.DecodeUsage(body, byService)
	require.NoError(t, err)
	return rows
}

func TestUsageByRegionFixture(t *testing.T) {
	rows := usageFixture(t, "historical_usage_by_region.json", false)
	f := UsageFrame(rows, UsageRequest{Metrics: catalog.UsageMetrics(), GroupBy: "region"})
	assert.Equal(t, data.FrameTypeNumericLong, f.Meta.Type)
	require.Equal(t, 9, f.Rows())
	assert.Equal(t, "europe", f.Fields[0].At(5))
	assert.Equal(t, int64(17759), f.Fields[1].At(5))
	// The recorded account's traffic is Compute's: requests (VCL) 0, compute_requests 9.
	assert.Equal(t, "all_requests", f.Fields[2].Name)
	assert.Equal(t, int64(9), f.Fields[2].At(5), "Requests counts Compute")
	assert.Equal(t, int64(0), f.Fields[3].At(5))
	assert.Equal(t, int64(9), f.Fields[4].At(5))
	assert.Equal(t, "decbytes", f.Fields[1].Config.Unit)
	experimental.CheckGoldenJSONFrame(t, "testdata", "usage_by_region", f, *update)

	total := UsageFrame(rows, UsageRequest{Metrics: catalog.UsageMetrics()})
	require.Equal(t, 1, total.Rows())
	assert.Equal(t, "all", total.Fields[0].At(0))
	assert.Equal(t, int64(17759), total.Fields[1].At(0))

	usa := UsageFrame(rows, UsageRequest{Metrics: catalog.UsageMetrics(), Region: "usa"})
	assert.Equal(t, "usa", usa.Fields[0].At(0))
	assert.Equal(t, int64(0), usa.Fields[1].At(0), "a region with nothing used is a zero row")
}

func TestUsageByServiceFixture(t *testing.T) {
	rows := usageFixture(t, "historical_usage_by_service.json", true)
	names := map[string]string{"2xSyplKh6dJaYAjbDbbwOw": "zeta.example", "6J1WNVqsOeYgbV0Hq7FWel": "alpha.example"}
	ms, err := catalog.ResolveUsage([]string{"bandwidth", "compute_requests"})
	require.NoError(t, err)
	f := UsageFrame(rows, UsageRequest{Metrics: ms, GroupBy: "service", ServiceNames: names})
	require.Equal(t, 2, f.Rows())
	require.Len(t, f.Fields, 4)
	assert.Equal(t, "alpha.example", f.Fields[0].At(0), "sorted by service name")
	assert.Equal(t, "6J1WNVqsOeYgbV0Hq7FWel", f.Fields[1].At(0))
	assert.Equal(t, int64(17245), f.Fields[2].At(0))
	assert.Equal(t, int64(3), f.Fields[3].At(1))
	experimental.CheckGoldenJSONFrame(t, "testdata", "usage_by_service", f, *update)

	one := UsageFrame(rows, UsageRequest{Metrics: ms, Services: []string{"2xSyplKh6dJaYAjbDbbwOw"}})
	require.Equal(t, 1, one.Rows())
	assert.Equal(t, int64(514), one.Fields[1].At(0), "the total of the chosen services only")
}
