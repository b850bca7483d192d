package plugin

import (
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The rules of Grafana's data plane contract (github.com/grafana/dataplane, docs/contract/:
// contract-spec.md, timeseries.md, numeric.md, logs.md, heatmap.md) that a response's frames
// must keep, so alerting, recording rules and SQL expressions read them as their type says.

// frameTypeHeatmapRows is the contract's heatmap-rows type, which the SDK has no name for.
const frameTypeHeatmapRows data.FrameType = "heatmap-rows"

// contractVersions is the version each type has in the contract. A table is no data plane
// type: it has no version, and is read as a plain table.
var contractVersions = map[data.FrameType]data.FrameTypeVersion{
	data.FrameTypeTimeSeriesWide:  {0, 1},
	data.FrameTypeTimeSeriesMulti: {0, 1},
	data.FrameTypeNumericWide:     {0, 1},
	data.FrameTypeNumericMulti:    {0, 1},
	data.FrameTypeNumericLong:     {0, 1},
	data.FrameTypeLogLines:        {0, 0},
	frameTypeHeatmapRows:          {0, 0},
	data.FrameTypeTable:           {0, 0},
}

// sqlLabeledTypes are the labeled types SQL expressions convert to a table (the plugin-tools
// guide "Requirements to support SQL expressions"); any other response they read only as a
// single frame without labels.
var sqlLabeledTypes = map[data.FrameType]bool{
	data.FrameTypeTimeSeriesMulti: true,
	data.FrameTypeTimeSeriesWide:  true,
	data.FrameTypeNumericMulti:    true,
	data.FrameTypeNumericWide:     true,
}

// contractViolations lists every way one response's frames break the contract; none means
// they keep it.
func contractViolations(frames data.Frames) []string {
	if len(frames) == 0 {
		return []string{"no frame: a response with no data still answers one frame of its type"}
	}
	var out []string
	var typ data.FrameType
	if frames[0].Meta != nil {
		typ = frames[0].Meta.Type
	}
	for i, f := range frames {
		report := func(format string, args ...any) {
			out = append(out, fmt.Sprintf("frame %d (%s): %s", i, f.Name, fmt.Sprintf(format, args...)))
		}
		if f.Meta == nil || f.Meta.Type == "" {
			report("no Meta.Type")
			continue
		}
		want, known := contractVersions[f.Meta.Type]
		switch {
		case !known:
			report("type %q is not in the contract", f.Meta.Type)
		case f.Meta.TypeVersion != want:
			report("%s is version %s in the contract, the frame says %s", f.Meta.Type, want, f.Meta.TypeVersion)
		case f.Meta.Type != typ:
			report("type %s differs from the response's first frame (%s): one response, one type", f.Meta.Type, typ)
		}
		if _, err := f.RowLen(); err != nil {
			report("%v", err)
		}
		for _, field := range f.Fields {
			if len(field.Labels) > 0 && !field.Type().Numeric() && field.Type() != data.FieldTypeBool && field.Type() != data.FieldTypeNullableBool {
				report("field %q of type %s has labels: only value fields carry them", field.Name, field.Type())
			}
		}
		for _, v := range kindViolations(f, len(frames)) {
			report("%s", v)
		}
	}
	return append(out, mixedColumns(frames)...)
}

// kindViolations checks one frame against the rules of its declared type; n is the number of
// frames in the response.
func kindViolations(f *data.Frame, n int) []string {
	if len(f.Fields) == 0 {
		if n > 1 {
			return []string{"a frame with no fields (no data) beside data"}
		}
		return nil // the contract's "no data" answer
	}
	switch f.Meta.Type {
	case data.FrameTypeTimeSeriesWide, data.FrameTypeTimeSeriesMulti, frameTypeHeatmapRows:
		return timeSeriesViolations(f, n)
	case data.FrameTypeNumericLong:
		return numericLongViolations(f, n)
	case data.FrameTypeLogLines:
		return logLinesViolations(f)
	case data.FrameTypeTable:
		return oneFrameWithoutLabels("a table", f, n)
	}
	return nil
}

// timeSeriesViolations: one time field first, never null, ascending without repeats, then at
// least one numeric value field; the wide format is a single frame.
func timeSeriesViolations(f *data.Frame, n int) []string {
	var out []string
	if f.Meta.Type == data.FrameTypeTimeSeriesWide && n > 1 {
		out = append(out, fmt.Sprintf("timeseries-wide is one frame, the response has %d", n))
	}
	if f.Fields[0].Type() != data.FieldTypeTime {
		return append(out, fmt.Sprintf("the first field %q is %s, not a non-null time field", f.Fields[0].Name, f.Fields[0].Type()))
	}
	times := f.Fields[0]
	for i := 1; i < times.Len(); i++ {
		if !times.At(i).(time.Time).After(times.At(i - 1).(time.Time)) {
			out = append(out, fmt.Sprintf("time %d (%v) does not follow time %d (%v)", i, times.At(i), i-1, times.At(i-1)))
			break
		}
	}
	values := 0
	for _, field := range f.Fields[1:] {
		if field.Type().Numeric() {
			values++
		}
	}
	if values == 0 {
		out = append(out, "no numeric value field")
	}
	return out
}

// numericLongViolations: a single frame of numeric values whose rows are told apart by string
// fields.
func numericLongViolations(f *data.Frame, n int) []string {
	out := oneFrameWithoutLabels("numeric-long", f, n)
	strs, nums := 0, 0
	for _, field := range f.Fields {
		switch {
		case field.Type().Numeric():
			nums++
		case field.Type() == data.FieldTypeString || field.Type() == data.FieldTypeNullableString:
			strs++
		}
	}
	if nums == 0 {
		out = append(out, "no numeric value field")
	}
	if f.Rows() > 1 && strs == 0 {
		out = append(out, fmt.Sprintf("%d rows but no string field to tell them apart", f.Rows()))
	}
	return out
}

// logLinesViolations: a non-null time field named timestamp and a non-null string field named
// body.
func logLinesViolations(f *data.Frame) []string {
	var out []string
	if field, _ := f.FieldByName("timestamp"); field == nil || field.Type() != data.FieldTypeTime {
		out = append(out, "no non-null time field named timestamp")
	}
	if field, _ := f.FieldByName("body"); field == nil || field.Type() != data.FieldTypeString {
		out = append(out, "no non-null string field named body")
	}
	return out
}

// oneFrameWithoutLabels: numeric-long and a plain table are one frame whose dimensions are its
// columns, not labels; SQL expressions read such a frame as it is.
func oneFrameWithoutLabels(kind string, f *data.Frame, n int) []string {
	var out []string
	if n > 1 {
		out = append(out, fmt.Sprintf("%s is one frame, the response has %d", kind, n))
	}
	for _, field := range f.Fields {
		if len(field.Labels) > 0 {
			out = append(out, fmt.Sprintf("field %q has labels: %s keeps dimensions in its columns", field.Name, kind))
		}
	}
	return out
}

// mixedColumns reports a field name whose type differs between the frames of one response,
// which a reader joining them into one table could not hold in one column.
func mixedColumns(frames data.Frames) []string {
	seen := map[string]data.FieldType{}
	var out []string
	for i, f := range frames {
		for _, field := range f.Fields {
			if t, ok := seen[field.Name]; ok && t != field.Type() {
				out = append(out, fmt.Sprintf("frame %d: field %q is %s, an earlier frame's is %s", i, field.Name, field.Type(), t))
				continue
			}
			seen[field.Name] = field.Type()
		}
	}
	return out
}

// sqlReadable says whether SQL expressions can read the response: a labeled type they convert,
// or a single frame without labels.
func sqlReadable(frames data.Frames) bool {
	if len(frames) > 0 && frames[0].Meta != nil && sqlLabeledTypes[frames[0].Meta.Type] {
		return true
	}
	if len(frames) != 1 {
		return false
	}
	for _, field := range frames[0].Fields {
		if len(field.Labels) > 0 {
			return false
		}
	}
	return true
}
