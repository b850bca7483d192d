package frames

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// fixtureEvent is the one event of events_list_page1.json, decoded as the client does.
func fixtureEvent(t *testing.T) fastly.Event {
	t.Helper()
	body, err := os.ReadFile("../fastly/testdata/events_list_page1.json")
	require.NoError(t, err)
	events, next, err := fastly.DecodeEventsPage(body)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, "https://api.fastly.com/events?page[number]=2&page[size]=1", next)
	return events[0]
}

func TestEventsFrameFromTheFixture(t *testing.T) {
	ev := fixtureEvent(t)
	activate := fastly.Event{ID: "e2", Type: "version.activate", Description: "Version 12 was activated", ServiceID: "kKJb5bOFI47uHeBVluGfX1",
		UserID: "u1", CreatedAt: time.Date(2021, 11, 3, 18, 0, 0, 0, time.UTC), Metadata: map[string]any{"version": 12.0}}
	purge := fastly.Event{ID: "e3", Type: "service.purge_all", ServiceID: "kKJb5bOFI47uHeBVluGfX1", Admin: true,
		CreatedAt: time.Date(2021, 11, 3, 17, 0, 0, 0, time.UTC)}
	f := EventsFrame([]fastly.Event{activate, purge, ev}, EventsRequest{
		ServiceNames: map[string]string{"kKJb5bOFI47uHeBVluGfX1": "www.example.com"},
		UserLogins:   map[string]string{"u1": "ops@example.com"},
	})
	require.Equal(t, 3, f.Rows())
	names := []string{}
	for _, fl := range f.Fields {
		names = append(names, fl.Name)
	}
	assert.Equal(t, []string{"time", "title", "text", "tags", "event_type", "service", "service_name", "user", "id"}, names)
	assert.Equal(t, "Version 12 activated on www.example.com by ops@example.com — Version 12 was activated", f.Fields[2].At(0))
	assert.Equal(t, "Purged all content on www.example.com by Fastly staff", f.Fields[2].At(1))
	assert.Equal(t, "Logging update on www.example.com by user 1tSCjJnpQYBBCAsIfI6pX0 — Logging 'new-test-elasticsearch' was updated on Version '63'", f.Fields[2].At(2))
	assert.Equal(t, json.RawMessage(`["version.activate","www.example.com"]`), f.Fields[3].At(0))
	require.NotNil(t, f.Meta)
	assert.Equal(t, data.FrameTypeTable, f.Meta.Type, "annotations have no data plane type: a plain table")
	assert.Empty(t, f.Meta.Notices)
	experimental.CheckGoldenJSONFrame(t, "testdata", "events_annotations", f, *update)
}

func TestEventTitles(t *testing.T) {
	for _, tc := range []struct {
		e    fastly.Event
		want string
	}{
		{fastly.Event{Type: "version.deactivate", Description: "Version '7' was deactivated"}, "Version 7 deactivated"},
		{fastly.Event{Type: "version.activate", Metadata: map[string]any{"version": "3"}}, "Version 3 activated"},
		{fastly.Event{Type: "version.activate"}, "Version activated"},
		{fastly.Event{Type: "token.create"}, "Token create"},
		{fastly.Event{}, "Event"},
	} {
		assert.Equal(t, tc.want, eventTitle(tc.e))
	}
	f := EventsFrame(nil, EventsRequest{Truncated: true})
	assert.Equal(t, 0, f.Rows())
	assert.Contains(t, f.Meta.Notices[0].Text, "more events in this range")
	assert.Equal(t, "Service created", eventText("Service created", "", "", ""))
}
