package fastly

import (
	"github.com/prometheus/client_golang/prometheus"
)

// MetricsNamespace prefixes every metric the plugin reports.
const MetricsNamespace = "fastly_datasource"

// Metrics counts what the plugin asks of Fastly and how often its caches spare a call, so an
// operator can see what a dashboard costs against Fastly's rate limit. Every label is bounded:
// the data source uid, an endpoint template (never an id), a status code or network failure
// reason, a cache name and hit or miss.
type Metrics struct {
	requests *prometheus.CounterVec // datasource, endpoint, status
	bytes    *prometheus.CounterVec // datasource, endpoint
	lookups  *prometheus.CounterVec // datasource, cache, result
}

// NewMetrics makes an unregistered set; the plugin registers one set with the SDK's registry
// and hands each data source's client its own view (ForDatasource).
func NewMetrics() *Metrics {
	return &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: MetricsNamespace, Name: "upstream_requests_total",
			Help: "Requests to Fastly, retries included, by endpoint template and HTTP status (or network failure reason).",
		}, []string{"datasource", "endpoint", "status"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: MetricsNamespace, Name: "upstream_response_bytes_total",
			Help: "Bytes of Fastly's answers read by the plugin (after decompression), by endpoint template.",
		}, []string{"datasource", "endpoint"}),
		lookups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: MetricsNamespace, Name: "cache_lookups_total",
			Help: "Lookups in the plugin's caches of Fastly answers, by cache and result (hit or miss).",
		}, []string{"datasource", "cache", "result"}),
	}
}

// Collectors are the metrics to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.requests, m.bytes, m.lookups}
}

// SourceMetrics is the view one data source's client counts into: the same series with the
// datasource label set. A separate type, so a label can never be left out.
type SourceMetrics struct {
	requests *prometheus.CounterVec // endpoint, status
	bytes    *prometheus.CounterVec // endpoint
	lookups  *prometheus.CounterVec // cache, result
}

// ForDatasource is the view of the data source uid.
func (m *Metrics) ForDatasource(uid string) *SourceMetrics {
	l := prometheus.Labels{"datasource": uid}
	return &SourceMetrics{
		requests: m.requests.MustCurryWith(l),
		bytes:    m.bytes.MustCurryWith(l),
		lookups:  m.lookups.MustCurryWith(l),
	}
}

// The plugin's caches, as the cache label names them.
const (
	cacheServices    = "services"
	cachePOPs        = "pops"
	cacheRegions     = "regions"
	cacheProducts    = "products"
	cacheUsers       = "users"
	cacheStatsBucket = "stats_buckets" // settled historical buckets
	cacheStatsTail   = "stats_tails"   // recent ranges shared by panels refreshing together
)

// cacheCounter counts one cache's lookups; its counters are resolved once, not per lookup.
type cacheCounter struct{ hit, miss prometheus.Counter }

func (m *SourceMetrics) cache(name string) cacheCounter {
	return cacheCounter{
		hit:  m.lookups.WithLabelValues(name, "hit"),
		miss: m.lookups.WithLabelValues(name, "miss"),
	}
}

func (c cacheCounter) record(hit bool) {
	if hit {
		c.hit.Inc()
	} else {
		c.miss.Inc()
	}
}
