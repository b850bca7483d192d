package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/safetext"
)

// kindNames are how the editor names each kind, so errors speak the user's language.
var kindNames = map[Kind]string{
	KindHistorical: "Historical stats",
	KindRealtime:   "Real-time",
	KindOrigins:    "Origin Inspector",
	KindDomains:    "Domain Inspector",
}

// KindName is the human name of k as the query editor shows it.
func KindName(k Kind) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return string(k)
}

// maxQuotedName bounds a name as an error quotes it and as Suggest compares it: metric names
// are at most 50 characters, so a longer name has no close match and comparing it (edit
// distance is quadratic) would only cost time.
const maxQuotedName = 64

// maxProblems bounds how many bad names one error lists.
const maxProblems = 10

// Resolve looks up every name for kind k. The error names every unknown name and every name
// that exists only for other kinds (saying where), with the closest matching names as a hint,
// so a user fixes the whole query in one go instead of one name per refresh.
func Resolve(names []string, k Kind) ([]Metric, error) {
	if _, ok := kindNames[k]; !ok {
		return nil, fmt.Errorf("unknown query kind %q: use one of historical, realtime, origins, domains", string(k))
	}
	var (
		out      []Metric
		problems []string
		seen     = map[string]bool{}
	)
	for _, raw := range names {
		name := strings.TrimSpace(raw)
		if seen[name] {
			continue
		}
		seen[name] = true
		m, ok := byName[name]
		quoted := safetext.Clip(name, maxQuotedName)
		switch {
		case name == "":
			problems = append(problems, "an empty metric name")
		case IsRecordKey(name):
			problems = append(problems, fmt.Sprintf("%q is a record key, not a metric", quoted))
		case ok && m.Hidden:
			problems = append(problems, fmt.Sprintf("%q is a raw histogram and cannot be plotted (use %s)",
				name, strings.Join(histogramUsers(name), ", ")))
		case ok && !m.Has(k):
			problems = append(problems, fmt.Sprintf("%q is not available in %s queries, only in %s%s",
				name, KindName(k), joinKinds(m.Kinds), hint(name, k)))
		case !ok:
			problems = append(problems, fmt.Sprintf("unknown metric %q%s", quoted, hint(name, k)))
		default:
			out = append(out, m.clone())
		}
	}
	if len(problems) > maxProblems {
		problems = append(problems[:maxProblems], fmt.Sprintf("and %d more", len(problems)-maxProblems))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s metrics: %s", KindName(k), strings.Join(problems, "; "))
	}
	return out, nil
}

// joinKinds lists kinds by their human names.
func joinKinds(ks []Kind) string {
	var s []string
	for _, k := range ks {
		s = append(s, KindName(k))
	}
	return strings.Join(s, ", ")
}

// histogramUsers lists the metrics computed from a hidden histogram field.
func histogramUsers(field string) []string {
	var out []string
	for _, m := range ordered {
		for _, f := range m.formulas {
			if f.Quantile > 0 && len(f.Numerator) == 1 && f.Numerator[0] == field {
				out = append(out, m.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// hint suggests up to three names usable with k that are closest to name.
func hint(name string, k Kind) string {
	s := Suggest(name, k, 3)
	if len(s) == 0 {
		return ""
	}
	return " (did you mean " + strings.Join(s, ", ") + "?)"
}

// Suggest returns up to n metric names usable with kind k that look most like name: names
// that contain it (or that it contains) first, then the smallest edit distance. Names longer
// than maxQuotedName get no suggestion, so the work stays bounded whatever the input.
func Suggest(name string, k Kind, n int) []string {
	name = strings.ToLower(strings.TrimSpace(name))
	if name == "" || n <= 0 || len(name) > maxQuotedName {
		return nil
	}
	type cand struct {
		name  string
		score int
	}
	var cs []cand
	for _, m := range ordered {
		if !m.Has(k) {
			continue
		}
		d := editDistance(name, m.Name)
		if strings.Contains(m.Name, name) || strings.Contains(name, m.Name) {
			d = min(d, 1+abs(len(m.Name)-len(name))/4)
		}
		if d <= max(2, len(name)/3) {
			cs = append(cs, cand{m.Name, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score < cs[j].score
		}
		return cs[i].name < cs[j].name
	})
	var out []string
	for i := 0; i < len(cs) && i < n; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b (names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
