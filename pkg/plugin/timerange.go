package plugin

import (
	"errors"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// errEmptyRange is a time range that ends before it starts (a broken template or API call).
var errEmptyRange = errors.New("the time range is empty: it must end after it starts")

// errFutureRange is a range that starts after now (a "tomorrow" dashboard, a shifted panel):
// not a mistake, just nothing yet, so it answers with no data and a notice (errorResponse).
var errFutureRange = errors.New("the time range lies in the future: Fastly has no data for it yet")

// clipToNow ends a range at now, since Fastly has nothing later.
func (ds *Datasource) clipToNow(tr backend.TimeRange) (from, to, now time.Time, err error) {
	now = ds.now()
	from, to = tr.From, tr.To
	if !to.After(from) {
		return from, to, now, userError{errEmptyRange}
	}
	if !from.Before(now) {
		return from, to, now, errFutureRange
	}
	if to.After(now) {
		to = now
	}
	return from, to, now, nil
}

// bucketRange is a query's time range made ready for Fastly's bucketed APIs (stats, inspectors,
// usage).
type bucketRange struct {
	from, to   time.Time // from aligned down to a bucket start; to clipped at now
	now        time.Time
	resolution string
	step       int64         // bucket length in seconds
	notices    []data.Notice // e.g. a resolution coarsened because of Fastly's retention
	// unknownBefore (Unix seconds, 0 for none): buckets before it that Fastly did not send are
	// unknown, not idle (fetchSeries).
	unknownBefore int64
}

// bucketRange clips the range at now (Fastly has no future buckets), picks the resolution for
// at most maxPoints buckets, and aligns the start down to a bucket: Fastly returns only buckets
// that start inside the range, so the bucket the panel starts in would be missing otherwise.
func (ds *Datasource) bucketRange(resolution string, tr backend.TimeRange, maxPoints int64) (bucketRange, error) {
	from, to, now, err := ds.clipToNow(tr)
	if err != nil {
		return bucketRange{}, err
	}
	choice, err := models.ChooseResolution(resolution, from, to, now, maxPoints)
	if err != nil {
		return bucketRange{}, userError{err}
	}
	step := models.BucketSeconds(choice.Resolution)
	start := from.Unix() - from.Unix()%step
	if now.Sub(time.Unix(start, 0)) > models.Retention(choice.Resolution) {
		start += step // the bucket the range starts in is past Fastly's retention: begin after it
	}
	r := bucketRange{
		from:       time.Unix(start, 0).UTC(),
		to:         to,
		now:        now,
		resolution: choice.Resolution,
		step:       step,
	}
	if choice.Notice != "" {
		r.notices = []data.Notice{{Severity: data.NoticeSeverityInfo, Text: choice.Notice}}
	}
	return r, nil
}

// retentionSkew is how far Fastly's clock and the plugin's may disagree about retention.
const retentionSkew = 24 * time.Hour

// refused places Fastly's refusal (400) of a request for this range on the query's resolution
// when the range starts at the edge of the resolution's retention, or holds minutes older than
// the day Fastly's engineers say minutes are kept: the plugin checked
// retention by its own clock, Fastly by its own ("Minutely data is only available for the
// last 35 days"). Fastly names what it refused only in prose, which the plugin does not read,
// so a 400 for a range well inside retention (a field Fastly does not know, say) stays
// general rather than land on the wrong field.
func (r bucketRange) refused(err error) error {
	var apiErr *fastly.APIError
	if errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest &&
		(r.now.Sub(r.from) > models.Retention(r.resolution)-retentionSkew ||
			(r.resolution == models.ResolutionMinute && r.now.Sub(r.from) > minutesSurelyKept)) {
		return models.InField("resolution", err)
	}
	return err
}
