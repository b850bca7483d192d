package fanout

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRunCallsEveryIndexWithinTheLimit(t *testing.T) {
	var running, peak, calls atomic.Int32
	seen := make([]atomic.Bool, 50)
	err := Run(context.Background(), 50, 4, func(_ context.Context, i int) error {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		seen[i].Store(true)
		calls.Add(1)
		running.Add(-1)
		return nil
	})
	assert.NoError(t, err)
	assert.Equal(t, int32(50), calls.Load())
	assert.LessOrEqual(t, peak.Load(), int32(4))
	for i := range seen {
		assert.True(t, seen[i].Load(), "index %d", i)
	}
}

// TestRunStopsAtTheFirstFailure: with 10,000 calls and the first one failing, the others
// still running see their context cancelled, no further call starts, and the cause is
// returned rather than the cancellations it caused.
func TestRunStopsAtTheFirstFailure(t *testing.T) {
	cause := errors.New("404 for the first service")
	release := make(chan struct{})
	var started atomic.Int32
	err := Run(context.Background(), 10000, 4, func(ctx context.Context, i int) error {
		started.Add(1)
		if i == 0 {
			<-release // the others are running by now or waiting for a slot
			return cause
		}
		if i < 4 {
			close1(release, i)
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	})
	assert.Equal(t, cause, err)
	assert.LessOrEqual(t, started.Load(), int32(8), "calls after the failure never started")
}

// close1 releases the failing call once the last of the first slots is taken.
func close1(release chan struct{}, i int) {
	if i == 3 {
		close(release)
	}
}

func TestRunReturnsTheContextsErrorWhenCancelledBeforehand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int32
	err := Run(ctx, 100, 4, func(context.Context, int) error { calls.Add(1); return nil })
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, calls.Load())
}

func TestRunRaisesACallsPanicInTheCallerAfterStoppingTheOthers(t *testing.T) {
	var cancelled atomic.Int32
	started := make(chan struct{})
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_ = Run(context.Background(), 3, 3, func(ctx context.Context, i int) error {
			if i == 0 {
				<-started // both others are running
				<-started
				panic("bad answer")
			}
			started <- struct{}{}
			<-ctx.Done()
			cancelled.Add(1)
			return ctx.Err()
		})
	}()
	assert.Equal(t, "bad answer", recovered)
	assert.Equal(t, int32(2), cancelled.Load(), "the other calls were cancelled and had returned before the panic was raised again")
}

func TestRunRaisesAPanicThatFollowsAnError(t *testing.T) {
	failed := make(chan struct{})
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_ = Run(context.Background(), 2, 2, func(ctx context.Context, i int) error {
			if i == 0 {
				close(failed)
				return errors.New("404")
			}
			<-failed
			<-ctx.Done() // cancelled by the failure, then panics on the way out
			panic("bad answer")
		})
	}()
	assert.Equal(t, "bad answer", recovered, "a panic is never swallowed by an earlier error")
}
