package frames

import (
	"math"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
)

// frameTypeHeatmapRows is Grafana's "heatmap-rows" frame type (the SDK has no constant for it):
// a time field followed by one numeric field per bucket, the field names being the buckets'
// bounds. The heatmap panel reads such frames as pre-bucketed data without recalculating. The
// data plane contract has it at version 0.0 (github.com/grafana/dataplane, contract/heatmap.md).
const frameTypeHeatmapRows data.FrameType = "heatmap-rows"

// heatmapFieldNames are the field names of a heatmap frame, one per Origin Inspector latency
// bucket in ascending order: each bucket's upper bound in milliseconds ("1", "5", ... "60000"),
// and "+Inf" for the open last bucket (responses slower than 60 s). That is Prometheus's "le"
// convention, which Grafana's heatmap recognises by the "+Inf" name: a bucket holds responses
// slower than the previous bound and at most as slow as its own.
func heatmapFieldNames() []string {
	buckets := catalog.LatencyBuckets(catalog.OriginLatencyPrefix)
	out := make([]string, len(buckets))
	for i, b := range buckets {
		if math.IsInf(b.UpperMs, 1) {
			out[i] = "+Inf"
		} else {
			out[i] = strconv.FormatFloat(b.UpperMs, 'f', -1, 64)
		}
	}
	return out
}

// heatmapFrame builds one series' histogram m (catalog.Metric.Histogram): per latency bucket,
// how many origin responses took that long (a count, or a rate with perSecond). Absent buckets
// are 0 once settled.
func heatmapFrame(grp *inspectorGroup, m catalog.Metric, r InspectorRequest, g grid, settledUntil int64) *data.Frame {
	var fields []string
	if f := m.FormulaFor(r.Kind); f != nil {
		fields = f.Numerator
	}
	names := heatmapFieldNames()
	frame := data.NewFrame(m.Name, data.NewField("time", nil, gridTimes(g)))
	unit := m.Unit
	if r.PerSecond {
		unit = "reqps"
	}
	var title []string
	for _, k := range inspectorLegend.before {
		if v := grp.labels[k]; v != "" {
			title = append(title, v)
		}
	}
	for b, field := range fields {
		out := make([]*float64, g.count)
		for i := range out {
			if !grp.present[i] && g.mayStillFill(i, settledUntil) {
				continue
			}
			v := grp.count(field, i)
			if r.PerSecond {
				v /= float64(g.step)
			}
			out[i] = &v
		}
		labels := grp.labels.Copy()
		labels["metric"] = m.Name
		f := data.NewField(names[b], labels, out)
		f.Config = &data.FieldConfig{Unit: unit, DisplayNameFromDS: names[b]}
		frame.Fields = append(frame.Fields, f)
	}
	if len(title) > 0 {
		frame.Name = m.Name + " " + strings.Join(title, " ")
	}
	frame.SetMeta(&data.FrameMeta{Type: frameTypeHeatmapRows, TypeVersion: data.FrameTypeVersion{0, 0}})
	return frame
}
