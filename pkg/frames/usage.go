package frames

import (
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// UsageRequest says how to frame billing usage.
type UsageRequest struct {
	Metrics []catalog.Metric // from catalog.ResolveUsage
	// GroupBy is "region", "service" or "" (one row: the total).
	GroupBy      string
	Region       string   // keep only this region ("" keeps all)
	Services     []string // keep only these services (empty keeps all)
	ServiceNames map[string]string
}

// UsageFrame builds one data-plane "numeric-long" frame: a row per region or per service (or a
// single total row), with string dimension columns first and one int64 column per metric.
// Usage is a total over the whole range, not a time series, and this shape is what bar charts,
// bar gauges, tables and the data plane's numeric consumers (alerting, expressions) all read:
// the string column names the bars. The total row is labelled region "all" (or the chosen
// region) so a bar chart still has its string column.
func UsageFrame(rows []fastly.UsageRow, r UsageRequest) *data.Frame {
	keep := map[string]bool{}
	for _, s := range r.Services {
		keep[s] = true
	}
	type agg struct {
		key    string
		totals fastly.UsageTotals
	}
	byKey := map[string]*agg{}
	for _, row := range rows {
		if r.Region != "" && row.Region != r.Region {
			continue
		}
		if len(keep) > 0 && !keep[row.ServiceID] {
			continue
		}
		var key string
		switch r.GroupBy {
		case "region":
			key = row.Region
		case "service":
			key = row.ServiceID
		}
		a := byKey[key]
		if a == nil {
			a = &agg{key: key}
			byKey[key] = a
		}
		a.totals = a.totals.Add(row.UsageTotals)
	}
	if r.GroupBy == "" && byKey[""] == nil {
		byKey[""] = &agg{} // nothing used is a zero total, not no data
	}
	list := make([]*agg, 0, len(byKey))
	for _, a := range byKey {
		list = append(list, a)
	}
	sortKey := func(a *agg) string {
		if r.GroupBy == "service" {
			return strings.ToLower(serviceName(r.ServiceNames, a.key)) + "\x00" + a.key
		}
		return a.key
	}
	sort.Slice(list, func(i, j int) bool { return sortKey(list[i]) < sortKey(list[j]) })

	frame := data.NewFrame("usage")
	switch r.GroupBy {
	case "service":
		ids := make([]string, len(list))
		names := make([]string, len(list))
		for i, a := range list {
			ids[i], names[i] = a.key, serviceName(r.ServiceNames, a.key)
		}
		frame.Fields = append(frame.Fields, data.NewField("service_name", nil, names), data.NewField("service", nil, ids))
	default:
		regions := make([]string, len(list))
		for i, a := range list {
			regions[i] = a.key
			if r.GroupBy == "" {
				regions[i] = "all"
				if r.Region != "" {
					regions[i] = r.Region
				}
			}
		}
		frame.Fields = append(frame.Fields, data.NewField("region", nil, regions))
	}
	for _, m := range r.Metrics {
		vals := make([]int64, len(list))
		for i, a := range list {
			switch m.Name {
			case "bandwidth":
				vals[i] = a.totals.Bandwidth
			case "all_requests":
				vals[i] = a.totals.Requests + a.totals.ComputeRequests
			case "requests":
				vals[i] = a.totals.Requests
			case "compute_requests":
				vals[i] = a.totals.ComputeRequests
			}
		}
		f := data.NewField(m.Name, nil, vals)
		f.Config = &data.FieldConfig{Unit: m.Unit, DisplayNameFromDS: m.Label}
		frame.Fields = append(frame.Fields, f)
	}
	frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: data.FrameTypeVersion{0, 1}})
	return frame
}
