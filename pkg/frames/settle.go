package frames

import (
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The one rule for historical buckets Fastly may still fill (stats and inspectors alike): a
// bucket that starts after settledBefore and is absent from the answer is unknown (null), not
// zero, and the frames carry a notice saying from when. Real-time seconds settle by Fastly's
// cursor instead (pkg/live/settle.go).

// settleDelay is how long after a bucket ends Fastly may still add to it (docs/fastly-api.md,
// "Late buckets": minutes lag up to 15 minutes, hours about 15 minutes, days until about 02:00
// UTC the next day).
func settleDelay(step int64) time.Duration {
	if step >= 86400 {
		return 3 * time.Hour
	}
	return 15 * time.Minute
}

// settledBefore is the start of the last bucket Fastly has finished with at now; buckets
// starting after it may still grow.
func settledBefore(now time.Time, step int64) int64 {
	return now.Add(-settleDelay(step)).Unix() - step
}

// mayStillFill reports whether bucket i starts after settledUntil, so its absence means
// "not reported yet" rather than "no traffic".
func (g grid) mayStillFill(i int, settledUntil int64) bool {
	return g.start+int64(i)*g.step > settledUntil
}

// withStillFilling adds the notice for a grid that reaches buckets Fastly may still fill.
func withStillFilling(notices []data.Notice, g grid, settledUntil int64) []data.Notice {
	out := append([]data.Notice(nil), notices...)
	if g.count > 0 && g.mayStillFill(g.count-1, settledUntil) {
		out = append(out, data.Notice{
			Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("Fastly may still be adding to buckets after %s UTC; absent ones are shown empty, not zero.",
				time.Unix(settledUntil+g.step, 0).UTC().Format("2006-01-02 15:04")),
		})
	}
	return out
}
