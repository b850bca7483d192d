package plugin

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"google.golang.org/grpc/codes"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/frames"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// TestClassifyEveryErrorClass pins the status, the source and the stream's gRPC code of every
// class of error the plugin meets, wrapped as the query paths wrap them.
func TestClassifyEveryErrorClass(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	api := func(status int) error { return &fastly.APIError{Status: status, Path: "/stats"} }
	network := func(reason fastly.NetReason) error {
		return &fastly.NetworkError{Path: "/stats", Reason: reason, Err: errors.New("cause")}
	}
	down, plugin := backend.ErrorSourceDownstream, backend.ErrorSourcePlugin
	cases := []struct {
		name   string
		err    error
		status backend.Status
		source backend.ErrorSource
		code   codes.Code
	}{
		{"no token", fastly.ErrNoToken, backend.StatusUnauthorized, down, codes.Unauthenticated},
		{"no token, refused by the query", userError{fastly.ErrNoToken}, backend.StatusUnauthorized, down, codes.Unauthenticated},
		{"refused query", userError{errors.New("pick a service")}, backend.StatusBadRequest, down, codes.InvalidArgument},
		{"query field's error", models.InField("metrics", errors.New("unknown metric")), backend.StatusBadRequest, down, codes.InvalidArgument},
		{"ratio added across series", fmt.Errorf("stats: %w", &frames.RatioSumError{Metric: "hit_ratio"}), backend.StatusBadRequest, down, codes.InvalidArgument},
		{"product not enabled", &fastly.ProductDisabledError{Product: fastly.ProductOriginInspector, ServiceID: "SU1Z0isxPaozGVKXdv0eY"}, backend.StatusBadRequest, down, codes.InvalidArgument},

		{"Fastly 400", api(400), backend.StatusBadRequest, down, codes.InvalidArgument},
		{"Fastly error in a 2xx body", api(0), backend.StatusBadRequest, down, codes.InvalidArgument},
		{"Fastly 401", api(401), backend.StatusUnauthorized, down, codes.Unauthenticated},
		{"Fastly 403", api(403), backend.StatusForbidden, down, codes.PermissionDenied},
		{"Fastly 404", api(404), backend.StatusNotFound, down, codes.NotFound},
		{"Fastly 409", api(409), backend.Status(409), down, codes.Unavailable},
		{"Fastly 429, wrapped", fmt.Errorf("services: %w", api(429)), backend.StatusTooManyRequests, down, codes.ResourceExhausted},
		{"Fastly 405: the plugin asked wrongly", api(405), backend.Status(405), plugin, codes.Internal},
		{"Fastly 413: the plugin asked too much", api(413), backend.Status(413), plugin, codes.Internal},
		{"Fastly 500", api(500), backend.StatusBadGateway, down, codes.Unavailable},
		{"Fastly 501", api(501), backend.StatusBadGateway, plugin, codes.Internal},
		{"Fastly 503", api(503), backend.StatusBadGateway, down, codes.Unavailable},

		{"unreadable answer", &fastly.DecodeError{Path: "/stats", Err: errors.New("unexpected EOF")}, backend.StatusBadGateway, down, codes.Unavailable},
		{"answer too large", &fastly.TooLargeError{Path: "/stats", Limit: 1 << 20}, backend.StatusBadGateway, down, codes.Unavailable},
		{"redirect refused", &fastly.RedirectError{Path: "/stats", Host: "https://elsewhere.example"}, backend.StatusBadGateway, down, codes.Unavailable},

		{"Fastly unreachable", network(fastly.NetUnreachable), backend.StatusBadGateway, down, codes.Unavailable},
		{"call timed out", network(fastly.NetTimedOut), backend.StatusTimeout, down, codes.DeadlineExceeded},
		{"call cancelled", network(fastly.NetCancelled), backend.StatusBadGateway, down, codes.Unavailable},
		{"TLS failed", network(fastly.NetTLSFailed), backend.StatusBadGateway, down, codes.Unavailable},
		{"proxy failed", network(fastly.NetProxyFailed), backend.StatusBadGateway, down, codes.Unavailable},

		{"deadline met between calls", fmt.Errorf("stats: %w", context.DeadlineExceeded), backend.StatusTimeout, down, codes.DeadlineExceeded},
		{"cancelled between calls", context.Canceled, backend.StatusBadGateway, down, codes.Unavailable},
		{"refused connection, bare", fmt.Errorf("dial: %w", refused), backend.StatusBadGateway, down, codes.Unavailable},
		{"certificate not verified, bare", x509.UnknownAuthorityError{}, backend.StatusBadGateway, down, codes.Unavailable},
		{"marked downstream", backend.DownstreamError(errors.New("upstream said no")), backend.StatusBadGateway, down, codes.Unavailable},
		{"marked plugin's, though a timeout", backend.PluginError(context.DeadlineExceeded), backend.StatusInternal, plugin, codes.Internal},
		{"the plugin's bug", errors.New("index out of range"), backend.StatusInternal, plugin, codes.Internal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, source := classify(c.err)
			assert.Equal(t, c.status, status, "status")
			assert.Equal(t, c.source, source, "source")
			assert.Equal(t, c.code, grpcCode(status, source), "gRPC code")
		})
	}
}
