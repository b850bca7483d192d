package frames

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// simNow is a fixed, busy Friday afternoon for the simulator's deterministic answers.
var simNow = time.Date(2026, 11, 20, 15, 30, 0, 0, time.UTC)

// insightsFrom reads one ranking from h the way the plugin does: a fastly.Client over a local
// test server (port 0, no network).
func insightsFrom(t *testing.T, h http.Handler, vis string, limit int) *fastly.InsightsResult {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	res, err := fastly.NewClient(fastly.Config{APIURL: srv.URL, Token: "k"}).LogInsights(context.Background(), fastly.InsightsQuery{
		Visualization: vis, ServiceID: fastlysim.ShopServiceID, Limit: limit,
		Start: time.Date(2026, 11, 20, 13, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 14, 0, 0, 0, time.UTC),
	})
	require.NoError(t, err)
	return res
}

// bodyInsights reads a ranking Fastly answered with body.
func bodyInsights(t *testing.T, vis, body string) *fastly.InsightsResult {
	t.Helper()
	return insightsFrom(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(body))
	}), vis, 100)
}

func TestInsightsGoldenFramePerRanking(t *testing.T) {
	sim := fastlysim.New(fastlysim.Config{Now: func() time.Time { return simNow }})
	for _, r := range catalog.InsightRankings() {
		t.Run(r.Name, func(t *testing.T) {
			res := insightsFrom(t, sim, r.Name, 5)
			frame := InsightsFrame(res, r, nil)
			require.NotZero(t, frame.Rows(), r.Name)
			assert.Equal(t, r.Dimension, frame.Fields[0].Name, "the dimension comes first, for variable queries")
			assert.Equal(t, r.DimensionLabel, frame.Fields[0].Config.DisplayNameFromDS)
			experimental.CheckGoldenJSONFrame(t, "testdata", "insights_"+r.Name, frame, *update)
		})
	}
}

func TestInsightsFrameReadsValuesInTheCatalogsOrder(t *testing.T) {
	sim := fastlysim.New(fastlysim.Config{Now: func() time.Time { return simNow }})
	r, err := catalog.FindInsight("top-url-by-duration")
	require.NoError(t, err)
	frame := InsightsFrame(insightsFrom(t, sim, r.Name, 3), r, nil)
	names := []string{}
	for _, f := range frame.Fields {
		names = append(names, f.Config.DisplayNameFromDS)
	}
	assert.Equal(t, []string{"URL", "Average response time", "95th percentile response time", "Share of response time"}, names)
	assert.Equal(t, "s", frame.Fields[1].Config.Unit)
	assert.Equal(t, "percent", frame.Fields[3].Config.Unit)
	assert.Equal(t, data.FrameTypeNumericLong, frame.Meta.Type)
	assert.Equal(t, 3, frame.Rows())
}

func TestInsightsFrameQuirks(t *testing.T) {
	// Rows with numbers as strings, an unknown value key, a row missing a value, and more rows
	// than asked.
	res := bodyInsights(t, "top-url-by-requests", `{"data":[
		{"dimensions":{"url":"/a"},"values":[{"request_percentage":"91.5","rate":91.5,"p50":3}]},
		{"dimensions":{"url":"/b"},"values":[{"request_percentage":4.2}]}]}`)
	r, err := catalog.FindInsight("top-url-by-requests")
	require.NoError(t, err)
	frame := InsightsFrame(res, r, nil)
	require.Len(t, frame.Fields, 4)
	assert.Equal(t, []string{"/a", "/b"}, []string{frame.Fields[0].At(0).(string), frame.Fields[0].At(1).(string)})
	assert.Equal(t, 91.5, *frame.Fields[1].At(0).(*float64))
	assert.Nil(t, frame.Fields[2].At(1), "a value the row lacks is null, never 0")
	assert.Equal(t, "p50", frame.Fields[3].Config.DisplayNameFromDS, "an unknown value still shows, after the known ones")

	// A status code's row in the reference's spelling (status-code): its rate is its own
	// attribute, and its values break it down by URL (docs/fastly-api.md, "Log Insights"), so
	// one URL's share of the code is never shown as the code's.
	codes := bodyInsights(t, "response-status-codes", `{"data":[
		{"dimensions":{"status-code":"200"},"dimension_attributes":{"rate":91.5},"values":[{"url":"/a","rate_per_status":60}]},
		{"dimensions":{"status-code":"404"},"values":[{"url":"/b","rate_per_status":100}]}]}`)
	sc, err := catalog.FindInsight("response-status-codes")
	require.NoError(t, err)
	cf := InsightsFrame(codes, sc, nil)
	require.Len(t, cf.Fields, 2, "the code and its own rate, no breakdown column")
	assert.Equal(t, "200", cf.Fields[0].At(0))
	assert.Equal(t, 91.5, *cf.Fields[1].At(0).(*float64))
	assert.Nil(t, cf.Fields[1].At(1), "a code without its own rate is unknown, not its URL's 100")
	require.Len(t, cf.Meta.Notices, 1)
	assert.Contains(t, cf.Meta.Notices[0].Text, "per-url breakdown")

	hr, err := catalog.FindInsight("top-url-by-cache-hit-ratio")
	require.NoError(t, err)
	pct := bodyInsights(t, hr.Name, `{"data":[{"dimensions":{"url":"/a"},"values":[{"cache_hit_ratio":97.5}]}]}`)
	assert.Equal(t, "percent", InsightsFrame(pct, hr, nil).Fields[1].Config.Unit, "a ratio above 1 is in percent")
	frac := bodyInsights(t, hr.Name, `{"data":[{"dimensions":{"url":"/a"},"values":[{"cache_hit_ratio":0.975}]}]}`)
	assert.Equal(t, "percentunit", InsightsFrame(frac, hr, nil).Fields[1].Config.Unit)

	cut := InsightsFrame(&fastly.InsightsResult{Rows: res.Rows[:1], Truncated: true}, r, nil)
	require.Len(t, cut.Meta.Notices, 1)
	assert.Contains(t, cut.Meta.Notices[0].Text, "showing the first 1")

	none := bodyInsights(t, "top-5xx-urls", `{"data":[{"dimensions":{"url":"/a"}},{"dimensions":{"url":"/b"}}]}`)
	u, err := catalog.FindInsight("top-5xx-urls")
	require.NoError(t, err)
	f := InsightsFrame(none, u, nil)
	assert.Len(t, f.Fields, 1, "a ranking without values is the ranked list of URLs alone")
	assert.Equal(t, 2, f.Rows())
}
