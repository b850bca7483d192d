// Package fanout runs one query's upstream calls side by side and stops them together: once a
// call has failed the query, the calls still running are cancelled and the ones not started
// never start, so a bad id among thousands costs a few calls, not thousands.
package fanout

import (
	"context"
	"errors"
	"sync"
)

// errPanicked cancels the other calls when one panics; Run raises the panic itself, so this
// error is never returned.
var errPanicked = errors.New("a parallel call panicked")

// Run calls fn for i = 0..n-1, at most limit at once. The first error cancels the context the
// other calls run under and is the one returned: the errors that cancellation causes in the
// others come later and are dropped. If ctx ends first, its error is returned.
//
// A call that panics cancels the others like a failure, and the panic is raised again in the
// caller's goroutine once they have stopped: there the query's own recover turns it into that
// query's error, whereas a panic left in a worker goroutine would end the whole plugin.
func Run(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	var once, panicOnce sync.Once // the first error, and the first panic even after an error
	var first error
	var panicked any
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if p := recover(); p != nil {
					panicOnce.Do(func() { panicked = p })
					cancel(errPanicked)
				}
			}()
			if err := fn(ctx, i); err != nil {
				once.Do(func() { first = err })
				cancel(err)
			}
		}()
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
	if first != nil {
		return first
	}
	return context.Cause(ctx)
}
