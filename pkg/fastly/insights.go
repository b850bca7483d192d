package fastly

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxInsightsLimit is the most rows Log Insights returns for one ranking.
const MaxInsightsLimit = 100

// InsightsQuery asks one Log Insights ranking ("visualization") for one service.
type InsightsQuery struct {
	Visualization string // e.g. top-url-by-requests
	ServiceID     string
	Start, End    time.Time
	POPs          []string // POP codes; none = every POP
	Domain        string   // "" = every domain
	DomainExact   bool     // Domain must match exactly rather than as a part
	Limit         int      // 1..MaxInsightsLimit
}

// Entry is one key of a JSON object, in the order Fastly sent it; Text is the value as text
// (numbers keep their JSON spelling) and Number is set when the value is numeric.
type Entry struct {
	Key     string
	Text    string
	Number  float64
	Numeric bool
}

// InsightRow is one ranked row: the dimension's value (a URL, a status code, a country...),
// the attributes Fastly attached to it, and its values (usually one object; several for
// breakdowns such as a country's regions; none for rankings that carry none).
type InsightRow struct {
	Dimensions []Entry
	Attributes []Entry
	Values     [][]Entry
}

// InsightsResult is a ranking's rows in Fastly's order, at most the query's limit long.
// Truncated says Fastly sent more rows than asked (some rankings ignore limit) and the extra
// rows were dropped.
type InsightsResult struct {
	Rows      []InsightRow
	Truncated bool
}

// LogInsights fetches one ranking. Shapes are read leniently: keys spelled with hyphens
// (status-code) read as with underscores (status_code), numbers may come as strings, values
// may be absent, and a ranking that ignores limit is cut to it here.
func (c *Client) LogInsights(ctx context.Context, q InsightsQuery) (*InsightsResult, error) {
	if !ValidID(q.ServiceID) {
		return nil, fmt.Errorf("%q is not a Fastly service id", q.ServiceID)
	}
	if !validToken(q.Visualization) {
		return nil, fmt.Errorf("%q is not a Log Insights ranking name", q.Visualization)
	}
	if err := checkLimit("insights limit", q.Limit, MaxInsightsLimit); err != nil {
		return nil, err
	}
	v := url.Values{}
	v.Set("visualization", q.Visualization)
	v.Set("service_id", q.ServiceID)
	v.Set("start", rfc3339(q.Start))
	v.Set("end", rfc3339(q.End))
	v.Set("limit", strconv.Itoa(q.Limit))
	if len(q.POPs) > 0 {
		v.Set("pops", strings.Join(q.POPs, ","))
	}
	if q.Domain != "" {
		v.Set("domain", q.Domain)
		v.Set("domain_exact_match", strconv.FormatBool(q.DomainExact))
	}
	const path = "/observability/log-insights"
	env, err := c.getObservability(ctx, path, v)
	if err != nil {
		return nil, err
	}
	res, err := decodeInsightRows(env.Data)
	if err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	if len(res.Rows) > q.Limit {
		res.Rows, res.Truncated = res.Rows[:q.Limit], true
	}
	return res, nil
}

// insightRowJSON is one row as sent; objects stay raw so their key order survives.
type insightRowJSON struct {
	Dimensions          json.RawMessage   `json:"dimensions"`
	DimensionAttributes json.RawMessage   `json:"dimension_attributes"`
	Values              []json.RawMessage `json:"values"`
}

func decodeInsightRows(data json.RawMessage) (*InsightsResult, error) {
	var raw []insightRowJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("data is not a list of rows: %w", err)
	}
	out := &InsightsResult{Rows: make([]InsightRow, 0, len(raw))}
	for i, r := range raw {
		dims, err := orderedEntries(r.Dimensions)
		if err != nil {
			return nil, fmt.Errorf("row %d: dimensions: %w", i, err)
		}
		attrs, err := orderedEntries(r.DimensionAttributes)
		if err != nil {
			return nil, fmt.Errorf("row %d: dimension_attributes: %w", i, err)
		}
		row := InsightRow{Dimensions: dims, Attributes: attrs}
		for _, v := range r.Values {
			entries, err := orderedEntries(v)
			if err != nil {
				return nil, fmt.Errorf("row %d: values: %w", i, err)
			}
			row.Values = append(row.Values, entries)
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// orderedEntries reads a JSON object's keys in the order sent (null or absent: none), with
// hyphens in keys read as underscores.
func orderedEntries(raw json.RawMessage) ([]Entry, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("not an object")
	}
	var out []Entry
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string) // object keys are always strings
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		e := Entry{Key: strings.ReplaceAll(key, "-", "_"), Text: looseString(val)}
		if bytes.HasPrefix(bytes.TrimSpace(val), []byte("{")) || bytes.HasPrefix(bytes.TrimSpace(val), []byte("[")) {
			continue // nested structures carry no column value
		}
		e.Number, e.Numeric = looseNumber(val)
		out = append(out, e)
	}
	return out, nil
}

// validToken reports whether s is a lower-case API word (letters, digits, - and _), so a name
// sent as a query value is one Fastly could know.
func validToken(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
