package fastlysim

import (
	"time"
)

// MinuteRetention is how long the stats keep minutes. The plugin long assumed 35 days; Fastly's
// engineers' notes say about one day (docs/fastly-api.md, "Retention"). Each reading is a
// setting, so the plugin is tested under both, including the two ways the shorter one could
// show: refused, or answered without the old minutes.
type MinuteRetention int

const (
	// MinutesFor35Days keeps minutes 35 days, as the plugin long assumed. The default.
	MinutesFor35Days MinuteRetention = iota
	// MinutesRefusedAfterADay refuses by=minute (and the per-POP summary, which is built from
	// minutes) for a range starting more than a day ago, with HTTP 400.
	MinutesRefusedAfterADay
	// MinutesMissingAfterADay answers such a range with HTTP 200 but without the minutes older
	// than a day, and sums only the newer ones into the per-POP summary.
	MinutesMissingAfterADay
)

// minuteRetentionNames are the settings' names on the command line (fastlysim -minute-retention).
var minuteRetentionNames = []string{"35-days", "refused-after-a-day", "missing-after-a-day"}

// ParseMinuteRetention reads a setting by its command-line name.
func ParseMinuteRetention(name string) (MinuteRetention, error) {
	return parseSetting[MinuteRetention]("minute retention", minuteRetentionNames, name)
}

// SetMinuteRetention changes how long minutes are kept for the requests that follow.
func (s *Server) SetMinuteRetention(m MinuteRetention) {
	s.mu.Lock()
	s.minutes = m
	s.mu.Unlock()
}

// shortMinuteRetention is the engineers' "roughly one day".
const shortMinuteRetention = 24 * time.Hour

// minuteFloor says, for a range of minutes starting at from, whether it is refused and, when it
// is served, from when on its minutes exist (0: all of them).
func (s *Server) minuteFloor(from, now time.Time) (refused bool, floor int64) {
	s.mu.Lock()
	mode := s.minutes
	s.mu.Unlock()
	oldest := now.Add(-shortMinuteRetention)
	switch {
	case mode == MinutesRefusedAfterADay && from.Before(oldest):
		return true, 0
	case mode == MinutesMissingAfterADay:
		return false, oldest.Unix()
	}
	return false, 0
}
