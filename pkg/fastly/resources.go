package fastly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	gofastly "github.com/fastly/go-fastly/v9/fastly"
)

// Service is one Fastly service as the pickers and labels need it.
type Service struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"` // "vcl" or "wasm"
}

// servicesPerPage is the largest page /service serves, so large accounts take few calls.
const servicesPerPage = 100

// Services lists every service the token can see (cached briefly).
func (c *Client) Services(ctx context.Context) ([]Service, error) {
	return c.services.get(ctx, c.fetchServices)
}

// fetchServices follows every page of /service by its Link header. Each service is listed
// once, and a page that brings no new service ends the paging: a paginator repeating pages
// (a proxy rewriting Link headers, say) must neither loop nor duplicate entries. An answer
// with entries but no ids is malformed, and fails rather than caching an empty list.
func (c *Client) fetchServices(ctx context.Context) ([]Service, error) {
	fc, err := c.goFastly(ctx)
	if err != nil {
		return nil, err
	}
	pages := fc.GetServices(&gofastly.GetServicesInput{PerPage: gofastly.ToPointer(servicesPerPage)})
	out := []Service{}
	seen := map[string]bool{}
	for n := 0; pages.HasNext(); n++ {
		if len(out) >= maxServices {
			return nil, &DecodeError{Path: "/service", Err: fmt.Errorf("it lists more than %d services, more than any account has", maxServices)}
		}
		page, err := nextPage(pages)
		if err != nil {
			return nil, c.fromGoFastly("/service", err)
		}
		added, withID := 0, 0
		for _, s := range page {
			if s == nil || s.ServiceID == nil || *s.ServiceID == "" {
				continue
			}
			withID++
			if seen[*s.ServiceID] {
				continue
			}
			seen[*s.ServiceID] = true
			out = append(out, Service{ID: *s.ServiceID, Name: deref(s.Name), Type: deref(s.Type)})
			added++
		}
		if len(page) > 0 && withID == 0 {
			return nil, &DecodeError{Path: "/service", Err: errors.New("its entries carry no service id")}
		}
		if added == 0 {
			break
		}
	}
	return out, nil
}

// maxServices bounds the service list: accounts with about a thousand services exist, and a
// list ten times longer is a paginator gone wrong, not an account.
const maxServices = 10000

// nextPage fetches one page, turning a panic inside go-fastly's Link parsing (it indexes the
// "page" parameter without checking) into an error, so a malformed header cannot crash the plugin.
func nextPage(p *gofastly.ListPaginator[gofastly.Service]) (page []*gofastly.Service, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("Fastly's pagination header could not be read: %v", r)
		}
	}()
	return p.GetNext()
}

// Token describes the API token in use, for the health check.
type Token struct {
	ID        string
	Name      string
	Scopes    []string  // e.g. global, global:read, purge_select
	Services  []string  // non-empty when the token is limited to these services
	ExpiresAt time.Time // zero when it never expires
}

// TokenSelf describes the configured token (GET /tokens/self). An answer without a token id
// or a scope is not Fastly's (a proxy's page, a stub answering {}), so it is a DecodeError
// rather than a token that seems to work.
func (c *Client) TokenSelf(ctx context.Context) (*Token, error) {
	fc, err := c.goFastly(ctx)
	if err != nil {
		return nil, err
	}
	t, err := fc.GetTokenSelf()
	if err != nil {
		return nil, c.fromGoFastly("/tokens/self", err)
	}
	out := &Token{ID: deref(t.TokenID), Name: deref(t.Name), Services: t.Services}
	if t.Scope != nil {
		out.Scopes = strings.Fields(string(*t.Scope))
	}
	if t.ExpiresAt != nil {
		out.ExpiresAt = *t.ExpiresAt
	}
	switch {
	case out.ID == "":
		return nil, &DecodeError{Path: "/tokens/self", Err: errors.New("it names no token id")}
	case len(out.Scopes) == 0:
		return nil, &DecodeError{Path: "/tokens/self", Err: errors.New("it names no scope")}
	}
	return out, nil
}

// POP is one Fastly point of presence.
type POP struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Group     string  `json:"group"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	// StatsRegion is the region whose stats include the POP, the value region= selects it by
	// (docs/fastly-api.md, "Regions and POPs"); "" where Fastly's list does not say.
	StatsRegion string `json:"statsRegion,omitempty"`
}

// maxPOPs bounds the POP list: Fastly lists under two hundred.
const maxPOPs = 2000

// POPs lists Fastly's points of presence (GET /datacenters), sorted by code (cached).
func (c *Client) POPs(ctx context.Context) ([]POP, error) {
	return c.pops.get(ctx, c.fetchPOPs)
}

// fetchPOPs reads /datacenters itself: go-fastly v9's Datacenter has no stats_region.
func (c *Client) fetchPOPs(ctx context.Context) ([]POP, error) {
	const path = "/datacenters"
	body, err := c.getAPI(ctx, path, nil)
	if err != nil {
		return nil, err
	}
	var raw []struct {
		Code        string `json:"code"`
		Name        string `json:"name"`
		Group       string `json:"group"`
		StatsRegion string `json:"stats_region"`
		Coordinates struct {
			Latitude  float64 `json:"latitude"`
			Longitude float64 `json:"longitude"`
		} `json:"coordinates"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	if len(raw) > maxPOPs {
		return nil, &DecodeError{Path: path, Err: fmt.Errorf("it lists %d POPs, more than the %d Fastly could have", len(raw), maxPOPs)}
	}
	out := make([]POP, 0, len(raw))
	for _, dc := range raw {
		if dc.Code == "" {
			continue
		}
		out = append(out, POP{Code: dc.Code, Name: dc.Name, Group: dc.Group, Latitude: dc.Coordinates.Latitude,
			Longitude: dc.Coordinates.Longitude, StatsRegion: dc.StatsRegion})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Regions lists the region codes the stats API accepts (GET /stats/regions, cached).
func (c *Client) Regions(ctx context.Context) ([]string, error) {
	return c.regions.get(ctx, c.fetchRegions)
}

func (c *Client) fetchRegions(ctx context.Context) ([]string, error) {
	body, err := c.getAPI(ctx, "/stats/regions", nil)
	if err != nil {
		return nil, err
	}
	var env struct {
		Status string   `json:"status"`
		Msg    *string  `json:"msg"`
		Data   []string `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, &DecodeError{Path: "/stats/regions", Err: err}
	}
	if env.Status != "success" {
		return nil, &APIError{Path: "/stats/regions", Message: deref(env.Msg)}
	}
	return env.Data, nil
}

func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}
