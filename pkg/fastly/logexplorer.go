package fastly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Bounds on one log query: Fastly pages sampled records newest first; a Logs panel shows a few
// hundred lines, so the plugin stops after MaxLogLines however many pages remain.
const (
	MaxLogLines    = 5000
	logPageLimit   = 100 // lines asked per page; Fastly's maximum is unpublished
	logPageDefault = 20  // Fastly's documented default page, the fallback if 100 is refused
	maxLogPages    = 300 // a cursor chain longer than this is a loop
)

// LogsQuery asks one service's sampled log records.
type LogsQuery struct {
	ServiceID  string
	Start, End time.Time
	Filters    []LogFilter
	MaxLines   int // 1..MaxLogLines
}

// LogRecord is one sampled request: its time and every field as sent, in order.
type LogRecord struct {
	Time   time.Time
	Fields []Entry
}

// Get is a field's value as text ("" when absent).
func (r LogRecord) Get(key string) string {
	for _, e := range r.Fields {
		if e.Key == key {
			return e.Text
		}
	}
	return ""
}

// LogsResult is the records read, newest first; More says Fastly had more when the line bound
// was reached.
type LogsResult struct {
	Records []LogRecord
	More    bool
}

// logsMeta holds the cursor; it sits in meta.filters.next_cursor, and is also read from
// meta.next_cursor in case an answer puts it there as the other observability APIs do.
type logsMeta struct {
	NextCursor string `json:"next_cursor"`
	Filters    struct {
		NextCursor string `json:"next_cursor"`
	} `json:"filters"`
}

func (m logsMeta) cursor() string {
	if m.Filters.NextCursor != "" {
		return m.Filters.NextCursor
	}
	return m.NextCursor
}

// LogRecords reads sampled records page by page, following the cursor until MaxLines records,
// the last page, or maxLogPages. A first page of "data": null is ErrNoLogData; a later null
// page ends the chain. The boolean filters are spelled as withFlagSpelling learns.
func (c *Client) LogRecords(ctx context.Context, q LogsQuery) (*LogsResult, error) {
	if !ValidID(q.ServiceID) {
		return nil, fmt.Errorf("%q is not a Fastly service id", q.ServiceID)
	}
	if err := checkLimit("log line limit", q.MaxLines, MaxLogLines); err != nil {
		return nil, err
	}
	var out *LogsResult
	err := c.withFlagSpelling(q.Filters, func(sp flagSpelling) error {
		var err error
		out, err = c.logPages(ctx, q, sp)
		return err
	})
	return out, err
}

// logPages follows one query's pages with the boolean filters spelled sp.
func (c *Client) logPages(ctx context.Context, q LogsQuery, sp flagSpelling) (*LogsResult, error) {
	v := url.Values{}
	v.Set("service_id", q.ServiceID)
	v.Set("start", rfc3339(q.Start))
	v.Set("end", rfc3339(q.End))
	if err := addLogFilters(v, q.Filters, sp); err != nil {
		return nil, err
	}
	const path = "/observability/log-explorer"
	out := &LogsResult{}
	seen := map[string]bool{}
	pageSize := logPageLimit
	for page := 0; len(out.Records) < q.MaxLines; page++ {
		if page == maxLogPages {
			return nil, &APIError{Path: path, Message: fmt.Sprintf("the records did not end after %d pages: narrow the range or the filters", maxLogPages)}
		}
		v.Set("limit", strconv.Itoa(min(pageSize, q.MaxLines-len(out.Records))))
		env, err := c.getObservability(ctx, path, v)
		if pageSize > logPageDefault && limitRefused(err) {
			pageSize = logPageDefault // a smaller maximum than the plugin's page: ask Fastly's default
			continue
		}
		if errors.Is(err, ErrNoLogData) && page > 0 {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		records, err := decodeLogRecords(env.Data)
		if err != nil {
			return nil, &DecodeError{Path: path, Err: err}
		}
		out.Records = append(out.Records, records...)
		var meta logsMeta
		_ = json.Unmarshal(env.Meta, &meta) // a meta of another shape just has no cursor
		next := meta.cursor()
		out.More = next != ""
		if !out.More {
			break
		}
		if seen[next] {
			return nil, &APIError{Path: path, Message: "the answer's next_cursor repeats: Fastly's pagination looped"}
		}
		seen[next] = true
		v.Set("next_cursor", next)
	}
	if len(out.Records) > q.MaxLines {
		out.Records, out.More = out.Records[:q.MaxLines], true
	}
	return out, nil
}

// limitRefused reports a 400 about the limit parameter: the page size Fastly will not serve.
func limitRefused(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(apiErr.Message), "limit")
}

// decodeLogRecords reads a page's records; a record without a readable timestamp is an error,
// since a log line cannot be placed without one.
func decodeLogRecords(data json.RawMessage) ([]LogRecord, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("data is not a list of records: %w", err)
	}
	out := make([]LogRecord, 0, len(raw))
	for i, r := range raw {
		fields, err := orderedEntries(r)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		rec := LogRecord{Fields: fields}
		var ok bool
		for _, f := range fields {
			if f.Key == "timestamp" {
				rec.Time, ok = parseLogTime(f)
			}
		}
		if !ok {
			return nil, fmt.Errorf("record %d has no readable timestamp", i)
		}
		out = append(out, rec)
	}
	return out, nil
}

// parseLogTime reads RFC 3339 text or a Unix number in seconds, milliseconds, microseconds or
// nanoseconds (told apart by size: these are recent times).
func parseLogTime(e Entry) (time.Time, bool) {
	if !e.Numeric {
		t, err := time.Parse(time.RFC3339Nano, e.Text)
		return t.UTC(), err == nil
	}
	n := e.Number
	if math.IsNaN(n) || math.IsInf(n, 0) || n <= 0 {
		return time.Time{}, false
	}
	switch {
	case n < 1e11:
		sec, frac := math.Modf(n)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
	case n < 1e14:
		return time.UnixMilli(int64(n)).UTC(), true
	case n < 1e17:
		return time.UnixMicro(int64(n)).UTC(), true
	}
	return time.Unix(0, int64(n)).UTC(), true
}
