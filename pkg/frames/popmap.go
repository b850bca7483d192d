package frames

import (
	"sort"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// POPMapFrameName names the table a POP map query answers with.
const POPMapFrameName = "pop_map"

// popRow is one table row: one POP of one service, and its metrics' reduced values.
type popRow struct {
	pop, service, serviceName string
	values                    map[string]*float64
}

// POPMap turns per-POP time series (fields labelled "pop" and "metric", as the real-time and
// inspector framers make them) into one table row per POP and service, with the POP's name,
// latitude and longitude from /datacenters: the shape Grafana's Geomap panel places on a map
// with no transformation. Each value is the mean of the series' known points over the range
// (a rate stays a rate, a ratio stays 0..1); a series with no known point is null, and a POP
// missing from pops keeps its row with null coordinates, which Geomap leaves off the map.
func POPMap(series data.Frames, pops []fastly.POP) *data.Frame {
	rows := map[[2]string]*popRow{}
	var metrics []string
	units := map[string]string{}
	for _, fr := range series {
		for _, f := range fr.Fields {
			pop, metric := f.Labels["pop"], f.Labels["metric"]
			if pop == "" || metric == "" || f.Type().Time() {
				continue
			}
			key := [2]string{pop, f.Labels["service"]}
			r := rows[key]
			if r == nil {
				r = &popRow{pop: pop, service: key[1], serviceName: f.Labels["service_name"], values: map[string]*float64{}}
				rows[key] = r
			}
			if _, seen := units[metric]; !seen {
				metrics = append(metrics, metric)
				units[metric] = ""
				if f.Config != nil {
					units[metric] = f.Config.Unit
				}
			}
			r.values[metric] = meanOfKnown(f)
		}
	}
	ordered := make([]*popRow, 0, len(rows))
	for _, r := range rows {
		ordered = append(ordered, r)
	}
	sort.Slice(ordered, func(i, j int) bool {
		if ordered[i].pop != ordered[j].pop {
			return ordered[i].pop < ordered[j].pop
		}
		return ordered[i].service < ordered[j].service
	})
	frame := popMapFrame(ordered, metrics, units, pops)
	frame.Meta.Notices = notices(series)
	return frame
}

// notices keeps what the series said about their data (incomplete buckets, lost seconds) once.
func notices(series data.Frames) []data.Notice {
	var out []data.Notice
	seen := map[string]bool{}
	for _, fr := range series {
		if fr.Meta == nil {
			continue
		}
		for _, n := range fr.Meta.Notices {
			if !seen[n.Text] {
				seen[n.Text] = true
				out = append(out, n)
			}
		}
	}
	return out
}

// popMapFrame lays the rows out as columns: location first, then one column per metric.
func popMapFrame(rows []*popRow, metrics []string, units map[string]string, pops []fastly.POP) *data.Frame {
	byCode := make(map[string]fastly.POP, len(pops))
	for _, p := range pops {
		byCode[p.Code] = p
	}
	n := len(rows)
	code, name, service, serviceName := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	lat, lon := make([]*float64, n), make([]*float64, n)
	for i, r := range rows {
		code[i], service[i], serviceName[i] = r.pop, r.service, r.serviceName
		if p, ok := byCode[r.pop]; ok {
			name[i] = p.Name
			lat[i], lon[i] = &p.Latitude, &p.Longitude
		}
	}
	frame := data.NewFrame(POPMapFrameName,
		data.NewField("pop", nil, code),
		data.NewField("pop_name", nil, name),
		data.NewField("latitude", nil, lat),
		data.NewField("longitude", nil, lon),
		data.NewField("service", nil, service),
		data.NewField("service_name", nil, serviceName),
	)
	for _, m := range metrics {
		vals := make([]*float64, n)
		for i, r := range rows {
			vals[i] = r.values[m]
		}
		f := data.NewField(m, nil, vals)
		f.Config = &data.FieldConfig{Unit: units[m]}
		if cm, ok := catalog.Lookup(m); ok {
			f.Config.DisplayNameFromDS = cm.Label
		}
		frame.Fields = append(frame.Fields, f)
	}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeTable}
	return frame
}

// meanOfKnown averages the field's non-null, non-NaN points; nil when there is none.
func meanOfKnown(f *data.Field) *float64 {
	sum, n := 0.0, 0
	for i := 0; i < f.Len(); i++ {
		v, err := f.NullableFloatAt(i)
		if err != nil || v == nil || *v != *v {
			continue
		}
		sum += *v
		n++
	}
	if n == 0 {
		return nil
	}
	mean := sum / float64(n)
	return &mean
}
