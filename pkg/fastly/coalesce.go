package fastly

import (
	"context"
	"errors"
	"sync"
)

// coalescer makes concurrent identical GETs share one call to Fastly: a dashboard's panels
// often ask for the same service, range and fields at once. Bodies are shared read-only.
type coalescer struct {
	mu    sync.Mutex
	calls map[string]*flight
}

type flight struct {
	done chan struct{}
	body []byte
	err  error
}

// do runs fetch once per key among concurrent callers. A waiter whose leader was cancelled
// (the leader's panel closed) but who still wants the answer makes the call itself.
func (c *coalescer) do(ctx context.Context, key string, fetch func() ([]byte, error)) ([]byte, error) {
	for {
		c.mu.Lock()
		if c.calls == nil {
			c.calls = map[string]*flight{}
		}
		if f, ok := c.calls[key]; ok {
			c.mu.Unlock()
			select {
			case <-f.done:
				if isCancellation(f.err) && ctx.Err() == nil {
					continue
				}
				return f.body, f.err
			case <-ctx.Done():
				return nil, transportError(key, ctx.Err())
			}
		}
		f := &flight{done: make(chan struct{})}
		c.calls[key] = f
		c.mu.Unlock()

		f.body, f.err = fetch()

		c.mu.Lock()
		delete(c.calls, key)
		c.mu.Unlock()
		close(f.done)
		return f.body, f.err
	}
}

func isCancellation(err error) bool {
	var ne *NetworkError
	return errors.Is(err, context.Canceled) || (errors.As(err, &ne) && ne.Reason == NetCancelled)
}
