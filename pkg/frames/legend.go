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

// name renders a series name. A legend format wins (see renderLegend); without one, the
// type's default order. Every framer names series through it, so one legend format reads the
// same on every type.
func (l legend) name(format string, labels data.Labels, m catalog.Metric) string {
	if format != "" {
		return renderLegend(format, labels, m.Label)
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

// renderLegend replaces each {{key}} of format (spaces inside the braces allowed) by the
// series' label key, or by the metric's catalog label for {{label}}; anything else stays as
// written. One pass from left to right, so a value that itself contains braces is never
// expanded again. src/legend.ts renders live series in the browser the same way: both are
// held to testdata/legend_cases.json.
func renderLegend(format string, labels data.Labels, metricLabel string) string {
	var b strings.Builder
	for {
		open := strings.Index(format, "{{")
		if open < 0 {
			break
		}
		b.WriteString(format[:open])
		format = format[open:]
		end := strings.Index(format[2:], "}}")
		if end < 0 {
			break
		}
		key := strings.Trim(format[2:2+end], " ")
		v, ok := labels[key]
		if !ok && key == "label" {
			v, ok = metricLabel, true
		}
		if !ok {
			b.WriteByte('{') // not a placeholder: keep it and look again one character on
			format = format[1:]
			continue
		}
		b.WriteString(v)
		format = format[2+end+2:]
	}
	b.WriteString(format)
	return b.String()
}

// The default names: "<service> <metric>" for stats; "<service> <origin or domain> <pop>
// <region> <metric>" for the inspectors; "<service> <metric> <pop>" for real-time.
var (
	statsLegend     = legend{before: []string{"service_name"}}
	inspectorLegend = legend{before: []string{"service_name", "origin", "domain", "pop", "region"}}
	realtimeLegend  = legend{before: []string{"service_name"}, after: []string{"pop"}}
)
