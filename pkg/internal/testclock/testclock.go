// Package testclock is a clock for tests of code that paces itself (pollers, long polls):
// waiting on it takes no real time, so minutes of polling, backoff and outage run in
// milliseconds, in the order they would really happen, whatever the machine's speed. It is
// shared by the live and plugin tests; production code never imports it.
package testclock

import (
	"sync"
	"time"
)

// Step advances only when someone waits on it, and then at once: After moves the clock forward
// by d and fires immediately. The simulator's long polls and the pollers' pacing share one.
type Step struct {
	mu  sync.Mutex
	now time.Time
}

// New starts a clock at start.
func New(start time.Time) *Step { return &Step{now: start} }

// Now is the clock's current time.
func (c *Step) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// After moves the clock forward by d (not back, for a negative d) and fires at once.
func (c *Step) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	c.now = c.now.Add(max(d, 0))
	t := c.now
	c.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- t
	return ch
}
