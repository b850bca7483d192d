package plugin

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

func TestQueryEventsAgainstTheSimulator(t *testing.T) {
	env := newEnv(t, simToken)
	from, to := simNow.Add(-30*24*time.Hour), simNow
	resp := env.query(t, from, to, map[string]any{"queryType": "events", "services": []string{fastlysim.ShopServiceID}})
	r := resp.Responses["A"]
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	f := r.Frames[0]
	require.Positive(t, f.Rows(), "the busy shop activates and purges every few days")
	timeField, _ := f.FieldByName("time")
	text, _ := f.FieldByName("text")
	tags, _ := f.FieldByName("tags")
	types, _ := f.FieldByName("event_type")
	require.NotNil(t, timeField)
	seen := map[string]bool{}
	for i := 0; i < f.Rows(); i++ {
		at := timeField.At(i).(time.Time)
		assert.False(t, at.Before(from) || at.After(to), "every event is inside the range")
		if i > 0 {
			assert.False(t, at.After(timeField.At(i-1).(time.Time)), "newest first")
		}
		typ := types.At(i).(string)
		seen[typ] = true
		assert.Contains(t, []string{"version.activate", "version.deactivate", "service.purge_all"}, typ)
		var tagList []string
		require.NoError(t, json.Unmarshal(tags.At(i).(json.RawMessage), &tagList))
		assert.Equal(t, []string{typ, "www.example-shop.com"}, tagList)
		txt := text.At(i).(string)
		assert.Contains(t, txt, " on www.example-shop.com by ")
		if typ == "version.activate" {
			assert.Regexp(t, `^Version \d+ activated on www\.example-shop\.com by user usr0sim0000000000000001 — Version \d+ was activated$`, txt)
		}
	}
	assert.True(t, seen["version.activate"] && seen["service.purge_all"], "saw %v", seen)

	var chains []url.Values
	for _, req := range env.sim.Requests() {
		if req.Path == "/events" {
			v, err := url.ParseQuery(req.RawQuery)
			require.NoError(t, err)
			if v.Get("page[number]") == "1" {
				chains = append(chains, v)
			}
		}
	}
	require.Len(t, chains, 3, "one chain per default event type")
	for _, v := range chains {
		assert.Equal(t, fastlysim.ShopServiceID, v.Get("filter[service_id]"))
		assert.Equal(t, from.UTC().Format(time.RFC3339), v.Get("filter[created_at][gte]"))
		assert.Equal(t, to.UTC().Format(time.RFC3339), v.Get("filter[created_at][lte]"))
	}
}

func TestQueryEventsAllServicesAndExtraTypes(t *testing.T) {
	env := newEnv(t, simToken)
	resp := env.query(t, simNow.Add(-90*24*time.Hour), simNow, map[string]any{"queryType": "events", "eventTypes": []string{"service.purge_all", "token.create"}})
	r := resp.Responses["A"]
	require.NoError(t, r.Error)
	f := r.Frames[0]
	names, _ := f.FieldByName("service_name")
	services := map[string]bool{}
	for i := 0; i < f.Rows(); i++ {
		services[names.At(i).(string)] = true
	}
	assert.Greater(t, len(services), 1, "no services: events of every service")
	types := map[string]bool{}
	pages := 0
	for _, req := range env.sim.Requests() {
		if req.Path == "/events" {
			v, _ := url.ParseQuery(req.RawQuery)
			types[v.Get("filter[event_type]")] = true
			assert.False(t, v.Has("filter[service_id]"))
			pages++
		}
	}
	assert.Equal(t, map[string]bool{"version.activate": true, "version.deactivate": true, "service.purge_all": true, "token.create": true}, types,
		"the defaults plus the extra type, the repeated one asked once")
	assert.Greater(t, pages, 4, "90 days of a busy account need more than one page per type")
	assert.Empty(t, f.Meta.Notices, "every event fitted: no notice")
	assert.IsType(t, data.Frames{}, r.Frames)

	bad := env.query(t, simNow, simNow.Add(-time.Hour), map[string]any{"queryType": "events"})
	assert.ErrorContains(t, bad.Responses["A"].Error, "the time range is empty")
	assert.False(t, strings.Contains(bad.Responses["A"].Error.Error(), simToken))
}

// eventTypesAsked is the filter[event_type] of every /events call the simulator received.
func eventTypesAsked(t *testing.T, env *testEnv) map[string]bool {
	t.Helper()
	asked := map[string]bool{}
	for _, req := range env.sim.Requests() {
		if req.Path == "/events" {
			v, err := url.ParseQuery(req.RawQuery)
			require.NoError(t, err)
			asked[v.Get("filter[event_type]")] = true
		}
	}
	return asked
}

func TestQueryEventsTurnsDefaultTypesOff(t *testing.T) {
	env := newEnv(t, simToken)
	resp := env.query(t, simNow.Add(-30*24*time.Hour), simNow, map[string]any{
		"queryType": "events", "services": []string{fastlysim.ShopServiceID},
		"excludeEventTypes": []string{"version.activate", "version.deactivate"},
	})
	r := resp.Responses["A"]
	require.NoError(t, r.Error)
	f := r.Frames[0]
	require.Positive(t, f.Rows(), "the shop purges some days")
	types, _ := f.FieldByName("event_type")
	for i := 0; i < f.Rows(); i++ {
		assert.Equal(t, "service.purge_all", types.At(i), "row %d", i)
	}
	assert.Equal(t, map[string]bool{"service.purge_all": true}, eventTypesAsked(t, env), "the types turned off are not even asked for")
}

func TestQueryEventsExcludeWinsOverAdd(t *testing.T) {
	env := newEnv(t, simToken)
	resp := env.query(t, simNow.Add(-7*24*time.Hour), simNow, map[string]any{
		"queryType": "events", "eventTypes": []string{"version.create", "service.purge_all"},
		"excludeEventTypes": []string{"service.purge_all", "version.deactivate"},
	})
	require.NoError(t, resp.Responses["A"].Error)
	assert.Equal(t, map[string]bool{"version.activate": true, "version.create": true}, eventTypesAsked(t, env))
}

func TestQueryEventsWithEveryTypeOffAsksNothingAndSaysSo(t *testing.T) {
	env := newEnv(t, simToken)
	resp := env.query(t, simNow.Add(-7*24*time.Hour), simNow, map[string]any{
		"queryType": "events", "excludeEventTypes": []string{"version.activate", "version.deactivate", "service.purge_all"},
	})
	r := resp.Responses["A"]
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	assert.Zero(t, r.Frames[0].Rows())
	require.NotNil(t, r.Frames[0].Meta)
	require.Len(t, r.Frames[0].Meta.Notices, 1)
	assert.Contains(t, r.Frames[0].Meta.Notices[0].Text, "No event types are chosen")
	assert.Empty(t, eventTypesAsked(t, env), "an empty list would have asked Fastly for every type")
}
