package fastly

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrNoLogData is Fastly's "data": null from the Log Explorer & Insights endpoints: it answers
// 200 that way for a service without the product and for a window older than about 7 days,
// so it is neither an error nor an empty result. Callers explain it instead of showing nothing.
var ErrNoLogData = errors.New("Fastly returned no sampled-log data (\"data\": null): " +
	"Log Explorer & Insights is either not enabled on this service or the time range starts more than about 7 days ago, " +
	"beyond the sampled logs Fastly keeps. Pick a range within the last 7 days, or enable the product on the service")

// LogRetention is how far back Fastly keeps the sampled logs behind Log Explorer & Insights.
const LogRetention = 7 * 24 * time.Hour

// observabilityEnvelope is what every /observability answer shares: data, which may be null,
// and the error fields some failures carry with a 200.
type observabilityEnvelope struct {
	Data   json.RawMessage `json:"data"`
	Meta   json.RawMessage `json:"meta"`
	Status string          `json:"status"`
	Msg    string          `json:"msg"`
}

// getObservability makes one GET under /observability (bodyLimits gives these answers their own
// byte limit) and returns the envelope. "data": null (or absent) is ErrNoLogData.
func (c *Client) getObservability(ctx context.Context, path string, query url.Values) (*observabilityEnvelope, error) {
	if c.token == "" {
		return nil, ErrNoToken
	}
	u := c.apiURL + path + "?" + query.Encode()
	body, err := c.inflight.do(ctx, u, func() ([]byte, error) { return c.fetch(ctx, path, u) })
	if err != nil {
		return nil, err
	}
	var env observabilityEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, &DecodeError{Path: path, Err: err}
	}
	if env.Status != "" && env.Status != "success" {
		return nil, &APIError{Path: path, Message: strings.TrimSpace(env.Status + " " + env.Msg)}
	}
	if len(env.Data) == 0 || bytes.Equal(bytes.TrimSpace(env.Data), []byte("null")) {
		return nil, ErrNoLogData
	}
	return &env, nil
}

// rfc3339 formats a time as the observability endpoints take it.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// looseString reads a JSON scalar as text: Fastly sends some fields as numbers in one answer
// and strings in another (status codes, booleans).
func looseString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// looseNumber reads a JSON number or a numeric string; ok is false for null, absent or text.
func looseNumber(raw json.RawMessage) (float64, bool) {
	s := looseString(raw)
	if s == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// checkLimit says what is wrong with a row limit outside [1, most].
func checkLimit(what string, n, most int) error {
	if n < 1 || n > most {
		return fmt.Errorf("the %s must be between 1 and %d, not %d", what, most, n)
	}
	return nil
}
