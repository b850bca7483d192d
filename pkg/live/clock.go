// Package live runs Fastly real-time polling for Grafana Live: one poller per (service,
// product) shared by every channel, panel and viewer, fanning each second out to every
// subscription. It knows nothing of frames or Grafana; the plugin turns what it delivers into
// stream packets.
package live

import "time"

// Clock is the time source of the pollers: their pacing, backoff and gap notices. Tests swap
// in a clock that advances instantly, so a minutes-long outage runs in milliseconds.
type Clock interface {
	Now() time.Time
	// After is time.After: the channel receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

// RealClock is the wall clock.
type RealClock struct{}

// Now is time.Now.
func (RealClock) Now() time.Time { return time.Now() }

// After is time.After.
func (RealClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
