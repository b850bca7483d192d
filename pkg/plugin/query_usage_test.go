package plugin

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// usageColumn sums an int64 column of a usage frame.
func usageColumn(t *testing.T, f *data.Frame, name string) int64 {
	t.Helper()
	for _, field := range f.Fields {
		if field.Name == name {
			var sum int64
			for i := 0; i < field.Len(); i++ {
				sum += field.At(i).(int64)
			}
			return sum
		}
	}
	t.Fatalf("no field %s", name)
	return 0
}

func TestQueryUsageAgainstTheSimulatorAddsUp(t *testing.T) {
	env := newEnv(t, simToken)
	from, to := simNow.Add(-3*24*time.Hour-17*time.Minute), simNow
	firstDay, lastDay := from.Truncate(24*time.Hour).Add(24*time.Hour), simNow.Truncate(24*time.Hour)
	run := func(q map[string]any) *data.Frame {
		q["queryType"] = "usage"
		resp := env.query(t, from, to, q)
		r := resp.Responses["A"]
		require.NoError(t, r.Error)
		require.Len(t, r.Frames, 1)
		assert.Equal(t, data.FrameTypeNumericLong, r.Frames[0].Meta.Type)
		return r.Frames[0]
	}
	total := run(map[string]any{})
	require.Equal(t, 1, total.Rows())
	assert.Equal(t, "all", total.Fields[0].At(0))
	bw := usageColumn(t, total, "bandwidth")
	assert.Positive(t, bw)
	assert.Equal(t, usageColumn(t, total, "requests")+usageColumn(t, total, "compute_requests"), usageColumn(t, total, "all_requests"),
		"Requests counts VCL and Compute")
	assert.Positive(t, usageColumn(t, total, "compute_requests"))
	require.NotEmpty(t, total.Meta.Notices)
	assert.Contains(t, total.Meta.Notices[0].Text, "whole UTC days in the time range, "+firstDay.Format(time.DateOnly)+" to "+lastDay.Add(-24*time.Hour).Format(time.DateOnly))

	byRegion := run(map[string]any{"groupBy": "region"})
	assert.Equal(t, len(fastlysim.Regions), byRegion.Rows())
	assert.Equal(t, bw, usageColumn(t, byRegion, "bandwidth"), "regions add up to the total")
	assert.Equal(t, usageColumn(t, total, "requests"), usageColumn(t, byRegion, "requests"))

	europe := run(map[string]any{"region": "europe"})
	assert.Equal(t, "europe", europe.Fields[0].At(0))
	assert.Less(t, usageColumn(t, europe, "bandwidth"), bw, "the region is filtered by the plugin")
	assert.Positive(t, usageColumn(t, europe, "bandwidth"))

	byService := run(map[string]any{"groupBy": "service", "metrics": []string{"bandwidth", "requests"}})
	assert.Equal(t, bw, usageColumn(t, byService, "bandwidth"), "services add up to the total")
	require.Len(t, byService.Fields, 4, "service_name, service and the two metrics asked for")
	names := map[string]bool{}
	for i := 0; i < byService.Rows(); i++ {
		names[byService.Fields[0].At(i).(string)] = true
	}
	assert.True(t, names["www.example-shop.com"], "services are named, got %v", names)

	shop := run(map[string]any{"services": []string{fastlysim.ShopServiceID}})
	assert.Less(t, usageColumn(t, shop, "bandwidth"), bw)
	assert.Positive(t, usageColumn(t, shop, "bandwidth"))

	var asked []url.Values
	for _, r := range env.sim.Requests() {
		if r.Path == "/stats/usage" || r.Path == "/stats/usage_by_service" {
			v, err := url.ParseQuery(r.RawQuery)
			require.NoError(t, err)
			asked = append(asked, v)
		}
	}
	require.Len(t, asked, 5)
	want := url.Values{"from": {strconv.FormatInt(firstDay.Unix(), 10)}, "to": {strconv.FormatInt(lastDay.Unix(), 10)}}
	for _, a := range asked {
		assert.Equal(t, want, a, "only from and to, the reference's parameters, on whole UTC days; never a region")
	}
}

// TestQueryUsageUnderEitherReadingOfTheRegionParameter: Fastly ignores region on the usage
// endpoints (its engineers' notes) and the reference does not list it: the plugin never sends it,
// so a strict and a lenient Fastly answer alike.
func TestQueryUsageUnderEitherReadingOfTheRegionParameter(t *testing.T) {
	var got []int64
	for _, strict := range []bool{true, false} {
		env := newEnv(t, simToken)
		env.sim.SetStrictParams(strict)
		r := env.query(t, simNow.Add(-4*24*time.Hour), simNow, map[string]any{"queryType": "usage", "region": "europe"}).Responses["A"]
		require.NoError(t, r.Error)
		got = append(got, usageColumn(t, r.Frames[0], "bandwidth"))
	}
	assert.Equal(t, got[0], got[1])
	assert.Positive(t, got[0])
}

// TestQueryUsageWithoutAWholeDay: a range without one whole UTC day says so rather than show a
// part of a day as Fastly may or may not count it.
func TestQueryUsageWithoutAWholeDay(t *testing.T) {
	env := newEnv(t, simToken)
	r := env.query(t, simNow.Add(-6*time.Hour), simNow, map[string]any{"queryType": "usage"}).Responses["A"]
	require.Error(t, r.Error)
	assert.Contains(t, r.Error.Error(), "usage is counted by whole UTC days and this time range holds none")
	assert.Equal(t, backend.ErrorSourceDownstream, r.ErrorSource)
}

func TestQueryUsageErrors(t *testing.T) {
	env := newEnv(t, simToken)
	resp := env.query(t, simNow.Add(-time.Hour), simNow, map[string]any{"queryType": "usage", "metrics": []string{"hits"}})
	r := resp.Responses["A"]
	require.Error(t, r.Error)
	assert.Equal(t, backend.StatusBadRequest, r.Status)
	assert.Contains(t, r.Error.Error(), `unknown "hits"`)

	resp = env.query(t, simNow.Add(-time.Hour), simNow, map[string]any{"queryType": "usage", "groupBy": "pop"})
	assert.ErrorContains(t, resp.Responses["A"].Error, `a usage query cannot be grouped by "pop"`)
}
