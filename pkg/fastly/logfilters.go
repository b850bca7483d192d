package fastly

import (
	"errors"
	"fmt"
	"net/http"
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

// logFilterFields are the fields Fastly lets a query filter on. The cache, edge and shield
// flags are spelled two ways by Fastly's sources (docs/fastly-api.md, "Log Explorer filters"):
// is_cache_hit, the log field of the reference, or fastly_is_cache_hit, as go-fastly and
// Fastly's engineers write it. Both are accepted; which goes on the wire is the Client's
// (flagSpelling).
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

// flagPrefix is the other spelling's prefix of the boolean filter fields.
const flagPrefix = "fastly_"

// canonicalField is the field as logFilterFields names it: fastly_is_cache_hit is is_cache_hit.
func canonicalField(field string) string {
	if name, ok := strings.CutPrefix(field, flagPrefix); ok && logFilterFields[name] == fieldBool {
		return name
	}
	return field
}

// Validate says what is wrong with a filter, in words that tell the user how to fix it.
func (f LogFilter) Validate() error {
	kind, ok := logFilterFields[canonicalField(f.Field)]
	if !ok {
		return fmt.Errorf("cannot filter logs on %q: use one of %s", safetext.Clip(f.Field, 64), strings.Join(LogFilterFields(), ", "))
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

// flagSpelling is how the boolean filter fields go on the wire.
type flagSpelling int32

const (
	flagsAsLogFields flagSpelling = iota // is_cache_hit: the reference's log field names, sent first
	flagsFastlyIs                        // fastly_is_cache_hit: go-fastly's and the engineers' notes
)

// wireField is the field's name as sent with spelling sp.
func wireField(field string, sp flagSpelling) string {
	field = canonicalField(field)
	if logFilterFields[field] == fieldBool && sp == flagsFastlyIs {
		return flagPrefix + field
	}
	return field
}

// hasFlagFilter reports whether any filter is on a boolean field, whose spelling Fastly's
// sources disagree on.
func hasFlagFilter(filters []LogFilter) bool {
	for _, f := range filters {
		if logFilterFields[canonicalField(f.Field)] == fieldBool {
			return true
		}
	}
	return false
}

// addLogFilters writes filters as query parameters, the boolean fields spelled sp. Equality
// goes as filter[field]=value, the form every version of Fastly's reference documents; the
// others as filter[field][op].
func addLogFilters(v url.Values, filters []LogFilter, sp flagSpelling) error {
	for _, f := range filters {
		if err := f.Validate(); err != nil {
			return err
		}
		value := strings.Join(f.items(), ",")
		field := wireField(f.Field, sp)
		if f.Op == OpEq {
			v.Add("filter["+field+"]", value)
			continue
		}
		v.Add("filter["+field+"]["+f.Op+"]", value)
	}
	return nil
}

// withFlagSpelling makes a filtered log call with the boolean fields spelled as this data
// source has learnt Fastly takes them: the reference's spelling first; if Fastly refuses that
// with a 400, once more the other way, and the spelling that worked is kept for the data
// source's later calls. When both are refused, Fastly's first answer is the error.
func (c *Client) withFlagSpelling(filters []LogFilter, call func(flagSpelling) error) error {
	sp := flagSpelling(c.flagSpelling.Load())
	err := call(sp)
	if !hasFlagFilter(filters) || c.flagSpellingKnown.Load() {
		return err
	}
	if err == nil {
		c.flagSpellingKnown.Store(true)
		return nil
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		return err
	}
	other := flagsFastlyIs
	if sp == flagsFastlyIs {
		other = flagsAsLogFields
	}
	if call(other) != nil {
		return err
	}
	c.flagSpelling.Store(int32(other))
	c.flagSpellingKnown.Store(true)
	return nil
}
