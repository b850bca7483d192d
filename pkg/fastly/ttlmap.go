package fastly

import (
	"sync"
	"time"
)

// ttlMap keeps small answers by key for a while (a product's enablement per service, a user's
// login). It belongs to one Client, so it is dropped with the instance Grafana disposes and
// never mixes accounts. Failures are not stored: callers store only answers.
type ttlMap[V any] struct {
	ttl     time.Duration
	max     int
	now     func() time.Time
	mu      sync.Mutex
	entries map[string]ttlEntry[V]
	count   cacheCounter
}

type ttlEntry[V any] struct {
	value V
	at    time.Time
}

func newTTLMap[V any](ttl time.Duration, max int, count cacheCounter) *ttlMap[V] {
	return &ttlMap[V]{ttl: ttl, max: max, now: time.Now, entries: map[string]ttlEntry[V]{}, count: count}
}

// get returns the value stored for key while it is fresh.
func (m *ttlMap[V]) get(key string) (V, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	fresh := ok && m.now().Sub(e.at) < m.ttl
	m.count.record(fresh)
	if !fresh {
		var zero V
		return zero, false
	}
	return e.value, true
}

// put stores value for key. When the map is full, expired entries go first, then all of them.
func (m *ttlMap[V]) put(key string, value V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if len(m.entries) >= m.max {
		for k, old := range m.entries {
			if now.Sub(old.at) >= m.ttl {
				delete(m.entries, k)
			}
		}
		if len(m.entries) >= m.max {
			clear(m.entries)
		}
	}
	m.entries[key] = ttlEntry[V]{value: value, at: now}
}
