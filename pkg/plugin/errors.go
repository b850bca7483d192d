package plugin

import (
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"google.golang.org/grpc/codes"
	grpcstatus "google.golang.org/grpc/status"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// userError marks a problem with the query or settings: the user can fix it, so it is a
// downstream error with a 400-class status, not a plugin failure.
type userError struct{ err error }

func (e userError) Error() string { return e.err.Error() }
func (e userError) Unwrap() error { return e.err }

// classify maps an error to the status Grafana shows and to who is at fault. The source of a
// Fastly answer follows the SDK's rule for an upstream HTTP status; an error already marked with
// a source (backend.DownstreamError, backend.PluginError) keeps it; and a bare failure the SDK
// recognises as the network's or the caller's (a timeout, a cancelled request, a refused
// connection) is downstream. Everything else is the plugin's own.
func classify(err error) (backend.Status, backend.ErrorSource) {
	var apiErr *fastly.APIError
	var netErr *fastly.NetworkError
	switch {
	case errors.Is(err, fastly.ErrNoToken):
		return backend.StatusUnauthorized, backend.ErrorSourceDownstream
	case isUserFault(err):
		return backend.StatusBadRequest, backend.ErrorSourceDownstream
	case errors.As(err, &apiErr):
		return apiStatus(apiErr.Status), backend.ErrorSourceFromHTTPStatus(apiErr.Status)
	case isUpstreamFault(err):
		return backend.StatusBadGateway, backend.ErrorSourceDownstream
	case errors.As(err, &netErr):
		// Always downstream: transportError builds a NetworkError only from the HTTP client's
		// failures to reach Fastly, some of which (a TLS alert, a proxy's refusal, a DNS server
		// that does not answer) the SDK's narrower rule does not recognise.
		return netStatus(netErr.Reason), backend.ErrorSourceDownstream
	case backend.IsPluginError(err):
		return backend.StatusInternal, backend.ErrorSourcePlugin
	case backend.IsDownstreamHTTPError(err):
		return netStatus(bareNetReason(err)), backend.ErrorSourceDownstream
	}
	return backend.StatusInternal, backend.ErrorSourcePlugin
}

// isUserFault reports a problem with the query or the settings, which the user can fix: a
// refused query (userError, a query field's error, a ratio the grouping would add up) or a
// paid product the service does not have.
func isUserFault(err error) bool {
	var ue userError
	var fe *models.FieldError
	var ratio *frames.RatioSumError
	var disabled *fastly.ProductDisabledError
	return errors.As(err, &ue) || errors.As(err, &fe) || errors.As(err, &ratio) || errors.As(err, &disabled)
}

// isUpstreamFault reports an answer that was not Fastly's to give: unreadable, too large, or a
// redirect the plugin refused.
func isUpstreamFault(err error) bool {
	var decodeErr *fastly.DecodeError
	var redirErr *fastly.RedirectError
	var largeErr *fastly.TooLargeError
	return errors.As(err, &decodeErr) || errors.As(err, &redirErr) || errors.As(err, &largeErr)
}

// apiStatus is the status of Fastly's refusal: a 4xx passes through (Fastly's word on the
// request), a 5xx is the gateway's failure, not the plugin's 500, and 0 (a 2xx whose body said
// the call failed) is a bad request.
func apiStatus(code int) backend.Status {
	switch {
	case code == 0:
		return backend.StatusBadRequest
	case code >= 400 && code < 500:
		return backend.Status(code)
	}
	return backend.StatusBadGateway
}

// netStatus is the status of a call that did not reach Fastly: a timeout is the gateway's
// timeout, anything else a bad gateway.
func netStatus(reason fastly.NetReason) backend.Status {
	if reason == fastly.NetTimedOut {
		return backend.StatusTimeout
	}
	return backend.StatusBadGateway
}

// bareNetReason is the reason that matters for the status of a downstream failure not wrapped
// in a NetworkError (a deadline or cancellation met between calls). context.DeadlineExceeded,
// like a network timeout, reports Timeout.
func bareNetReason(err error) fastly.NetReason {
	var t interface{ Timeout() bool }
	if errors.As(err, &t) && t.Timeout() {
		return fastly.NetTimedOut
	}
	return fastly.NetUnreachable
}

// errorResponse turns an error into a query's failed response; the token never reaches it.
// A range in the future is no failure: it answers with an empty frame and a notice.
func (ds *Datasource) errorResponse(err error) backend.DataResponse {
	if errors.Is(err, errFutureRange) {
		frame := data.NewFrame("")
		frame.SetMeta(&data.FrameMeta{
			Type:        data.FrameTypeTimeSeriesMulti,
			TypeVersion: data.FrameTypeVersion{0, 1},
			Notices:     []data.Notice{{Severity: data.NoticeSeverityInfo, Text: errFutureRange.Error()}},
		})
		return backend.DataResponse{Frames: data.Frames{frame}}
	}
	status, source := classify(err)
	resp := backend.ErrDataResponseWithSource(status, source, ds.redact(err.Error()))
	if field := queryField(err); field != "" {
		// The query field at fault, as data: the editor places the message there.
		frame := data.NewFrame("")
		frame.SetMeta(&data.FrameMeta{Custom: map[string]string{"errorField": field}})
		resp.Frames = data.Frames{frame}
	}
	return resp
}

// queryField is the query field (its JSON name) an error concerns, or "" when it concerns none.
// A FieldError names it. Typed errors of the packages below are placed here, once: a ratio
// added across series is the grouping's; a paid product missing on a listed service, and
// Fastly's 404 to a data request (each data path names a service id from the query), are the
// services'.
func queryField(err error) string {
	var fe *models.FieldError
	var ratio *frames.RatioSumError
	var disabled *fastly.ProductDisabledError
	var apiErr *fastly.APIError
	switch {
	case errors.As(err, &fe):
		return fe.Field
	case errors.As(err, &ratio):
		return "groupBy"
	case errors.As(err, &disabled):
		return "services"
	case errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound:
		return "services"
	}
	return ""
}

// streamError is what a stream handler returns for a failure: a gRPC status matching the
// error's class (Fastly's outage is Unavailable, not an Unknown error), with the message
// redacted.
func (ds *Datasource) streamError(err error) error {
	status, source := classify(err)
	return grpcstatus.Error(grpcCode(status, source), ds.redact(err.Error()))
}

// grpcCodes are the gRPC codes of the downstream statuses; any other downstream failure is
// Unavailable, and only the plugin's own bugs are Internal.
var grpcCodes = map[backend.Status]codes.Code{
	backend.StatusBadRequest:      codes.InvalidArgument,
	backend.StatusUnauthorized:    codes.Unauthenticated,
	backend.StatusForbidden:       codes.PermissionDenied,
	backend.StatusNotFound:        codes.NotFound,
	backend.StatusTooManyRequests: codes.ResourceExhausted,
	backend.StatusTimeout:         codes.DeadlineExceeded,
}

// grpcCode maps a failure's status and source to the gRPC code Grafana logs.
func grpcCode(status backend.Status, source backend.ErrorSource) codes.Code {
	if source == backend.ErrorSourcePlugin {
		return codes.Internal
	}
	if code, ok := grpcCodes[status]; ok {
		return code
	}
	return codes.Unavailable
}
