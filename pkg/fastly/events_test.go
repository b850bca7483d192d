package fastly

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var eventsFrom = time.Date(2021, 11, 3, 0, 0, 0, 0, time.UTC)

func TestEventsReadsTheFixtureAndSendsTheFilters(t *testing.T) {
	rec, c := newFake(t)
	body := fixture(t, "events_list_page1.json")
	rec.handlers["/events"] = func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page[number]") == "1" {
			_, _ = w.Write(body)
			return
		}
		fmt.Fprint(w, `{"data":[],"links":{}}`)
	}
	res, err := c.Events(context.Background(), EventsQuery{
		Types: []string{"logging.update"}, Services: []string{"kKJb5bOFI47uHeBVluGfX1"},
		From: eventsFrom, To: eventsFrom.Add(24 * time.Hour),
	})
	require.NoError(t, err)
	require.Len(t, res.Events, 1)
	e := res.Events[0]
	assert.Equal(t, "5ThmATeNYLVLXcHYTpb4G1", e.ID)
	assert.Equal(t, "logging.update", e.Type)
	assert.Equal(t, "Logging 'new-test-elasticsearch' was updated on Version '63'", e.Description)
	assert.Equal(t, "1tSCjJnpQYBBCAsIfI6pX0", e.UserID)
	assert.Equal(t, time.Date(2021, 11, 3, 16, 29, 29, 0, time.UTC), e.CreatedAt)
	assert.Equal(t, "new-test-elasticsearch", e.Metadata["new"].(map[string]any)["name"])

	asked := rec.queries()
	require.Len(t, asked, 2, "the fixture's links.next is followed, then the empty page ends the chain")
	assert.Equal(t, url.Values{
		"filter[created_at][gte]": {"2021-11-03T00:00:00Z"}, "filter[created_at][lte]": {"2021-11-04T00:00:00Z"},
		"filter[event_type]": {"logging.update"}, "filter[service_id]": {"kKJb5bOFI47uHeBVluGfX1"},
		"page[number]": {"1"}, "page[size]": {"100"},
	}, asked[0])
	assert.Equal(t, "2", asked[1].Get("page[number]"))
	assert.Equal(t, "1", asked[1].Get("page[size]"), "the link's own values win")
	assert.Equal(t, "logging.update", asked[1].Get("filter[event_type]"), "filters the link left out are kept")
}

// pagedEvents serves n events of each requested type, newest first, size per page, with
// absolute next links on another host (which must not be contacted).
func pagedEvents(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		page, _ := strconv.Atoi(q.Get("page[number]"))
		size, _ := strconv.Atoi(q.Get("page[size]"))
		typ := q.Get("filter[event_type]")
		var items []string
		for i := (page - 1) * size; i < page*size && i < n; i++ {
			at := eventsFrom.Add(time.Duration(n-i) * time.Minute).Format(time.RFC3339)
			items = append(items, fmt.Sprintf(`{"id":"%s%d","type":"event","attributes":{"event_type":%q,"service_id":"svc1","user_id":"u1","created_at":%q,"description":"d%d"}}`, typ[:1], i, typ, at, i))
		}
		next := ""
		if page*size < n {
			nq := url.Values{}
			for k, v := range q {
				nq[k] = v
			}
			nq.Set("page[number]", strconv.Itoa(page+1))
			next = "https://api.fastly.invalid/events?" + nq.Encode()
		}
		fmt.Fprintf(w, `{"data":[%s],"links":{"next":%q}}`, join(items), next)
	}
}

