package plugin

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/live"
)

// The plugin's metrics go to the Prometheus default registry, which the SDK serves to Grafana
// (docs/architecture.md, "Observability", lists them). upstream counts each data source's
// requests to Fastly and cache lookups; liveGauges reads the real-time hubs when collected.
var (
	upstream   = fastly.NewMetrics()
	liveGauges = newLiveCollector()
)

func init() {
	prometheus.MustRegister(upstream.Collectors()...)
	prometheus.MustRegister(liveGauges)
}

// liveCollector reports, per data source, the real-time pollers (each a long poll held open
// with Fastly: the plugin's standing load on rt.fastly.com) and the streams subscribed to them
// (the panels kept live).
type liveCollector struct {
	mu          sync.Mutex
	hubs        map[*live.Hub]string // hub -> data source uid
	pollers     *prometheus.Desc
	subscribers *prometheus.Desc
}

func newLiveCollector() *liveCollector {
	name := func(n string) string { return prometheus.BuildFQName(fastly.MetricsNamespace, "live", n) }
	return &liveCollector{
		hubs: map[*live.Hub]string{},
		pollers: prometheus.NewDesc(name("pollers"),
			"Real-time pollers running (one per service and product with a viewer).", []string{"datasource"}, nil),
		subscribers: prometheus.NewDesc(name("subscribers"),
			"Real-time streams subscribed to the pollers (one per live panel and viewer).", []string{"datasource"}, nil),
	}
}

func (c *liveCollector) add(h *live.Hub, uid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hubs[h] = uid
}

func (c *liveCollector) remove(h *live.Hub) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.hubs, h)
}

// Describe implements prometheus.Collector.
func (c *liveCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pollers
	ch <- c.subscribers
}

// Collect implements prometheus.Collector. Instances of one data source (Grafana makes the new
// one before it disposes the old) are summed under its uid.
func (c *liveCollector) Collect(ch chan<- prometheus.Metric) {
	type counts struct{ pollers, subscribers int }
	c.mu.Lock()
	byUID := map[string]counts{}
	for h, uid := range c.hubs {
		n := byUID[uid]
		n.pollers += h.Pollers()
		n.subscribers += h.Subscribers()
		byUID[uid] = n
	}
	c.mu.Unlock()
	for uid, n := range byUID {
		ch <- prometheus.MustNewConstMetric(c.pollers, prometheus.GaugeValue, float64(n.pollers), uid)
		ch <- prometheus.MustNewConstMetric(c.subscribers, prometheus.GaugeValue, float64(n.subscribers), uid)
	}
}
