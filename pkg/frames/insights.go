package frames

import (
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/opsdeck/fastly-datasource/pkg/catalog"
	"github.com/opsdeck/fastly-datasource/pkg/fastly"
)

// InsightsFrame lays a Log Insights ranking out as a table: the dimension first (so the frame
// also serves as a variable query's values), then one column per value in the reference's
// order, then any value Fastly sent that the catalog does not know, in the order it came. A
// value a row lacks is null. It is a numeric-long frame, which tables and bar charts read.
// A ranking whose values break each row down (a status code by URL, a country by region) is
// shown by the row's own attributes: one URL's share of a code is never the code's.
func InsightsFrame(res *fastly.InsightsResult, r catalog.InsightRanking, notices []data.Notice) *data.Frame {
	dims := make([]string, len(res.Rows))
	for i, row := range res.Rows {
		dims[i] = dimensionValue(row, r.Dimension)
	}
	dimField := data.NewField(r.Dimension, nil, dims)
	dimField.Config = &data.FieldConfig{DisplayNameFromDS: r.DimensionLabel}
	frame := data.NewFrame(r.Label, dimField)

	columns := append([]catalog.InsightColumn(nil), r.Columns...)
	known := map[string]bool{}
	for _, c := range columns {
		known[c.Key] = true
	}
	breakdown := false
	for _, row := range res.Rows {
		breakdown = breakdown || len(row.Values) > 1 || (r.Breakdown != "" && len(row.Values) > 0)
		for _, e := range rowNumbers(row, r) {
			if !known[e.Key] {
				known[e.Key] = true
				columns = append(columns, catalog.InsightColumn{Key: e.Key, Label: e.Key, Unit: catalog.UnitShort})
			}
		}
	}
	for _, c := range columns {
		values := make([]*float64, len(res.Rows))
		carried := false
		for i, row := range res.Rows {
			for _, e := range rowNumbers(row, r) {
				if e.Key == c.Key {
					v := e.Number
					values[i], carried = &v, true
					break // an attribute wins over a values entry of the same name
				}
			}
		}
		if !carried {
			continue // a column no row carries (the 4xx/5xx rankings send no values) is left out
		}
		f := data.NewField(c.Key, nil, values)
		f.Config = &data.FieldConfig{DisplayNameFromDS: c.Label, Unit: columnUnit(c.Unit, values)}
		frame.Fields = append(frame.Fields, f)
	}

	if res.Truncated {
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("Fastly returned more rows than the limit for this ranking; showing the first %d.", len(res.Rows))})
	}
	if breakdown {
		by := r.Breakdown
		if by == "" {
			by = "region"
		}
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityInfo,
			Text: "Fastly also sent a per-" + by + " breakdown for each row; the table shows each row's own figures, not the breakdown."})
	}
	setSampleMeta(frame, data.FrameTypeNumericLong, data.FrameTypeVersion{0, 1}, data.VisTypeTable, notices, len(res.Rows))
	return frame
}

// dimensionValue is the row's value of the ranking's dimension; when Fastly named it
// otherwise, the row's only dimension stands in.
func dimensionValue(row fastly.InsightRow, dim string) string {
	for _, e := range row.Dimensions {
		if e.Key == dim {
			return e.Text
		}
	}
	if len(row.Dimensions) == 1 {
		return row.Dimensions[0].Text
	}
	return ""
}

// rowNumbers are a row's numeric attributes and, when it has exactly one values object and the
// ranking's values are not a breakdown, that object's numbers (several objects are a breakdown
// too, not the row's own values).
func rowNumbers(row fastly.InsightRow, r catalog.InsightRanking) []fastly.Entry {
	var out []fastly.Entry
	for _, e := range row.Attributes {
		if e.Numeric {
			out = append(out, e)
		}
	}
	if len(row.Values) == 1 && r.Breakdown == "" {
		for _, e := range row.Values[0] {
			if e.Numeric {
				out = append(out, e)
			}
		}
	}
	return out
}

// columnUnit resolves a ratio of undocumented scale: values all within 0..1 read as a
// fraction (percentunit), any above 1 as percent.
func columnUnit(unit string, values []*float64) string {
	if unit != catalog.UnitRatio {
		return unit
	}
	for _, v := range values {
		if v != nil && *v > 1 {
			return catalog.UnitPercent
		}
	}
	return catalog.UnitPercentUnit
}
