package fastly

import (
	"context"
	"sync"
	"time"
)

// cached keeps one slowly changing listing (services, POPs, regions) for a short while, and
// makes concurrent callers share one fetch, so a dashboard's many pickers and panels cost one
// call to Fastly.
type cached[T any] struct {
	ttl   time.Duration
	now   func() time.Time
	mu    sync.Mutex
	value T
	at    time.Time
	ok    bool
	wait  chan struct{} // non-nil while a fetch is under way
	err   error         // the last fetch's error, for callers that waited on it
	count cacheCounter
}

func newCached[T any](ttl time.Duration, count cacheCounter) *cached[T] {
	return &cached[T]{ttl: ttl, now: time.Now, count: count}
}

// get returns the cached value while fresh, or fetches it once for every concurrent caller.
// Errors are not cached: the next call tries again.
func (c *cached[T]) get(ctx context.Context, fetch func(context.Context) (T, error)) (T, error) {
	for {
		c.mu.Lock()
		if c.ok && c.now().Sub(c.at) < c.ttl {
			v := c.value
			c.mu.Unlock()
			c.count.record(true)
			return v, nil
		}
		if wait := c.wait; wait != nil {
			c.mu.Unlock()
			select {
			case <-wait:
				c.mu.Lock()
				err := c.err
				c.mu.Unlock()
				if err != nil {
					var zero T
					return zero, err
				}
				continue
			case <-ctx.Done():
				var zero T
				return zero, ctx.Err()
			}
		}
		wait := make(chan struct{})
		c.wait = wait
		c.mu.Unlock()
		c.count.record(false)

		v, err := fetch(ctx)

		c.mu.Lock()
		c.err = err
		if err == nil {
			c.value, c.at, c.ok = v, c.now(), true
		}
		c.wait = nil
		close(wait)
		c.mu.Unlock()
		return v, err
	}
}
