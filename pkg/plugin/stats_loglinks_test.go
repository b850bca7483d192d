package plugin

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func TestStatsSeriesLinkToTheLogsOfTheClickedMinute(t *testing.T) {
	env := newEnv(t, simToken)
	r := env.query(t, logFrom, logTo, map[string]any{"queryType": "stats", "metrics": []string{"requests"},
		"services": []string{fastlysim.ShopServiceID, fastlysim.ComputeServiceID}, "groupBy": "service"})
	require.NoError(t, r.Responses["A"].Error)
	linked := map[string]string{}
	for _, f := range r.Responses["A"].Frames {
		v := f.Fields[1]
		if v.Config != nil && len(v.Config.Links) > 0 {
			linked[v.Labels["service"]] = v.Config.Links[0].URL
		}
	}
	require.Contains(t, linked, fastlysim.ShopServiceID)
	assert.NotContains(t, linked, fastlysim.ComputeServiceID, "no link to a product the service lacks")

	link := linked[fastlysim.ShopServiceID]
	require.True(t, strings.HasPrefix(link, "/explore?schemaVersion=1&panes="))
	assert.Equal(t, 2, strings.Count(link, "${__value.time}"), "from and to are the clicked point")
	panes, err := url.QueryUnescape(strings.TrimPrefix(link, "/explore?schemaVersion=1&panes="))
	require.NoError(t, err)
	assert.Contains(t, panes, `"queryType":"logs"`)
	assert.Contains(t, panes, `"services":["`+fastlysim.ShopServiceID+`"]`)
	assert.Contains(t, panes, `"uid":"fastly-test"`)

	// What the link opens: a zero-length range reads as the minute that starts there.
	minute := logFrom.Add(7 * time.Minute)
	r = env.query(t, minute, minute, map[string]any{"queryType": "logs", "services": []string{fastlysim.ShopServiceID}, "limit": 5000})
	require.NoError(t, r.Responses["A"].Error)
	f := r.Responses["A"].Frames[0]
	require.Positive(t, f.Rows())
	for i := 0; i < f.Rows(); i++ {
		at := f.Fields[0].At(i).(time.Time)
		assert.True(t, !at.Before(minute) && at.Before(minute.Add(time.Minute)), "%s is outside the clicked minute", at)
	}
}