func join(items []string) string {
	out := ""
	for i, s := range items {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func TestEventsFollowsLinksNextPerTypeAndMergesNewestFirst(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/events"] = pagedEvents(250)
	res, err := c.Events(context.Background(), EventsQuery{
		Types: []string{"version.activate", "service.purge_all"}, From: eventsFrom, To: eventsFrom.Add(24 * time.Hour),
	})
	require.NoError(t, err)
	assert.False(t, res.Truncated)
	require.Len(t, res.Events, 500, "250 of each type over three pages each")
	assert.True(t, sort.SliceIsSorted(res.Events, func(i, j int) bool { return res.Events[i].CreatedAt.After(res.Events[j].CreatedAt) }))
	pages := map[string][]string{}
	for _, q := range rec.queries() {
		assert.False(t, q.Has("filter[service_id]"), "no services: every service")
		pages[q.Get("filter[event_type]")] = append(pages[q.Get("filter[event_type]")], q.Get("page[number]"))
	}
	assert.Equal(t, []string{"1", "2", "3"}, pages["version.activate"])
	assert.Equal(t, []string{"1", "2", "3"}, pages["service.purge_all"])
}

func TestEventsIsBoundedAndManyServicesAreFilteredHere(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/events"] = pagedEvents(5000)
	res, err := c.Events(context.Background(), EventsQuery{Types: []string{"version.activate"}, From: eventsFrom, To: eventsFrom.Add(1000 * time.Hour)})
	require.NoError(t, err)
	assert.True(t, res.Truncated)
	assert.Len(t, res.Events, maxEventPages*eventsPageSize)

	rec2, c2 := newFake(t)
	rec2.handlers["/events"] = pagedEvents(3)
	var many []string
	for i := 0; i < 30; i++ {
		many = append(many, fmt.Sprintf("other%d", i))
	}
	res, err = c2.Events(context.Background(), EventsQuery{Types: []string{"version.activate"}, Services: many, From: eventsFrom, To: eventsFrom.Add(time.Hour)})
	require.NoError(t, err)
	assert.Empty(t, res.Events, "svc1's events are dropped: it was not asked for")
	require.Len(t, rec2.queries(), 1, "30 services are one unfiltered call, not 30")

	_, err = c2.Events(context.Background(), EventsQuery{Services: []string{"../x"}, From: eventsFrom, To: eventsFrom})
	assert.ErrorContains(t, err, "not a Fastly service id")
}

func TestEventsLoopingLinkIsAnError(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/events"] = func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"data":[{"id":"a","attributes":{"created_at":"2021-11-03T01:00:00Z"}}],"links":{"next":"/events?page[number]=1&page[size]=100"}}`)
	}
	_, err := c.Events(context.Background(), EventsQuery{From: eventsFrom, To: eventsFrom.Add(time.Hour)})
	assert.ErrorContains(t, err, "pagination looped")
}

func TestUserLoginIsBestEffortAndCached(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/user/u1"] = func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"id":"u1","login":"ops@example.com","name":"Ops"}`)
	}
	assert.Equal(t, "ops@example.com", c.UserLogin(context.Background(), "u1"))
	assert.Equal(t, "ops@example.com", c.UserLogin(context.Background(), "u1"))
	assert.Equal(t, "", c.UserLogin(context.Background(), "u2"), "a 404 leaves the id to the caller")
	assert.Equal(t, "", c.UserLogin(context.Background(), "u2"))
	assert.Equal(t, "", c.UserLogin(context.Background(), "x/y"))
	assert.Len(t, rec.queries(), 2, "one call per user, failures included")
}

func TestEventMetadataOfAnyShapeDoesNotFailThePage(t *testing.T) {
	assert.Equal(t, map[string]any{"version": float64(12)}, metadataObject(json.RawMessage(`{"version":12}`)))
	assert.Nil(t, metadataObject(json.RawMessage(`[]`)))
	assert.Nil(t, metadataObject(json.RawMessage(`null`)))
	assert.Nil(t, metadataObject(nil))
}

// TestManyEventTypesAreOneChainFilteredHere: the 10,000 types made 10,003 calls; more
// than maxTypeChains types are one unfiltered chain, and only the asked types come back.
func TestManyEventTypesAreOneChainFilteredHere(t *testing.T) {
	rec, c := newFake(t)
	rec.handlers["/events"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"data":[
			{"id":"e1","attributes":{"event_type":"version.activate","service_id":"svc1","created_at":"2021-11-03T10:00:00Z"}},
			{"id":"e2","attributes":{"event_type":"token.create","service_id":"svc1","created_at":"2021-11-03T10:01:00Z"}},
			{"id":"e3","attributes":{"event_type":"service.purge_all","service_id":"svc1","created_at":"2021-11-03T10:02:00Z"}}],"links":{}}`)
	}
	types := []string{"version.activate", "service.purge_all", "a", "b", "c", "d", "e"}
	res, err := c.Events(context.Background(), EventsQuery{Types: types, Services: []string{"svc1"}, From: eventsFrom, To: eventsFrom.Add(24 * time.Hour)})
	require.NoError(t, err)
	require.Len(t, rec.queries(), 1, "seven types are one call")
	assert.False(t, rec.queries()[0].Has("filter[event_type]"))
	assert.Equal(t, "svc1", rec.queries()[0].Get("filter[service_id]"))
	var got []string
	for _, e := range res.Events {
		got = append(got, e.ID)
	}
	assert.Equal(t, []string{"e3", "e1"}, got, "token.create was not asked for")

	rec.reset()
	_, err = c.Events(context.Background(), EventsQuery{Types: types[:2], Services: []string{"svc1"}, From: eventsFrom, To: eventsFrom.Add(24 * time.Hour)})
	require.NoError(t, err)
	assert.Len(t, rec.queries(), 2, "a few types are filtered by Fastly, one chain each")
}
