package fastly

import (
	"io"
	"net/http"
	"sync"
)

// DefaultMaxConcurrent is how many calls one Client has open with Fastly at once, whatever the
// loops above it: a dashboard of many panels, each over many services, metric groups and
// day-long chunks, queues here instead of opening dozens of connections and meeting Fastly's
// rate limit. Real-time long polls are not counted: they wait on Fastly, not on the plugin.
const DefaultMaxConcurrent = 8

// slotTransport holds one of its client's slots from the moment a request goes out until its
// answer has been read (the body closed or read to the end), retries included.
type slotTransport struct {
	slots chan struct{}
	next  http.RoundTripper
}

func (t slotTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.slots <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		<-t.slots
		return nil, err
	}
	resp.Body = &slotBody{ReadCloser: resp.Body, release: sync.OnceFunc(func() { <-t.slots })}
	return resp, nil
}

// slotBody gives the slot back once the answer is read or closed, whichever comes first.
type slotBody struct {
	io.ReadCloser
	release func()
}

func (b *slotBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil {
		b.release()
	}
	return n, err
}

func (b *slotBody) Close() error {
	b.release()
	return b.ReadCloser.Close()
}
