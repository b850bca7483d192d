package fastly

import (
	"container/list"
	"sort"
	"sync"
)

// maxCachedRecords bounds the settled-bucket cache of one Client: about 2 million bucket
// values (a start time and a value, 16 bytes each: ~32 MiB), e.g. a day of minutes for three
// fields of 450 services. Past it the least recently used series go first.
const maxCachedRecords = 2_000_000

// bucketKey names one cached series: one field at one resolution, region and POP filter, for
// one service or for every service at once (scope ""), as the endpoints answer them.
type bucketKey struct {
	scope, field, by, region, datacenter string
}

// bucketKey names the cached series of one of q's fields.
func (q StatsQuery) bucketKey(field string) bucketKey {
	return bucketKey{q.ServiceID, field, q.By, q.Region, q.Datacenter}
}

// bucketSeries is one field over a covered range of settled buckets, per service. Inside
// [from, to) every bucket is known: a bucket Fastly left out had no traffic. Its slices are
// never changed once stored, so readers share them.
type bucketSeries struct {
	from, to int64 // bucket starts covered, Unix seconds
	services []fieldSeries
}

// fieldSeries is one service's records of one field, in time order.
type fieldSeries struct {
	id    string
	times []int64
	col   StatsColumn
}

func (s bucketSeries) records() int {
	n := 0
	for _, f := range s.services {
		n += len(f.times) + 1
	}
	return n
}

// between is the part of s starting in [lo, hi), in new slices.
func (f fieldSeries) between(lo, hi int64) fieldSeries {
	a := sort.Search(len(f.times), func(i int) bool { return f.times[i] >= lo })
	b := sort.Search(len(f.times), func(i int) bool { return f.times[i] >= hi })
	out := fieldSeries{id: f.id, times: append([]int64(nil), f.times[a:b]...)}
	if f.col.Ints != nil {
		out.col.Ints = append([]int64{}, f.col.Ints[a:b]...)
	}
	if f.col.Floats != nil {
		out.col.Floats = append([]float64{}, f.col.Floats[a:b]...)
	}
	return out
}

// merged lays add over old when their ranges touch (add wins where both cover a bucket;
// settled buckets are the same in both), or is add alone when they do not.
func merged(old bucketSeries, ok bool, add bucketSeries) bucketSeries {
	if !ok || old.to < add.from || old.from > add.to {
		return add
	}
	out := bucketSeries{from: min(old.from, add.from), to: max(old.to, add.to)}
	byID := map[string]int{}
	join := func(f fieldSeries) {
		i, seen := byID[f.id]
		if !seen {
			byID[f.id] = len(out.services)
			out.services = append(out.services, fieldSeries{id: f.id})
			i = len(out.services) - 1
		}
		dst := &out.services[i]
		dst.times = append(dst.times, f.times...)
		if f.col.Ints != nil {
			dst.col.Ints = append(dst.col.Ints, f.col.Ints...)
		}
		if f.col.Floats != nil {
			dst.col.Floats = append(dst.col.Floats, f.col.Floats...)
		}
	}
	for _, f := range old.services {
		join(f.between(old.from, add.from))
	}
	for _, f := range add.services {
		join(f)
	}
	for _, f := range old.services {
		join(f.between(add.to, old.to))
	}
	sort.Slice(out.services, func(a, b int) bool { return out.services[a].id < out.services[b].id })
	return out
}

// bucketCache keeps settled buckets for every panel and viewer of one data source, so a
// refresh asks Fastly only for the buckets it may still be filling and for what is missing.
// It is bounded (maxCachedRecords) and least-recently-used series are evicted first.
type bucketCache struct {
	mu      sync.Mutex
	limit   int
	size    int
	entries map[bucketKey]*list.Element
	order   *list.List // of *bucketEntry, most recently used first
}

type bucketEntry struct {
	key    bucketKey
	series bucketSeries
	size   int
}

func newBucketCache(limit int) *bucketCache {
	return &bucketCache{limit: limit, entries: map[bucketKey]*list.Element{}, order: list.New()}
}

// get returns the series cached under k.
func (c *bucketCache) get(k bucketKey) (bucketSeries, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return bucketSeries{}, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*bucketEntry).series, true
}

// add merges s into what is cached under k, then evicts the least recently used series until
// the cache is within its limit. A series larger than the whole limit is not kept.
func (c *bucketCache) add(k bucketKey, s bucketSeries) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var old bucketSeries
	e, ok := c.entries[k]
	if ok {
		old = e.Value.(*bucketEntry).series
	}
	s = merged(old, ok, s)
	n := s.records()
	if ok {
		c.remove(e)
	}
	if n > c.limit {
		return
	}
	c.entries[k] = c.order.PushFront(&bucketEntry{key: k, series: s, size: n})
	c.size += n
	for c.size > c.limit {
		c.remove(c.order.Back())
	}
}

func (c *bucketCache) remove(e *list.Element) {
	be := e.Value.(*bucketEntry)
	c.order.Remove(e)
	delete(c.entries, be.key)
	c.size -= be.size
}

// clear forgets everything, for a data source being disposed.
func (c *bucketCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = map[bucketKey]*list.Element{}
	c.order.Init()
	c.size = 0
}
