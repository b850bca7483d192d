package catalogcheck

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Version is a release number, major.minor.patch; a pre-release suffix is ignored.
type Version [3]int

// ParseVersion reads "13.2.3" (or "13.2.3-beta.1").
func ParseVersion(s string) (Version, error) {
	core, _, _ := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("%q is not a version like 13.2.3", s)
	}
	var v Version
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Version{}, fmt.Errorf("%q is not a version like 13.2.3", s)
		}
		v[i] = n
	}
	return v, nil
}

func (v Version) compare(w Version) int {
	for i := range v {
		if v[i] != w[i] {
			if v[i] < w[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Range is a version constraint in the form plugin.json's grafanaDependency takes (node-semver's,
// as far as Grafana's schema allows): comparator sets joined by " || ", each a space-separated
// list of comparators such as ">=12.4.0", "<13.3.0", "~13.2.0", "^12.4.0" or "12.4.x".
type Range [][]comparator

type comparator struct {
	op string // ">=", ">", "<=", "<", "="
	v  Version
}

var comparatorPattern = regexp.MustCompile(`^(<=|>=|<|>|=|~|\^)?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(-[0-9A-Za-z.-]+)?$`)

// ParseRange reads a constraint, refusing what Grafana's plugin validator would refuse.
func ParseRange(s string) (Range, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("the Grafana versions the plugin works with are required, e.g. \">=12.4.0\"")
	}
	var out Range
	for _, alt := range strings.Split(s, "||") {
		var set []comparator
		for _, c := range strings.Fields(alt) {
			cs, err := parseComparator(c)
			if err != nil {
				return nil, fmt.Errorf("grafanaDependency %q: %w", s, err)
			}
			set = append(set, cs...)
		}
		if len(set) == 0 {
			return nil, fmt.Errorf("grafanaDependency %q has an empty alternative", s)
		}
		out = append(out, set)
	}
	return out, nil
}

// parseComparator expands one comparator into plain ones: ~1.2.3 is >=1.2.3 <1.3.0, ^1.2.3 is
// >=1.2.3 <2.0.0, 1.2.x is >=1.2.0 <1.3.0, and a missing or wildcard part is 0.
func parseComparator(c string) ([]comparator, error) {
	m := comparatorPattern.FindStringSubmatch(c)
	if m == nil {
		return nil, fmt.Errorf("%q is not a comparator like >=12.4.0", c)
	}
	op := m[1]
	var v Version
	wild := 3 // index of the first missing or wildcard part
	for i, p := range m[2:5] {
		if p == "" || p == "x" || p == "*" {
			if wild == 3 {
				wild = i
			}
			continue
		}
		if wild < i {
			return nil, fmt.Errorf("%q has a number after a wildcard", c)
		}
		v[i], _ = strconv.Atoi(p)
	}
	next := func(part int) Version { // the first version past v's part
		n := Version{}
		copy(n[:part+1], v[:part+1])
		n[part]++
		return n
	}
	switch {
	case op == "~":
		return []comparator{{">=", v}, {"<", next(min(1, max(wild-1, 0)))}}, nil
	case op == "^":
		return []comparator{{">=", v}, {"<", next(0)}}, nil
	case (op == "" || op == "=") && wild < 3:
		if wild == 0 {
			return []comparator{{">=", Version{}}}, nil
		}
		return []comparator{{">=", v}, {"<", next(wild - 1)}}, nil
	case op == "":
		return []comparator{{"=", v}}, nil
	}
	return []comparator{{op, v}}, nil
}

// Contains says whether v satisfies the constraint.
func (r Range) Contains(v Version) bool {
	for _, set := range r {
		ok := true
		for _, c := range set {
			d := v.compare(c.v)
			switch c.op {
			case ">=":
				ok = ok && d >= 0
			case ">":
				ok = ok && d > 0
			case "<=":
				ok = ok && d <= 0
			case "<":
				ok = ok && d < 0
			case "=":
				ok = ok && d == 0
			}
		}
		if ok {
			return true
		}
	}
	return false
}
