package fastly

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	gofastly "github.com/fastly/go-fastly/v9/fastly"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// ErrNoToken means the data source has no Fastly API token configured.
var ErrNoToken = errors.New("no Fastly API token is configured: add one with scope global:read in the data source settings")

// APIError is an answer from Fastly other than 2xx, with Fastly's own explanation.
type APIError struct {
	Status  int    // HTTP status; 0 when the body itself said the call failed
	Path    string // the endpoint, without query or host
	Message string // Fastly's msg/detail/title, trimmed
	// RetryAfter is how long Fastly asked to wait (Retry-After); 0 when it did not say.
	RetryAfter time.Duration
	// RateLimitReset is when Fastly's hourly rate limit resets (Fastly-RateLimit-Reset on a 429);
	// zero when it did not say.
	RateLimitReset time.Time
}

func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("Fastly answered ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "%d %s", e.Status, http.StatusText(e.Status))
	} else {
		b.WriteString("with an error")
	}
	fmt.Fprintf(&b, " for %s", e.Path)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if hint := e.hint(); hint != "" {
		fmt.Fprintf(&b, " (%s)", hint)
	}
	return b.String()
}

// hint says what a Grafana user can do about the common failures.
func (e *APIError) hint() string {
	switch e.Status {
	case http.StatusUnauthorized:
		return "the API token was rejected: check it in the data source settings"
	case http.StatusForbidden:
		return "the token lacks access: it needs scope global:read and access to this service"
	case http.StatusNotFound:
		return "check the service id"
	case http.StatusTooManyRequests:
		switch {
		case e.RetryAfter > 0:
			return fmt.Sprintf("rate limited by Fastly; retry after %.0fs", e.RetryAfter.Seconds())
		case !e.RateLimitReset.IsZero():
			return "rate limited by Fastly; retry after " + e.RateLimitReset.UTC().Format("15:04:05 UTC")
		}
		return "rate limited by Fastly; retry shortly"
	}
	if e.Status >= 500 {
		return "a Fastly-side failure; retry shortly"
	}
	return ""
}

