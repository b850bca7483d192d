package catalog

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceDerivedRows returns the rows of the derived-metrics table in docs/query-reference.md,
// each as its cells.
func referenceDerivedRows(t *testing.T) [][]string {
	t.Helper()
	f, err := os.Open("../../docs/query-reference.md")
	require.NoError(t, err)
	defer f.Close()
	var rows [][]string
	in, header := false, 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "**Derived metrics.**"):
			in = true
		case in && strings.HasPrefix(line, "|"):
			if header++; header <= 2 { // the column names and the |---| line
				continue
			}
			var cells []string
			for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
				cells = append(cells, strings.TrimSpace(c))
			}
			rows = append(rows, cells)
		case in && header > 0:
			return rows // the first line after the table
		}
	}
	require.NoError(t, sc.Err())
	return rows
}

// definition writes formula f the way the query reference does: "hits / (hits + miss)",
// "bandwidth × 8 / bucket seconds", "requests + compute_requests".
func definition(f *Formula) string {
	term := func(field string) string {
		if parts := f.Floors[field]; len(parts) > 0 {
			return "max(" + field + ", " + strings.Join(parts, " + ") + ")"
		}
		return field
	}
	terms := func(fields []string) string {
		out := make([]string, len(fields))
		for i, n := range fields {
			out[i] = term(n)
		}
		return strings.Join(out, " + ")
	}
	sum := func(fields []string) string {
		s := terms(fields)
		if len(fields) > 1 {
			s = "(" + s + ")"
		}
		return s
	}
	if len(f.Denominator) > 0 {
		return sum(f.Numerator) + " / " + sum(f.Denominator)
	}
	if f.Total {
		return terms(f.Numerator)
	}
	s := sum(f.Numerator)
	if f.Scale != 0 && f.Scale != 1 {
		s += " × " + strconv.FormatFloat(f.Scale, 'f', -1, 64)
	}
	return s + " / bucket seconds"
}

// placeholders in a row stand for each of a list: {code} for the status codes the plugin adds
// up per source, {class} for the status classes.
var placeholders = map[string][]string{"{code}": statusCodesOfEverySource, "{class}": statusClasses}

// expand gives the rows a row stands for: itself, or one per value of its placeholder, with
// the value put in every cell (NNN in the label).
func expand(row []string) [][]string {
	for ph, values := range placeholders {
		if !strings.Contains(row[1], ph) {
			continue
		}
		var out [][]string
		for _, v := range values {
			cells := make([]string, len(row))
			for i, c := range row {
				cells[i] = strings.ReplaceAll(strings.ReplaceAll(c, ph, v), "NNN", v)
			}
			out = append(out, cells)
		}
		return out
	}
	return [][]string{row}
}

// TestQueryReferenceDerivedMetricsMatchTheCatalog keeps the query reference's table of derived
// stats metrics true to the catalog: each row's picker label, name, definition and unit, and
// every metric the plugin computes for historical queries has a row.
func TestQueryReferenceDerivedMetricsMatchTheCatalog(t *testing.T) {
	rows := referenceDerivedRows(t)
	require.NotEmpty(t, rows, "docs/query-reference.md has no table after **Derived metrics.**")
	listed := map[string]bool{}
	for _, row := range rows {
		require.Len(t, row, 4, "label | name | definition | unit: %v", row)
		for _, r := range expand(row) {
			name := strings.Trim(r[1], "`")
			listed[name] = true
			m, ok := Lookup(name)
			if !assert.True(t, ok, "the query reference lists %q, which the catalog does not have", name) {
				continue
			}
			assert.Equal(t, m.Label, r[0], "%s: the label the picker shows", name)
			assert.Equal(t, m.Unit, r[3], "%s: unit", name)
			if f := m.FormulaFor(KindHistorical); assert.NotNil(t, f, "%s is not computed for historical queries", name) {
				assert.Equal(t, definition(f), r[2], "%s: definition", name)
			}
		}
	}
	for _, m := range ForKind(KindHistorical) {
		if m.FormulaFor(KindHistorical) != nil {
			assert.True(t, listed[m.Name], "the query reference's derived-metrics table misses %s (%s)", m.Name, m.Label)
		}
	}
}
