package fastly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fanout"
	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// Event is one entry of the account's audit log (GET /events): a version activated, a purge,
// a setting changed.
type Event struct {
	ID          string
	Type        string // event_type, e.g. version.activate
	Description string
	ServiceID   string
	UserID      string
	CreatedAt   time.Time
	Admin       bool           // done by Fastly staff
	Metadata    map[string]any // varies by type; version events carry "version"
}

// EventsQuery asks for events in [From, To] of some types, for some services.
type EventsQuery struct {
	Types    []string // one call chain per type; none means every type
	Services []string // none means every service
	From, To time.Time
}

// EventsResult is the events found, newest first, and whether a chain was cut short.
type EventsResult struct {
	Events    []Event
	Truncated bool
}

// Bounds of an events query: the audit log of a busy account is long, and annotations only
// need what fits on a panel.
const (
	eventsPageSize       = 100
	maxEventPages        = 10 // per call chain: 1000 events of one type for one service
	maxServiceFilterRuns = 24 // above this many (type, service) chains, filter services here instead
	maxTypeChains        = 6  // above this many types, ask for every type once and filter here
)

// Events lists audit events. /events filters one event type and one service per call, so the
// plugin makes one chain per (type, service) and follows links.next through every page (at
// most maxEventPages each); with many types or services it asks without that filter and keeps
// the wanted ones itself, so a long list costs one chain rather than one per entry. The links' host is ignored: pages are fetched from the configured
// API URL, so a link can never send the token elsewhere.
func (c *Client) Events(ctx context.Context, q EventsQuery) (*EventsResult, error) {
	for _, s := range q.Services {
		if !ValidID(s) {
			return nil, fmt.Errorf("%q is not a Fastly service id", safetext.Clip(s, 64))
		}
	}
	types, keepType := filterHere(q.Types, maxTypeChains)
	services, keepService := filterHere(q.Services, maxServiceFilterRuns/len(types))
	type chain struct{ typ, service string }
	var chains []chain
	for _, t := range types {
		for _, s := range services {
			chains = append(chains, chain{t, s})
		}
	}
	results := make([]*EventsResult, len(chains))
	err := fanout.Run(ctx, len(chains), inspectorParallel, func(ctx context.Context, i int) error {
		var err error
		results[i], err = c.eventsChain(ctx, chains[i].typ, chains[i].service, q.From, q.To)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &EventsResult{}
	seen := map[string]bool{}
	for _, r := range results {
		out.Truncated = out.Truncated || r.Truncated
		for _, e := range r.Events {
			if seen[e.ID] || (keepService != nil && !keepService[e.ServiceID]) || (keepType != nil && !keepType[e.Type]) {
				continue
			}
			// The filters are Fastly's; checking the range again costs nothing and keeps a
			// lenient server from widening the panel's annotations.
			if e.CreatedAt.Before(q.From) || e.CreatedAt.After(q.To) {
				continue
			}
			seen[e.ID] = true
			out.Events = append(out.Events, e)
		}
	}
	sort.SliceStable(out.Events, func(i, j int) bool {
		if !out.Events[i].CreatedAt.Equal(out.Events[j].CreatedAt) {
			return out.Events[i].CreatedAt.After(out.Events[j].CreatedAt)
		}
		return out.Events[i].ID < out.Events[j].ID
	})
	return out, nil
}

// filterHere decides how one /events filter is applied. Up to max values are sent to Fastly,
// one chain each; more, or none, become one chain without the filter ("") and, for more, the
// set of values the plugin keeps itself.
func filterHere(values []string, max int) (sent []string, keep map[string]bool) {
	if len(values) == 0 {
		return []string{""}, nil
	}
	if len(values) <= max {
		return values, nil
	}
	keep = make(map[string]bool, len(values))
	for _, v := range values {
		keep[v] = true
	}
	return []string{""}, keep
}

// eventsPage is one JSON:API page of /events.
type eventsPage struct {
	Data []struct {
		ID         string `json:"id"`
		Attributes struct {
			Description string          `json:"description"`
			EventType   string          `json:"event_type"`
			ServiceID   string          `json:"service_id"`
			UserID      string          `json:"user_id"`
			CreatedAt   string          `json:"created_at"`
			Admin       bool            `json:"admin"`
			Metadata    json.RawMessage `json:"metadata"` // an object for most types; read leniently
		} `json:"attributes"`
	} `json:"data"`
	Links struct {
		Next string `json:"next"`
	} `json:"links"`
}

// DecodeEventsPage reads one JSON:API page of /events: its events, and links.next ("" on the
// last page). Events without a readable created_at are left out: they cannot be placed on a
// panel.
func DecodeEventsPage(body []byte) ([]Event, string, error) {
	var page eventsPage
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, "", err
	}
	out := make([]Event, 0, len(page.Data))
	for _, d := range page.Data {
		at, err := time.Parse(time.RFC3339, d.Attributes.CreatedAt)
		if err != nil {
			continue
		}
		a := d.Attributes
		out = append(out, Event{
			ID: d.ID, Type: a.EventType, Description: a.Description, ServiceID: a.ServiceID,
			UserID: a.UserID, CreatedAt: at.UTC(), Admin: a.Admin, Metadata: metadataObject(a.Metadata),
		})
	}
	return out, page.Links.Next, nil
}

// eventsChain follows one filtered listing through its pages.
func (c *Client) eventsChain(ctx context.Context, typ, service string, from, to time.Time) (*EventsResult, error) {
	const path = "/events"
	params := url.Values{}
	params.Set("filter[created_at][gte]", from.UTC().Format(time.RFC3339))
	params.Set("filter[created_at][lte]", to.UTC().Format(time.RFC3339))
	if typ != "" {
		params.Set("filter[event_type]", typ)
	}
	if service != "" {
		params.Set("filter[service_id]", service)
	}
	params.Set("page[number]", "1")
	params.Set("page[size]", strconv.Itoa(eventsPageSize))
	out := &EventsResult{}
	for n := 0; ; n++ {
		if n == maxEventPages {
			out.Truncated = true
			return out, nil
		}
		body, err := c.getAPI(ctx, path, params)
		if err != nil {
			return nil, err
		}
		events, nextLink, err := DecodeEventsPage(body)
		if err != nil {
			return nil, &DecodeError{Path: path, Err: err}
		}
		out.Events = append(out.Events, events...)
		if nextLink == "" || len(events) == 0 {
			return out, nil
		}
		next, err := url.Parse(nextLink)
		if err != nil {
			return nil, &DecodeError{Path: path, Err: errors.New("its links.next is not a URL")}
		}
		// Keep the filters even if a link leaves some out; the link's own values win.
		nextParams := url.Values{}
		for k, v := range params {
			nextParams[k] = v
		}
		for k, v := range next.Query() {
			nextParams[k] = v
		}
		if nextParams.Get("page[number]") == params.Get("page[number]") {
			return nil, &DecodeError{Path: path, Err: errors.New("its links.next points at the same page: Fastly's pagination looped")}
		}
		params = nextParams
	}
}

// userTTL is how long a user lookup is trusted; logins almost never change.
const userTTL = time.Hour

// UserLogin returns the login (an e-mail address) of a Fastly user, for readable annotations.
// It is best effort: on any failure it returns "" and the caller shows the id.
func (c *Client) UserLogin(ctx context.Context, userID string) string {
	if !ValidID(userID) {
		return ""
	}
	if login, ok := c.users.get(userID); ok {
		return login
	}
	var u struct {
		Login string `json:"login"`
		Name  string `json:"name"`
	}
	if body, err := c.getAPI(ctx, "/user/"+url.PathEscape(userID), nil); err == nil {
		_ = json.Unmarshal(body, &u) // a body we cannot read leaves the id in place
	}
	login := u.Login
	if login == "" {
		login = u.Name
	}
	c.users.put(userID, login) // failures too: a token may not be allowed to read users
	return login
}

// metadataObject reads an event's metadata when it is an object; an array, null or anything
// else (types differ in what they carry) leaves it empty rather than failing the whole page.
func metadataObject(raw json.RawMessage) map[string]any {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
