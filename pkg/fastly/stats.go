package fastly

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fanout"
)

// StatsQuery asks for historical stats of one service, or of every service.
type StatsQuery struct {
	ServiceID string // "" asks for every service the token can see (the map form of /stats)
	Fields    []FieldSpec
	From, To  time.Time
	By        string // minute, hour or day
	Region    string // "" for all regions
	// Datacenter narrows the answer to the POPs listed (comma-separated codes from
	// /datacenters, summed); "" for every POP. Never with Region: a region silently wins over
	// it (docs/fastly-api.md, "POP filter"). An answer whose meta.datacenter does not echo it
	// is a *DatacenterIgnoredError.
	Datacenter string
	// Now is the caller's clock, which says which buckets Fastly may still be filling (the
	// cache keeps only the others); zero means time.Now.
	Now time.Time
	// Fresh asks Fastly for the buckets it may still be filling even when another viewer asked
	// a moment ago: for a caller that must see what arrived after its own earlier calls.
	Fresh bool
}

// chunkSpan is the longest range asked for in one call per resolution. Fastly refuses
// "exceedingly large" queries without saying where the limit is; a day of minutes or a month of
// hours per call stays well inside what it serves.
func chunkSpan(by string) time.Duration {
	switch by {
	case "minute":
		return 24 * time.Hour
	case "hour":
		return 31 * 24 * time.Hour
	}
	return 0 // day: one call
}

// statsConcurrency bounds parallel chunk calls so one panel cannot flood the API.
const statsConcurrency = 4

// maxWholeRecords bounds how many whole records (~150 fields, ~5 KB each) one /stats call may
// bring: about 100 MB.
const maxWholeRecords = 20000

// Stats fetches and decodes historical stats with the plan that moves the fewest bytes in a
// bounded number of calls (planStats), splitting long ranges into chunks fetched in parallel
// and joining them back per service, in time order.
func (c *Client) Stats(ctx context.Context, q StatsQuery) (*StatsPayload, error) {
	return c.fetchGroups(ctx, q, c.planStats(ctx, q))
}

// wholeRecordsFit estimates one /stats chunk from the number of services the token sees.
func (c *Client) wholeRecordsFit(ctx context.Context, q StatsQuery) bool {
	services, err := c.Services(ctx)
	if err != nil {
		return false // unknown: take the path that is safe at any size
	}
	span := q.To.Sub(q.From)
	if chunk := chunkSpan(q.By); chunk > 0 && chunk < span {
		span = chunk
	}
	buckets := int64(span/max(GranularityStep(q.By), time.Second)) + 1 // unknown: many, the safe side
	return int64(len(services))*buckets <= maxWholeRecords
}

// statsChunks fetches one query's range in chunks, in parallel, and joins them in time order.
func (c *Client) statsChunks(ctx context.Context, q StatsQuery) (*StatsPayload, error) {
	chunks := splitRange(q.From, q.To, chunkSpan(q.By))
	results := make([]*StatsPayload, len(chunks))
	err := fanout.Run(ctx, len(chunks), statsConcurrency, func(ctx context.Context, i int) error {
		var err error
		results[i], err = c.statsChunk(ctx, q, chunks[i][0], chunks[i][1])
		return err
	})
	if err != nil {
		return nil, err
	}
	return mergeStats(results), nil
}

// errRegionAndDatacenter is a query with both filters: Fastly would answer for the region.
var errRegionAndDatacenter = errors.New("a stats query takes a region or POPs, not both: Fastly would silently answer for the whole region")

// DatacenterIgnoredError is an answer to a POP-filtered query whose meta does not echo the
// POPs asked for (docs/fastly-api.md, "POP filter"): Fastly did not apply the filter, so its
// numbers are not the POPs'.
type DatacenterIgnoredError struct {
	Path         string
	Sent, Echoed string // the codes asked for, and meta.datacenter ("" when absent or null)
}

func (e *DatacenterIgnoredError) Error() string {
	echo := "no datacenter"
	if e.Echoed != "" {
		echo = "datacenter " + e.Echoed
	}
	return fmt.Sprintf("Fastly did not filter %s by POP: asked for %s, its answer's meta names %s", e.Path, e.Sent, echo)
}

