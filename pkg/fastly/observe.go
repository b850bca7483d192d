package fastly

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend/tracing"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// UpstreamSpan is the name of the span each request to Fastly gets.
const UpstreamSpan = "fastly.upstream"

// Attributes of the upstream span.
const (
	attrEndpoint      = attribute.Key("fastly.endpoint")
	attrStatus        = attribute.Key("fastly.status")
	attrResponseBytes = attribute.Key("fastly.response_bytes")
)

// observeTransport counts and traces every request to Fastly, each retry on its own (each
// costs Fastly's rate limit). It sits inside the retries and outside the body limit, so the
// bytes it counts are the decompressed ones the plugin holds. The span and the byte count end
// when the answer has been read or closed.
type observeTransport struct {
	next     http.RoundTripper
	basePath string // the configured URL's own path, which endpoint templates leave out
	metrics  *SourceMetrics
}

func (t observeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	endpoint := endpointOf(strings.TrimPrefix(req.URL.Path, t.basePath))
	ctx, span := tracing.DefaultTracer().Start(req.Context(), UpstreamSpan,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(attrEndpoint.String(endpoint), attribute.String("http.request.method", req.Method)))
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		status := failureStatus(err)
		t.metrics.requests.WithLabelValues(endpoint, status).Inc()
		span.SetAttributes(attrStatus.String(status))
		_ = tracing.Error(span, err)
		span.End()
		return nil, err
	}
	status := strconv.Itoa(resp.StatusCode)
	t.metrics.requests.WithLabelValues(endpoint, status).Inc()
	span.SetAttributes(attrStatus.String(status), attribute.Int("http.response.status_code", resp.StatusCode))
	if resp.StatusCode >= http.StatusBadRequest {
		span.SetStatus(codes.Error, http.StatusText(resp.StatusCode))
	}
	bytes := t.metrics.bytes.WithLabelValues(endpoint)
	body := &observedBody{ReadCloser: resp.Body}
	body.finish = sync.OnceFunc(func() {
		bytes.Add(float64(body.n))
		span.SetAttributes(attrResponseBytes.Int64(body.n))
		if body.err != nil {
			_ = tracing.Error(span, body.err)
		}
		span.End()
	})
	resp.Body = body
	return resp, nil
}

// failureStatus is the status label of a request that got no answer: the network failure's
// reason in snake case ("timed_out"), or "error".
func failureStatus(err error) string {
	var ne *NetworkError
	if errors.As(transportError("", err), &ne) {
		return strings.ReplaceAll(strings.ToLower(string(ne.Reason)), " ", "_")
	}
	return "error"
}

// observedBody counts what is read of an answer and reports once at its end.
type observedBody struct {
	io.ReadCloser
	n      int64
	err    error // a failure while reading (cut off, over the limit); nil at a clean end
	finish func()
}

func (b *observedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			b.err = err
		}
		b.finish()
	}
	return n, err
}

func (b *observedBody) Close() error {
	b.finish()
	return b.ReadCloser.Close()
}
