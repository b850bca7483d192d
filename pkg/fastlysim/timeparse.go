package fastlysim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseWhen reads a stats from/to parameter the way the API does: Unix seconds, "now",
// "today"/"yesterday", "N <unit>s ago" (minute, hour, day, week, month), or a date/RFC 3339.
func parseWhen(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), nil
	}
	switch s {
	case "now":
		return now, nil
	case "today":
		return now.Truncate(24 * time.Hour), nil
	case "yesterday":
		return now.Truncate(24 * time.Hour).Add(-24 * time.Hour), nil
	}
	if f := strings.Fields(s); len(f) == 3 && f[2] == "ago" {
		n, err := strconv.Atoi(f[0])
		if err != nil || n < 0 {
			return time.Time{}, fmt.Errorf("invalid time %q", s)
		}
		unit := strings.TrimSuffix(f[1], "s")
		switch unit {
		case "second", "sec":
			return now.Add(-time.Duration(n) * time.Second), nil
		case "minute", "min":
			return now.Add(-time.Duration(n) * time.Minute), nil
		case "hour":
			return now.Add(-time.Duration(n) * time.Hour), nil
		case "day":
			return now.AddDate(0, 0, -n), nil
		case "week":
			return now.AddDate(0, 0, -7*n), nil
		case "month":
			return now.AddDate(0, -n, 0), nil
		case "year":
			return now.AddDate(-n, 0, 0), nil
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, strings.ToUpper(s)); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q", s)
}
