package fastly

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// LogFilter narrows sampled log records: filter[Field][Op]=Value on the wire.
type LogFilter struct {
	Field string `json:"field"`
	Op    string `json:"op"`
	Value string `json:"value"`
}

// Log filter operators Fastly accepts. in and not_in take a comma-separated list.
const (
	OpEq       = "eq"
	OpEndsWith = "ends-with"
	OpIn       = "in"
	OpNotIn    = "not_in"
	OpGt       = "gt"
	OpGte      = "gte"
	OpLt       = "lt"
	OpLte      = "lte"
)

// LogFilterOps lists the operators in the order an editor offers them.
var LogFilterOps = []string{OpEq, OpIn, OpNotIn, OpEndsWith, OpGt, OpGte, OpLt, OpLte}

// logFieldKind is how a filterable field's values read.
type logFieldKind int

const (
	fieldText logFieldKind = iota
	fieldNumber
	fieldBool
)

// logFilterFields are the fields Fastly lets a query filter on. Cache, edge and shield flags
// are is_cache_hit/is_edge/is_shield: the fastly_is_* names some clients document are refused.
var logFilterFields = map[string]logFieldKind{
	"domain":              fieldText,
	"request_path":        fieldText,
	"fastly_pop":          fieldText,
	"client_os_name":      fieldText,
	"client_device_type":  fieldText,
	"client_browser_name": fieldText,
	"response_time":       fieldNumber,
	"response_status":     fieldNumber,
	"is_cache_hit":        fieldBool,
	"is_edge":             fieldBool,
	"is_shield":           fieldBool,
}

// LogFilterFields lists the filterable fields, sorted, for editors and error messages.
func LogFilterFields() []string {
	out := make([]string, 0, len(logFilterFields))
	for f := range logFilterFields {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}

// maxFilterValue bounds one filter's value (an "in" list of URLs is the longest sensible one).
const maxFilterValue = 2000

// Validate says what is wrong with a filter, in words that tell the user how to fix it.
func (f LogFilter) Validate() error {
	kind, ok := logFilterFields[f.Field]
	if !ok {
		hint := ""
		if strings.HasPrefix(f.Field, "fastly_is_") {
			hint = fmt.Sprintf(" (Fastly calls it %q)", strings.TrimPrefix(f.Field, "fastly_"))
		}
		return fmt.Errorf("cannot filter logs on %q%s: use one of %s", safetext.Clip(f.Field, 64), hint, strings.Join(LogFilterFields(), ", "))
	}
	if !slices.Contains(LogFilterOps, f.Op) {
		return fmt.Errorf("unknown filter operator %q on %s: use one of %s", safetext.Clip(f.Op, 64), safetext.Clip(f.Field, 64), strings.Join(LogFilterOps, ", "))
	}
	v := strings.TrimSpace(f.Value)
	if v == "" {
		return fmt.Errorf("the filter on %s has no value", f.Field)
	}
	if len(v) > maxFilterValue {
		return fmt.Errorf("the filter on %s is longer than %d characters", f.Field, maxFilterValue)
	}
	ordered := f.Op == OpGt || f.Op == OpGte || f.Op == OpLt || f.Op == OpLte
	if ordered && kind != fieldNumber {
		return fmt.Errorf("%s compares numbers; %s is not numeric: use eq, in, not_in or ends-with", f.Op, f.Field)
	}
	if f.Op == OpEndsWith && kind != fieldText {
		return fmt.Errorf("ends-with works on text; %s is not text: use eq, in or not_in", f.Field)
	}
	for _, item := range f.items() {
		switch kind {
		case fieldNumber:
			if _, err := strconv.ParseFloat(item, 64); err != nil {
				return fmt.Errorf("%s takes numbers, not %q", f.Field, safetext.Clip(item, 64))
			}
		case fieldBool:
			if item != "true" && item != "false" {
				return fmt.Errorf("%s is true or false, not %q", f.Field, safetext.Clip(item, 64))
			}
		}
	}
	return nil
}

// items are the values a filter compares with: a list for in/not_in, else one.
func (f LogFilter) items() []string {
	v := strings.TrimSpace(f.Value)
	if f.Op != OpIn && f.Op != OpNotIn {
		return []string{v}
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// addLogFilters writes filters as query parameters. Equality goes as filter[field]=value,
// the form every version of Fastly's reference documents; the others as filter[field][op].
func addLogFilters(v url.Values, filters []LogFilter) error {
	for _, f := range filters {
		if err := f.Validate(); err != nil {
			return err
		}
		value := strings.Join(f.items(), ",")
		if f.Op == OpEq {
			v.Add("filter["+f.Field+"]", value)
			continue
		}
		v.Add("filter["+f.Field+"]["+f.Op+"]", value)
	}
	return nil
}
