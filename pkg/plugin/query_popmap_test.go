package plugin

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestRealtimePOPMap: a real-time POP map has one row per POP the service used, placed where
// /datacenters says, with each POP's mean requests per second over the window Fastly holds.
func TestRealtimePOPMap(t *testing.T) {
	e := newLiveEnv(t, simToken)
	id := fastlysim.StaticServiceID
	r := e.query(t, map[string]any{"queryType": "realtime", "format": "popmap", "services": []string{id}, "metrics": []string{"requests", "hit_ratio"}})
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	fr := r.Frames[0]
	assert.Equal(t, data.FrameTypeTable, fr.Meta.Type)
	assert.Empty(t, fr.Meta.Channel, "a table is refreshed, not streamed")
	require.Positive(t, fr.Rows())

	places := map[string]fastlysim.POP{}
	for _, p := range fastlysim.POPs() {
		places[p.Code] = p
	}
	latest := liveStart.Unix() - 1 - fastly.DefaultAggregateDelay // the window's newest final second
	for i := range fr.Rows() {
		pop := fieldByName(fr, "pop").At(i).(string)
		want, ok := places[pop]
		require.True(t, ok, pop)
		assert.Equal(t, want.Name, fieldByName(fr, "pop_name").At(i))
		assert.Equal(t, want.Latitude, *fieldByName(fr, "latitude").At(i).(*float64))
		assert.Equal(t, want.Longitude, *fieldByName(fr, "longitude").At(i).(*float64))
		assert.Equal(t, id, fieldByName(fr, "service").At(i))
		var sum float64
		for s := latest - 119; s <= latest; s++ {
			sum += simValue(e.sim, id, pop, "requests", s)
		}
		assert.InDelta(t, sum/120, *fieldByName(fr, "requests").At(i).(*float64), 1e-9, "mean rate at %s", pop)
	}
}

// TestInspectorPOPMap: a historical Origin Inspector map is the per-POP series reduced to
// their means, one row per POP with coordinates.
func TestInspectorPOPMap(t *testing.T) {
	e := newEnv(t, simToken)
	from := simNow.Add(-time.Hour)
	base := map[string]any{"queryType": "origins", "services": []string{fastlysim.ShopServiceID}, "metrics": []string{"responses"}, "groupBy": "pop"}
	series := e.query(t, from, simNow, base).Responses["A"]
	require.NoError(t, series.Error)
	means := map[string]float64{}
	for _, f := range series.Frames {
		v := f.Fields[1]
		var sum, n float64
		for i := range v.Len() {
			x, err := v.NullableFloatAt(i)
			require.NoError(t, err)
			if x != nil { // the newest minutes Fastly may still fill are null
				sum += *x
				n++
			}
		}
		require.Positive(t, n)
		means[v.Labels["pop"]] = sum / n
	}
	require.NotEmpty(t, means)

	base["format"] = "popmap"
	delete(base, "groupBy")
	r := e.query(t, from, simNow, base).Responses["A"]
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	fr := r.Frames[0]
	require.Equal(t, len(means), fr.Rows())
	for i := range fr.Rows() {
		pop := fieldByName(fr, "pop").At(i).(string)
		assert.InDelta(t, means[pop], *fieldByName(fr, "responses").At(i).(*float64), 1e-9, pop)
		assert.NotNil(t, fieldByName(fr, "latitude").At(i), pop)
	}
}
