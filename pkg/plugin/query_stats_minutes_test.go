package plugin

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// minuteModes are the readings of how long Fastly keeps minutes: the reference's 35 days and
// the engineers' "roughly one day", refused or answered without them.
var minuteModes = map[string]fastlysim.MinuteRetention{
	"35 days":             fastlysim.MinutesFor35Days,
	"refused after a day": fastlysim.MinutesRefusedAfterADay,
	"missing after a day": fastlysim.MinutesMissingAfterADay,
}

func hasNotice(fr *data.Frame, text string) bool {
	return slices.ContainsFunc(fr.Meta.Notices, func(n data.Notice) bool { return strings.Contains(n.Text, text) })
}

// TestOldMinutesUnderEitherRetention: an hour three days ago, by auto resolution, shows the
// hour's requests under every reading: by the minute where Fastly keeps them, by the hour with
// a notice where it refuses them or sends none. Never zeros as if known.
func TestOldMinutesUnderEitherRetention(t *testing.T) {
	from := simNow.Add(-3 * 24 * time.Hour).Truncate(time.Hour)
	to := from.Add(time.Hour)
	for name, mode := range minuteModes {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, simToken)
			e.sim.SetMinuteRetention(mode)
			want, ok := e.sim.Record(fastlysim.ShopServiceID, "hour", from, "")
			require.True(t, ok)
			r := e.query(t, from, to, map[string]any{"queryType": "stats", "services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}}).Responses["A"]
			require.NoError(t, r.Error)
			var sum float64
			for _, v := range seriesOf(r.Frames) {
				for _, x := range v {
					require.False(t, math.IsNaN(x), "no bucket is unknown")
					sum += x
				}
			}
			assert.Equal(t, float64(asInt(t, want["requests"])), sum)
			rows := r.Frames[0].Rows()
			if mode == fastlysim.MinutesFor35Days {
				assert.Equal(t, 60, rows, "by the minute")
				assert.False(t, hasNotice(r.Frames[0], "Showing hourly data"))
			} else {
				assert.Equal(t, 1, rows, "by the hour")
				assert.True(t, hasNotice(r.Frames[0], "Showing hourly data: Fastly sent no minute of this range older than a day"), "%v", r.Frames[0].Meta.Notices)
			}
		})
	}
}

// TestOldMinutesAskedForExplicitly: minutes asked for by name are kept where Fastly keeps them;
// refused, the error is on the resolution; sent without them, they are unknown (null) with a
// notice, never 0.
func TestOldMinutesAskedForExplicitly(t *testing.T) {
	from := simNow.Add(-3 * 24 * time.Hour).Truncate(time.Hour)
	for name, mode := range minuteModes {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, simToken)
			e.sim.SetMinuteRetention(mode)
			r := e.query(t, from, from.Add(time.Hour), map[string]any{"queryType": "stats", "services": []string{fastlysim.ShopServiceID},
				"metrics": []string{"all_requests", "error_ratio"}, "resolution": "minute"}).Responses["A"]
			switch mode {
			case fastlysim.MinutesRefusedAfterADay:
				require.Error(t, r.Error)
				assert.Contains(t, r.Error.Error(), "Minutely data is only available for the last day")
				assert.Equal(t, map[string]string{"errorField": "resolution"}, r.Frames[0].Meta.Custom)
				return
			case fastlysim.MinutesMissingAfterADay:
				require.NoError(t, r.Error)
				for _, v := range seriesOf(r.Frames) {
					require.Len(t, v, 60)
					for _, x := range v {
						assert.True(t, math.IsNaN(x), "an old minute Fastly did not send is unknown")
					}
				}
				assert.True(t, hasNotice(r.Frames[0], "shown empty, not zero"), "%v", r.Frames[0].Meta.Notices)
			default:
				require.NoError(t, r.Error)
				for _, v := range seriesOf(r.Frames) {
					require.Len(t, v, 60)
					for _, x := range v {
						assert.False(t, math.IsNaN(x), "kept minutes are known")
					}
				}
			}
		})
	}
}

// TestOldMinutePOPMap: a POP map of an older range by auto resolution adds it up by the hour
// under every reading; minutes asked for by name are refused there.
func TestOldMinutePOPMap(t *testing.T) {
	from := simNow.Add(-3 * 24 * time.Hour).Truncate(time.Hour)
	for name, mode := range minuteModes {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, simToken)
			e.sim.SetMinuteRetention(mode)
			r := e.query(t, from, from.Add(time.Hour),
				popMapQuery([]string{"*"}, map[string]any{"metrics": []string{"all_requests"}, "pops": []string{"LHR"}}),
				popMapQuery([]string{"*"}, map[string]any{"metrics": []string{"all_requests"}, "pops": []string{"LHR"}, "resolution": "minute"}),
			)
			require.NoError(t, r.Responses["A"].Error)
			fr := r.Responses["A"].Frames[0]
			var want float64
			for _, s := range e.sim.Services() {
				for _, field := range []string{"requests", "compute_requests"} {
					v, _ := simSumOver(t, e, s.ID, field, "&datacenter=LHR", from, from.Add(time.Hour))
					want += v
				}
			}
			require.Positive(t, want)
			assert.Equal(t, want, *floatAt(fr, "all_requests", 0), "every service's LHR traffic in that hour")
			assert.True(t, hasNotice(fr, "Summed by the hour"))
			require.Error(t, r.Responses["B"].Error)
			assert.Contains(t, r.Responses["B"].Error.Error(), "choose hour or auto resolution")
		})
	}
}
