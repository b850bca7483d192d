package live

import (
	"errors"
	"net/http"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// terminal reports answers that retrying cannot fix: a rejected token, a service the token
// cannot see, a malformed request.
func terminal(err error) bool {
	var apiErr *fastly.APIError
	if errors.Is(err, fastly.ErrNoToken) {
		return true
	}
	if !errors.As(err, &apiErr) {
		return false
	}
	switch apiErr.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusBadRequest:
		return true
	}
	return false
}

// TokenRejectedError ends a stream because Fastly refused the token (401/403) or the service.
type TokenRejectedError struct{ Err error }

func (e *TokenRejectedError) Error() string {
	return "the real-time stream stopped: " + e.Err.Error()
}

func (e *TokenRejectedError) Unwrap() error { return e.Err }

func tokenError(err error) error { return &TokenRejectedError{Err: err} }

// retryAfter is how long Fastly asked the plugin to wait (429 with Retry-After), or 0.
func retryAfter(err error) time.Duration {
	var apiErr *fastly.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusTooManyRequests {
		return 0
	}
	return min(apiErr.RetryAfter, 5*time.Minute)
}
