package fastly

import (
	"cmp"
	"context"
	"math"
	"strings"
	"sync"
	"time"
)

// cacheTiming says, per resolution, how long after a bucket ends the cache waits before
// keeping it as final (settle), and how long the answer for a range's unsettled tail is reused
// by other panels and viewers asking for the same tail (tail).
//
// settle: Fastly's engineers say (docs/fastly-api.md, "Late buckets") minute buckets usually
// appear 2 minutes late but can lag 15, hour buckets about 15 minutes after the hour, day
// buckets around 02:00 UTC the next day. Each is doubled or more, since a bucket kept too early would be wrong for as long as the data source
// lives.
//
// tail: a dashboard refreshed every 5 s by ten viewers then costs Fastly a call every few
// seconds, not fifty. Those buckets are still shown as possibly incomplete (the frames'
// notice), never as final.
var cacheTiming = map[string]struct{ settle, tail time.Duration }{
	"minute": {30 * time.Minute, 10 * time.Second},
	"hour":   {time.Hour, time.Minute},
	"day":    {8 * time.Hour, 5 * time.Minute},
}

func cacheSettleDelay(by string) time.Duration { return timingOf(by).settle }

func tailTTL(by string) time.Duration { return timingOf(by).tail }

// timingOf falls back to the day's (the most careful) for a resolution it does not know.
func timingOf(by string) struct{ settle, tail time.Duration } {
	if t, ok := cacheTiming[by]; ok {
		return t
	}
	return cacheTiming["day"]
}

// statsCache is a Client's memory of stats answers: settled buckets for as long as they fit,
// and recent tails for tailTTL.
type statsCache struct {
	buckets *bucketCache
	mu      sync.Mutex
	tails   map[tailKey]tailAnswer

	bucketLookups, tailLookups cacheCounter
}

type tailKey struct {
	scope, fields, by, region, datacenter string
	from                                  int64
}

type tailAnswer struct {
	payload *StatsPayload
	to      int64
	at      time.Time
}

func newStatsCache(m *SourceMetrics) *statsCache {
	return &statsCache{
		buckets: newBucketCache(maxCachedRecords), tails: map[tailKey]tailAnswer{},
		bucketLookups: m.cache(cacheStatsBucket), tailLookups: m.cache(cacheStatsTail),
	}
}

// ForgetStats drops every cached stats answer; a data source being disposed calls it so the
// memory goes with it.
func (c *Client) ForgetStats() {
	c.statsCache.buckets.clear()
	c.statsCache.mu.Lock()
	c.statsCache.tails = map[tailKey]tailAnswer{}
	c.statsCache.mu.Unlock()
}

// statsCached answers one group of fields fetched together: the settled buckets it already
// has come from the cache, the rest from Fastly (statsChunks), and what Fastly sent that is
// now settled is kept for the next panel, viewer or refresh.
func (c *Client) statsCached(ctx context.Context, q StatsQuery) (*StatsPayload, error) {
	now := q.Now
	if now.IsZero() {
		now = time.Now()
	}
	step := int64(cmp.Or(GranularityStep(q.By), 24*time.Hour) / time.Second) // unknown: a day
	from, to := q.From.Unix(), q.To.Unix()
	settledEnd := min(alignDown(to, step), alignDown(now.Add(-cacheSettleDelay(q.By)).Unix(), step))

	cached := make([]bucketSeries, len(q.Fields))
	fetchFrom := to
	for i, f := range q.Fields {
		s, ok := c.statsCache.buckets.get(q.bucketKey(f.Name))
		if !ok || s.from > from || s.to <= from || from%step != 0 {
			fetchFrom, cached = from, nil
			break
		}
		cached[i] = s
		fetchFrom = min(fetchFrom, s.to)
	}
	// one lookup per query: a hit only when every field came from the cache, since one missing
	// field sends the whole query to Fastly again
	c.statsCache.bucketLookups.record(cached != nil)
	var fresh *StatsPayload
	if fetchFrom < to {
		tail := q
		tail.From = time.Unix(fetchFrom, 0).UTC()
		var err error
		if fresh, err = c.statsTail(ctx, tail, now, cached != nil); err != nil {
			return nil, err
		}
		if settledEnd > fetchFrom {
			for i, f := range q.Fields {
				c.statsCache.buckets.add(q.bucketKey(f.Name),
					bucketSeries{from: fetchFrom, to: settledEnd, services: column(fresh, i, fetchFrom, settledEnd)})
			}
		}
	}
	if cached == nil {
		return fresh, nil
	}
	parts := make([]*StatsPayload, len(q.Fields))
	for i := range q.Fields {
		parts[i] = &StatsPayload{}
		if fresh != nil {
			parts[i].Meta = fresh.Meta
		}
		for _, s := range cached[i].services {
			s = s.between(from, fetchFrom)
			parts[i].Services = append(parts[i].Services, ServiceStats{ServiceID: s.id, StartTimes: s.times, Columns: []StatsColumn{s.col}})
		}
		if fresh != nil {
			for _, s := range column(fresh, i, fetchFrom, math.MaxInt64) {
				parts[i].Services = append(parts[i].Services, ServiceStats{ServiceID: s.id, StartTimes: s.times, Columns: []StatsColumn{s.col}})
			}
			parts[i] = mergeStats(splitServices(parts[i]))
		}
	}
	return joinFields(q.Fields, parts), nil
}

