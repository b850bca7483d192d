// Package spantest records the spans the plugin's code starts through the SDK's default
// tracer, so tests can check what a call traced. The provider is process-wide (the SDK's
// tracer is), so each test starts its own root span and reads only the spans of its trace:
// tests running beside it do not mix in. It is shared by the fastly and plugin tests;
// production code never imports it.
package spantest

import (
	"context"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

var (
	installOnce sync.Once
	recorder    *tracetest.SpanRecorder
	provider    *sdktrace.TracerProvider
)

// install makes every span of the process recorded, once.
func install() {
	installOnce.Do(func() {
		recorder = tracetest.NewSpanRecorder()
		provider = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
		otel.SetTracerProvider(provider)
	})
}

// Trace is one test's trace: its root span, and the spans that ended under it.
type Trace struct {
	Root trace.SpanContext
}

// Start begins a test's root span and returns the context to make the calls under test with.
func Start(t testing.TB) (context.Context, *Trace) {
	t.Helper()
	install()
	ctx, span := provider.Tracer("spantest").Start(context.Background(), t.Name())
	t.Cleanup(func() { span.End() })
	return ctx, &Trace{Root: span.SpanContext()}
}

// Ended lists the spans of the trace that have ended, in the order they ended.
func (tr *Trace) Ended() []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range recorder.Ended() {
		if s.SpanContext().TraceID() == tr.Root.TraceID() {
			out = append(out, s)
		}
	}
	return out
}

// Named lists the ended spans of the trace called name.
func (tr *Trace) Named(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tr.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// Attrs is a span's attributes by key, as strings, for plain comparisons.
func Attrs(s sdktrace.ReadOnlySpan) map[string]string {
	out := map[string]string{}
	for _, kv := range s.Attributes() {
		out[string(kv.Key)] = kv.Value.String()
	}
	return out
}
