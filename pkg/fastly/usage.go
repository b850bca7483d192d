package fastly

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// UsageTotals is what Fastly bills by: bytes, requests and Compute requests over a period.
// Integers, because month-long byte totals pass 2^53.
type UsageTotals struct {
	Bandwidth       int64 `json:"bandwidth"`
	Requests        int64 `json:"requests"`
	ComputeRequests int64 `json:"compute_requests"`
}

// UnmarshalJSON reads each total exactly when it is an integer and rounds it when Fastly sends
// a fractional or exponent form (1.5e3), rather than failing the whole usage answer.
func (u *UsageTotals) UnmarshalJSON(b []byte) error {
	var raw struct {
		Bandwidth       json.Number `json:"bandwidth"`
		Requests        json.Number `json:"requests"`
		ComputeRequests json.Number `json:"compute_requests"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var err error
	for _, f := range []struct {
		dst *int64
		n   json.Number
	}{{&u.Bandwidth, raw.Bandwidth}, {&u.Requests, raw.Requests}, {&u.ComputeRequests, raw.ComputeRequests}} {
		if *f.dst, err = usageInt(f.n); err != nil {
			return err
		}
	}
	return nil
}

// usageInt converts one total: "" (absent) is 0, integers stay exact, other numbers round.
func usageInt(n json.Number) (int64, error) {
	if n == "" {
		return 0, nil
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(f, 0) || math.Abs(f) >= 1<<63 {
		return 0, fmt.Errorf("usage total %s is not a number this plugin can count", n)
	}
	return int64(math.Round(f)), nil
}

// Add sums two totals.
func (u UsageTotals) Add(o UsageTotals) UsageTotals {
	return UsageTotals{u.Bandwidth + o.Bandwidth, u.Requests + o.Requests, u.ComputeRequests + o.ComputeRequests}
}

// UsageRow is one region's (and, by service, one service's) totals.
type UsageRow struct {
	Region    string
	ServiceID string // "" in the per-region answer
	UsageTotals
}

// Usage fetches billing usage over [from, to): per region (GET /stats/usage) or per region
// and service (GET /stats/usage_by_service). The reference lists only from and to for these
// (docs/fastly-api.md, "Usage"), so nothing else is sent: no bucket size, and no region, which
// Fastly ignores there; callers filter regions themselves. Rows come sorted by region, then
// service.
func (c *Client) Usage(ctx context.Context, from, to time.Time, byService bool) ([]UsageRow, error) {
	path := "/stats/usage"
	if byService {
		path = "/stats/usage_by_service"
	}
	params := url.Values{}
	params.Set("from", strconv.FormatInt(from.Unix(), 10))
	params.Set("to", strconv.FormatInt(to.Unix(), 10))
	body, err := c.getAPI(ctx, path, params)
	if err != nil {
		return nil, err
	}
	rows, err := DecodeUsage(body, byService)
	if err != nil {
		var se *StatsStatusError
		if errors.As(err, &se) {
			return nil, &APIError{Path: path, Message: se.Msg}
		}
		return nil, &DecodeError{Path: path, Err: err}
	}
	return rows, nil
}

// usageEnvelope is the stats envelope with the usage map left raw, so the two shapes can be
// told apart: region -> totals, or region -> service -> totals.
type usageEnvelope struct {
	Status string                     `json:"status"`
	Msg    *string                    `json:"msg"`
	Data   map[string]json.RawMessage `json:"data"`
}

// DecodeUsage reads a /stats/usage (byService false) or /stats/usage_by_service answer.
func DecodeUsage(body []byte, byService bool) ([]UsageRow, error) {
	var env usageEnvelope
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&env); err != nil {
		return nil, err
	}
	if env.Status != "" && env.Status != "success" {
		msg := env.Status
		if env.Msg != nil && *env.Msg != "" {
			msg = *env.Msg
		}
		return nil, &StatsStatusError{Status: env.Status, Msg: msg}
	}
	var rows []UsageRow
	for region, raw := range env.Data {
		if !byService {
			var t UsageTotals
			if err := json.Unmarshal(raw, &t); err != nil {
				return nil, fmt.Errorf("region %s: %w", region, err)
			}
			rows = append(rows, UsageRow{Region: region, UsageTotals: t})
			continue
		}
		var services map[string]UsageTotals
		if err := json.Unmarshal(raw, &services); err != nil {
			return nil, fmt.Errorf("region %s: %w", region, err)
		}
		for id, t := range services {
			rows = append(rows, UsageRow{Region: region, ServiceID: id, UsageTotals: t})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Region != rows[j].Region {
			return rows[i].Region < rows[j].Region
		}
		return rows[i].ServiceID < rows[j].ServiceID
	})
	return rows, nil
}
