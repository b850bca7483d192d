package fastly

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"time"
)

// SummaryRetention is how far back /service/{id}/stats/summary reaches: it is built from the
// minutes, and its window cannot start more than 35 days ago (docs/fastly-api.md, "Per-POP
// summary").
const SummaryRetention = 35 * 24 * time.Hour

// SummaryQuery asks one service's totals per POP over [From, To).
type SummaryQuery struct {
	ServiceID string
	Fields    []FieldSpec
	From, To  time.Time
}

// Summary fetches one service's totals per POP in one call (GET
// /service/{id}/stats/summary?start_time=&end_time=, epoch seconds). Fastly answers
// {"stats": {"<POP>": {...}}} with no envelope; each POP becomes a payload of one record of the
// service at From, its columns in the order of Fields, so it reads like a one-bucket /stats
// answer filtered by that POP. A POP Fastly leaves out had no traffic.
func (c *Client) Summary(ctx context.Context, q SummaryQuery) (map[string]*StatsPayload, error) {
	if !ValidID(q.ServiceID) {
		return nil, fmt.Errorf("%q is not a Fastly service id", q.ServiceID)
	}
	path := "/service/" + url.PathEscape(q.ServiceID) + "/stats/summary"
	params := url.Values{}
	params.Set("start_time", strconv.FormatInt(q.From.Unix(), 10))
	params.Set("end_time", strconv.FormatInt(q.To.Unix(), 10))
	body, err := c.getAPI(ctx, path, params)
	if err != nil {
		return nil, err
	}
	var env struct {
		Stats  map[string]map[string]json.RawMessage `json:"stats"`
		Status string                                `json:"status"`
		Msg    string                                `json:"msg"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	switch {
	case env.Status != "" && env.Status != "success":
		return nil, &APIError{Path: path, Message: env.Msg}
	case env.Stats == nil:
		return nil, &DecodeError{Path: path, Err: fmt.Errorf("it has no stats object")}
	case len(env.Stats) > maxPOPs:
		return nil, &DecodeError{Path: path, Err: fmt.Errorf("it has %d POPs, more than the %d Fastly could have", len(env.Stats), maxPOPs)}
	}
	out := make(map[string]*StatsPayload, len(env.Stats))
	for pop, rec := range env.Stats {
		s := ServiceStats{ServiceID: q.ServiceID, StartTimes: []int64{q.From.Unix()}, Columns: make([]StatsColumn, len(q.Fields))}
		for i, f := range q.Fields {
			v, err := summaryValue(rec[f.Name], f)
			if err != nil {
				return nil, &DecodeError{Path: path, Err: fmt.Errorf("%s, %s: %w", pop, f.Name, err)}
			}
			if f.Float {
				s.Columns[i].Floats = []float64{v}
			} else {
				s.Columns[i].Ints = []int64{int64(v)}
			}
		}
		out[pop] = &StatsPayload{Services: []ServiceStats{s}}
	}
	return out, nil
}

// summaryValue reads one field of a POP's record as the stats decoder does: absent or null is
// 0, or NaN for a ratio; an integer field must be a whole number.
func summaryValue(raw json.RawMessage, f FieldSpec) (float64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		if f.Ratio {
			return math.NaN(), nil
		}
		return 0, nil
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %s", safeExcerpt(raw))
	}
	if !f.Float && (v != math.Trunc(v) || math.Abs(v) >= 1<<63) {
		return 0, fmt.Errorf("not a whole number: %s", safeExcerpt(raw))
	}
	return v, nil
}

// safeExcerpt quotes at most a few bytes of a value in an error.
func safeExcerpt(raw []byte) string {
	if len(raw) > 32 {
		raw = raw[:32]
	}
	return strconv.Quote(string(raw))
}