// DecodeError is an answer Fastly sent with success that could not be read (cut off, malformed
// or of an unexpected shape): Fastly's or the network's fault, never the query's.
type DecodeError struct {
	Path string
	Err  error
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("Fastly's answer for %s could not be read: %v", e.Path, e.Err)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// NetworkError is a failure to reach Fastly at all, classified so messages can say what to fix.
type NetworkError struct {
	Path   string
	Reason NetReason
	Err    error
}

// NetReason is why Fastly could not be reached. Code compares the constants; the text is what
// the error message says.
type NetReason string

// The reasons a call may not reach Fastly.
const (
	NetUnreachable NetReason = "unreachable"
	NetCancelled   NetReason = "cancelled"
	NetTimedOut    NetReason = "timed out"
	NetTLSFailed   NetReason = "TLS failed"
	NetProxyFailed NetReason = "proxy failed"
)

func (e *NetworkError) Error() string {
	return fmt.Sprintf("could not reach Fastly for %s: %s: %v", e.Path, e.Reason, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// RedirectError is a redirect the plugin refused to follow: to another host (which would
// have received the API token) or one hop too many.
type RedirectError struct {
	Path string
	Host string // the other scheme and host, e.g. "https://elsewhere.example"; "" when the chain was too long
}

func (e *RedirectError) Error() string {
	if e.Host != "" {
		return fmt.Sprintf("the answer for %s redirected to another host, %s: the plugin does not send the API token there (check the API and real-time URLs, and any proxy, in the data source settings)", e.Path, e.Host)
	}
	return fmt.Sprintf("the answer for %s redirected more than %d times: check the API and real-time URLs, and any proxy, in the data source settings", e.Path, maxRedirects)
}

// transportError classifies an error from the HTTP client; the package's own typed errors
// (raised inside the transport or the redirect policy) pass through as they are.
func transportError(path string, err error) error {
	if own := ownError(err); own != nil {
		return own
	}
	reason := NetUnreachable
	switch {
	case errors.Is(err, context.Canceled):
		reason = NetCancelled
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		reason = NetTimedOut
	case isTLSFailure(err):
		reason = NetTLSFailed
	case hasOp(err, "proxyconnect"): // how net/http wraps any failure to go through the proxy
		reason = NetProxyFailed
	}
	return &NetworkError{Path: path, Reason: reason, Err: err}
}

// isTLSFailure recognises a failed TLS handshake by its types: a certificate that does not
// verify, an answer that is not TLS, or an alert (which crypto/tls reports as a *net.OpError
// whose Op is "local error" or "remote error").
func isTLSFailure(err error) bool {
	var certErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var unknownAuth x509.UnknownAuthorityError
	var hostnameErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	return errors.As(err, &certErr) || errors.As(err, &recordErr) || errors.As(err, &alertErr) ||
		errors.As(err, &unknownAuth) || errors.As(err, &hostnameErr) || errors.As(err, &invalidErr) ||
		hasOp(err, "local error") || hasOp(err, "remote error")
}

// hasOp reports a *net.OpError for op anywhere in err's chain (a proxy's failure wraps the
// dial's, so the first one found is not enough).
func hasOp(err error, op string) bool {
	var opErr *net.OpError
	for errors.As(err, &opErr) {
		if opErr.Op == op {
			return true
		}
		err = opErr.Err
	}
	return false
}

// ownError finds one of the package's typed errors inside err (wrapped by net/http or
// go-fastly), or returns nil.
func ownError(err error) error {
	var apiErr *APIError
	var redirErr *RedirectError
	var largeErr *TooLargeError
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &redirErr):
		return redirErr
	case errors.As(err, &largeErr):
		return largeErr
	}
	return nil
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

// errorBody covers the error shapes Fastly uses (docs/fastly-api.md, "Errors"): {msg, detail},
// JSON:API errors[] {title, detail}, and RFC 7807 application/problem+json {title, detail} whose
// errors[] name the parameter and the reason ({property, reason}), as the Inspectors answer.
type errorBody struct {
	Msg    string `json:"msg"`
	Detail string `json:"detail"`
	Title  string `json:"title"`
	Errors []struct {
		Title    string `json:"title"`
		Detail   string `json:"detail"`
		Property string `json:"property"`
		Reason   string `json:"reason"`
	} `json:"errors"`
}

// newAPIError reads Fastly's explanation from an error answer. An upstream that echoes the
// request's Fastly-Key has it removed here, before the message is clipped.
func newAPIError(path string, resp *http.Response, body []byte) *APIError {
	if resp.Request != nil {
		body = []byte(safetext.Redact(string(body), resp.Request.Header.Get("Fastly-Key")))
	}
	e := &APIError{Status: resp.StatusCode, Path: path, Message: errorMessage(body)}
	if wait, ok := retryAfter(resp); ok {
		e.RetryAfter = wait
	} else if reset, err := strconv.ParseInt(resp.Header.Get("Fastly-RateLimit-Reset"), 10, 64); err == nil && resp.StatusCode == http.StatusTooManyRequests {
		e.RateLimitReset = time.Unix(reset, 0)
	}
	return e
}

// errorMessage extracts Fastly's explanation, falling back to a short excerpt of a non-JSON body.
func errorMessage(body []byte) string {
	var eb errorBody
	if json.Unmarshal(body, &eb) != nil {
		return excerpt(strings.TrimSpace(string(body)))
	}
	var parts []string
	for _, s := range []string{eb.Msg, eb.Title, eb.Detail} {
		if s != "" && !contains(parts, s) {
			parts = append(parts, s)
		}
	}
	for _, e := range eb.Errors {
		reason := e.Reason
		if reason != "" && e.Property != "" && !strings.Contains(reason, e.Property) {
			reason = e.Property + ": " + reason
		}
		for _, s := range []string{e.Title, e.Detail, reason} {
			if s != "" && !contains(parts, s) {
				parts = append(parts, s)
			}
		}
	}
	return excerpt(strings.Join(parts, ": "))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// excerpt keeps messages short enough for a panel's error box.
func excerpt(s string) string { return safetext.Clip(s, 300) }

// fromGoFastly maps go-fastly's errors into the package's own, so callers see one error model.
// Fastly's explanation is redacted, as newAPIError does.
func (c *Client) fromGoFastly(path string, err error) error {
	if err == nil {
		return nil
	}
	var he *gofastly.HTTPError
	if errors.As(err, &he) {
		e := &APIError{Status: he.StatusCode, Path: path}
		var parts []string
		for _, o := range he.Errors {
			for _, s := range []string{o.Title, o.Detail} {
				if s != "" && !contains(parts, s) {
					parts = append(parts, s)
				}
			}
		}
		e.Message = excerpt(safetext.Redact(strings.Join(parts, ": "), c.token))
		if he.RateLimitReset != nil && he.StatusCode == http.StatusTooManyRequests {
			e.RateLimitReset = time.Unix(int64(*he.RateLimitReset), 0)
		}
		return e
	}
	if errors.Is(err, ErrNoToken) {
		return err
	}
	if own := ownError(err); own != nil {
		return own
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) || isTimeout(err) {
		return transportError(path, err)
	}
	return &DecodeError{Path: path, Err: err} // go-fastly could not decode what Fastly sent
}
