package models

import (
	"fmt"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// How long the plugin takes Fastly to keep minutely and hourly stats; daily beyond that. Fastly's
// engineers say minutes are kept about a day (docs/fastly-api.md, "Retention"), which the
// stats queries allow for on their own.
const (
	MinuteRetention = 35 * 24 * time.Hour
	HourRetention   = 375 * 24 * time.Hour
)

// defaultMaxDataPoints stands in when Grafana sends none (alert rules, API calls).
const defaultMaxDataPoints = 1500

// BucketSeconds is the length of one bucket of a resolution, in seconds (0 for an unknown one).
func BucketSeconds(resolution string) int64 {
	if resolution == ResolutionAuto {
		return 0
	}
	return int64(fastly.GranularityStep(resolution) / time.Second)
}

// Retention is how far back Fastly keeps a resolution.
func Retention(resolution string) time.Duration {
	switch resolution {
	case ResolutionMinute:
		return MinuteRetention
	case ResolutionHour:
		return HourRetention
	}
	return 1<<63 - 1
}

// ResolutionChoice is the resolution a stats query will use, with a notice when auto had to
// pick a coarser one than the panel's width allowed, because Fastly no longer keeps it.
type ResolutionChoice struct {
	Resolution string
	Notice     string
}

// ChooseResolution picks the bucket size for a range ending at to and starting at from, as of now.
// Auto takes the finest resolution that Fastly still keeps for the whole range and that gives at
// most maxDataPoints buckets. An explicit resolution Fastly cannot serve is an error that says
// what to pick instead (a FieldError on resolution): never a silently partial answer.
func ChooseResolution(requested string, from, to, now time.Time, maxDataPoints int64) (ResolutionChoice, error) {
	if !to.After(from) {
		return ResolutionChoice{}, fmt.Errorf("the time range is empty: it must end after it starts")
	}
	age := now.Sub(from)
	if requested != ResolutionAuto {
		if BucketSeconds(requested) == 0 {
			return ResolutionChoice{}, fieldErrorf("resolution", "unknown resolution %q: use auto, minute, hour or day", requested)
		}
		if age > Retention(requested) {
			return ResolutionChoice{}, fieldErrorf("resolution", "Fastly keeps %s data for %d days only, and this range starts %d days ago: choose a coarser resolution or auto",
				requested, int(Retention(requested).Hours()/24), int(age.Hours()/24))
		}
		return ResolutionChoice{Resolution: requested}, nil
	}
	if maxDataPoints <= 0 {
		maxDataPoints = defaultMaxDataPoints
	}
	span := int64(to.Sub(from) / time.Second)
	var skipped string
	for _, res := range []string{ResolutionMinute, ResolutionHour} {
		if span/BucketSeconds(res) > maxDataPoints {
			continue
		}
		if age > Retention(res) {
			if skipped == "" {
				skipped = res
			}
			continue
		}
		return ResolutionChoice{Resolution: res, Notice: coarsenedNotice(skipped, res)}, nil
	}
	return ResolutionChoice{Resolution: ResolutionDay, Notice: coarsenedNotice(skipped, ResolutionDay)}, nil
}

func coarsenedNotice(skipped, chosen string) string {
	if skipped == "" {
		return ""
	}
	return fmt.Sprintf("Showing %s data: Fastly keeps %s data for %d days only.", chosen, skipped, int(Retention(skipped).Hours()/24))
}