// maxTails bounds the recent tails kept for reuse; each is a short range (what follows the
// cached buckets), so they are small.
const maxTails = 1024

// statsTail fetches a range that reaches into buckets Fastly may still be filling, reusing an
// answer for the same tail younger than tailTTL. Only short tails (share: they follow cached
// buckets) are kept; a first load's whole range is not.
func (c *Client) statsTail(ctx context.Context, q StatsQuery, now time.Time, share bool) (*StatsPayload, error) {
	ttl := tailTTL(q.By)
	live := share && q.To.After(now.Add(-ttl))
	names := make([]string, len(q.Fields))
	for i, f := range q.Fields {
		names[i] = f.Name
	}
	key := tailKey{q.ServiceID, strings.Join(names, ","), q.By, q.Region, q.Datacenter, q.From.Unix()}
	if live && !q.Fresh {
		c.statsCache.mu.Lock()
		a, ok := c.statsCache.tails[key]
		c.statsCache.mu.Unlock()
		fresh := ok && now.Sub(a.at) < ttl && a.to >= q.To.Add(-ttl).Unix()
		c.statsCache.tailLookups.record(fresh)
		if fresh {
			return a.payload, nil
		}
	}
	p, err := c.statsChunks(ctx, q)
	if err != nil || !live {
		return p, err
	}
	c.statsCache.mu.Lock()
	for k, a := range c.statsCache.tails {
		if now.Sub(a.at) >= tailTTL(k.by) {
			delete(c.statsCache.tails, k)
		}
	}
	if len(c.statsCache.tails) < maxTails {
		c.statsCache.tails[key] = tailAnswer{payload: p, to: q.To.Unix(), at: now}
	}
	c.statsCache.mu.Unlock()
	return p, nil
}

// column is field i of p, per service, for buckets starting in [lo, hi).
func column(p *StatsPayload, i int, lo, hi int64) []fieldSeries {
	out := make([]fieldSeries, 0, len(p.Services))
	for _, s := range p.Services {
		f := fieldSeries{id: s.ServiceID, times: s.StartTimes, col: s.Columns[i]}
		out = append(out, f.between(lo, hi))
	}
	return out
}

// splitServices turns a payload whose services each appear up to twice (cached part, then
// fresh part) into the two payloads mergeStats joins in time order.
func splitServices(p *StatsPayload) []*StatsPayload {
	first, second := &StatsPayload{Meta: p.Meta}, &StatsPayload{Meta: p.Meta}
	seen := map[string]bool{}
	for _, s := range p.Services {
		if seen[s.ServiceID] {
			second.Services = append(second.Services, s)
			continue
		}
		seen[s.ServiceID] = true
		first.Services = append(first.Services, s)
	}
	return []*StatsPayload{first, second}
}

func alignDown(t, step int64) int64 { return t - ((t%step)+step)%step }
