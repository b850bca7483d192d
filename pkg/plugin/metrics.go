package plugin

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/opsdeck/fastly-datasource/pkg/live"
)

// livePollers reports through the SDK's Prometheus registry (what Grafana collects from the
// plugin) how many real-time pollers each data source runs: each is a long poll held open
// with Fastly, so this is the plugin's standing load on rt.fastly.com.
var livePollers = &pollerCollector{
	hubs: map[*live.Hub]string{},
	desc: prometheus.NewDesc("fastly_datasource_live_pollers",
		"Real-time pollers running (one per service and product with a viewer).", []string{"datasource"}, nil),
}

func init() { prometheus.MustRegister(livePollers) }

// pollerCollector reads the pollers of every live instance's hub when Grafana collects.
type pollerCollector struct {
	mu   sync.Mutex
	hubs map[*live.Hub]string // hub -> data source uid
	desc *prometheus.Desc
}

func (c *pollerCollector) add(h *live.Hub, uid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hubs[h] = uid
}

func (c *pollerCollector) remove(h *live.Hub) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.hubs, h)
}

// Describe implements prometheus.Collector.
func (c *pollerCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector. Instances of one data source (Grafana makes the new
// one before it disposes the old) are summed under its uid.
func (c *pollerCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	byUID := map[string]int{}
	for h, uid := range c.hubs {
		byUID[uid] += h.Pollers()
	}
	c.mu.Unlock()
	for uid, n := range byUID {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), uid)
	}
}
