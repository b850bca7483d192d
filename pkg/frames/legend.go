package frames

import (
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
)

// legend is how a type names its series when the panel sets no legend format: the labels
// shown before the metric's label and after it, in order, where present.
type legend struct {
	before, after []string
}

// name renders a series name. A legend format ({{service_name}}, {{pop}}, {{label}}, any label
// of the series, with or without inner spaces) wins; without one, the type's default order.
// Every framer names series through it, so one legend format reads the same on every type.
func (l legend) name(format string, labels data.Labels, m catalog.Metric) string {
	if format != "" {
		for k, v := range labels {
			format = strings.ReplaceAll(format, "{{"+k+"}}", v)
			format = strings.ReplaceAll(format, "{{ "+k+" }}", v)
		}
		format = strings.ReplaceAll(format, "{{label}}", m.Label)
		return strings.ReplaceAll(format, "{{ label }}", m.Label)
	}
	parts := make([]string, 0, len(l.before)+1+len(l.after))
	for _, k := range l.before {
		if v := labels[k]; v != "" {
			parts = append(parts, v)
		}
	}
	parts = append(parts, m.Label)
	for _, k := range l.after {
		if v := labels[k]; v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// The default names: "<service> <metric>" for stats; "<service> <origin or domain> <pop>
// <region> <metric>" for the inspectors; "<service> <metric> <pop>" for real-time.
var (
	statsLegend     = legend{before: []string{"service_name"}}
	inspectorLegend = legend{before: []string{"service_name", "origin", "domain", "pop", "region"}}
	realtimeLegend  = legend{before: []string{"service_name"}, after: []string{"pop"}}
)