// sameCodes reports whether two comma-separated lists of POP codes name the same POPs.
func sameCodes(a, b string) bool {
	split := func(s string) []string {
		var out []string
		for _, c := range strings.Split(s, ",") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return slices.Equal(split(a), split(b))
}

func (c *Client) statsChunk(ctx context.Context, q StatsQuery, from, to time.Time) (*StatsPayload, error) {
	path := statsPath(q)
	if q.Region != "" && q.Datacenter != "" {
		return nil, errRegionAndDatacenter
	}
	params := url.Values{}
	params.Set("from", strconv.FormatInt(from.Unix(), 10))
	params.Set("to", strconv.FormatInt(to.Unix(), 10))
	params.Set("by", q.By)
	if q.Region != "" {
		params.Set("region", q.Region)
	}
	if q.Datacenter != "" {
		params.Set("datacenter", q.Datacenter)
	}
	body, err := c.getAPI(ctx, path, params)
	if err != nil {
		return nil, err
	}
	payload, err := DecodeStats(body, q.Fields)
	if err != nil {
		var se *StatsStatusError
		if errors.As(err, &se) {
			return nil, &APIError{Path: path, Message: se.Msg}
		}
		return nil, &DecodeError{Path: path, Err: err}
	}
	if q.Datacenter != "" && !sameCodes(payload.Meta.Datacenter, q.Datacenter) {
		return nil, &DatacenterIgnoredError{Path: path, Sent: q.Datacenter, Echoed: payload.Meta.Datacenter}
	}
	if q.ServiceID != "" {
		// The array form names the service only inside records, so an idle range names none.
		for i := range payload.Services {
			payload.Services[i].ServiceID = q.ServiceID
		}
	}
	return payload, nil
}

// statsPath picks the narrowest endpoint: a single field has its own, lighter form.
func statsPath(q StatsQuery) string {
	single := len(q.Fields) == 1
	switch {
	case q.ServiceID != "" && single:
		return "/stats/service/" + url.PathEscape(q.ServiceID) + "/field/" + url.PathEscape(q.Fields[0].Name)
	case q.ServiceID != "":
		return "/stats/service/" + url.PathEscape(q.ServiceID)
	case single:
		return "/stats/field/" + url.PathEscape(q.Fields[0].Name)
	}
	return "/stats"
}

// splitRange cuts [from, to) into pieces of at most span (span 0: one piece).
func splitRange(from, to time.Time, span time.Duration) [][2]time.Time {
	if span <= 0 || to.Sub(from) <= span {
		return [][2]time.Time{{from, to}}
	}
	var out [][2]time.Time
	for start := from; start.Before(to); start = start.Add(span) {
		end := start.Add(span)
		if end.After(to) {
			end = to
		}
		out = append(out, [2]time.Time{start, end})
	}
	return out
}

// mergeStats joins chunked payloads per service; chunks are in time order, so appending keeps
// records ordered. A bucket a chunk repeats from the one before (should Fastly treat "to" as
// inclusive) is kept once, never counted twice.
func mergeStats(parts []*StatsPayload) *StatsPayload {
	if len(parts) == 1 {
		return parts[0]
	}
	out := &StatsPayload{Meta: parts[0].Meta}
	index := map[string]int{}
	for _, p := range parts {
		for _, s := range p.Services {
			i, ok := index[s.ServiceID]
			if !ok {
				index[s.ServiceID] = len(out.Services)
				out.Services = append(out.Services, ServiceStats{ServiceID: s.ServiceID, Columns: make([]StatsColumn, len(s.Columns))})
				i = len(out.Services) - 1
			}
			dst := &out.Services[i]
			skip := 0
			if n := len(dst.StartTimes); n > 0 {
				for skip < len(s.StartTimes) && s.StartTimes[skip] <= dst.StartTimes[n-1] {
					skip++
				}
			}
			dst.StartTimes = append(dst.StartTimes, s.StartTimes[skip:]...)
			for c, col := range s.Columns {
				if col.Ints != nil {
					dst.Columns[c].Ints = append(dst.Columns[c].Ints, col.Ints[skip:]...)
				}
				if col.Floats != nil {
					dst.Columns[c].Floats = append(dst.Columns[c].Floats, col.Floats[skip:]...)
				}
			}
		}
	}
	sort.Slice(out.Services, func(i, j int) bool { return out.Services[i].ServiceID < out.Services[j].ServiceID })
	return out
}

// joinFields lays single-field answers (one per spec, same order) side by side per service and
// bucket. A bucket one field's answer lacks takes that field's absent value, as a missing key
// does in a whole record: 0, or NaN for a ratio.
func joinFields(specs []FieldSpec, parts []*StatsPayload) *StatsPayload {
	type joined struct {
		stats ServiceStats
		slot  map[int64]int
	}
	byID := map[string]*joined{}
	for k, p := range parts {
		for _, s := range p.Services {
			j := byID[s.ServiceID]
			if j == nil {
				j = &joined{stats: ServiceStats{ServiceID: s.ServiceID, Columns: make([]StatsColumn, len(specs))}, slot: map[int64]int{}}
				byID[s.ServiceID] = j
			}
			for r, t := range s.StartTimes {
				i, ok := j.slot[t]
				if !ok {
					i = len(j.stats.StartTimes)
					j.slot[t] = i
					j.stats.StartTimes = append(j.stats.StartTimes, t)
					for c, spec := range specs {
						j.stats.Columns[c].appendMissing(spec)
					}
				}
				if specs[k].Float {
					j.stats.Columns[k].Floats[i] = s.Columns[0].Floats[r]
				} else {
					j.stats.Columns[k].Ints[i] = s.Columns[0].Ints[r]
				}
			}
		}
	}
	out := &StatsPayload{Meta: parts[0].Meta}
	for _, j := range byID {
		out.Services = append(out.Services, j.stats)
	}
	sort.Slice(out.Services, func(a, b int) bool { return out.Services[a].ServiceID < out.Services[b].ServiceID })
	return out
}
