// Package catalogcheck checks the plugin's source tree and its catalog archive the way Grafana's
// plugin validator (github.com/grafana/plugin-validator) does, for every check that needs no
// network: the validator's binary downloads itself at run time, and several of its analyzers
// call GitHub or grafana.com. Each rule names the analyzer it mirrors, as a path in the
// validator's source (pkg/analysis/passes/<name>/<name>.go, read at commit a7e38aa).
package catalogcheck

import (
	"fmt"
	"sort"
	"strings"
)

// Severity is how the validator rates a finding: an error blocks a catalog submission, a
// warning is shown to the reviewer.
type Severity int

const (
	Warning Severity = iota
	Error
)

func (s Severity) String() string {
	if s == Error {
		return "error"
	}
	return "warning"
}

// Finding is one way the plugin falls short of a validator rule.
type Finding struct {
	Analyzer string // the validator's analyzer, e.g. "coderules"
	Rule     string // the analyzer's rule, e.g. "fmt-print-logging"
	Severity Severity
	Where    string // a file, a file:line, or a plugin.json field
	Message  string // what is wrong and how to fix it
}

// Source is where in the validator's source the finding's analyzer lives.
func (f Finding) Source() string {
	return fmt.Sprintf("pkg/analysis/passes/%s/%s.go", f.Analyzer, f.Analyzer)
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s [%s/%s, %s]", f.Severity, f.Where, f.Message, f.Analyzer, f.Rule, f.Source())
}

// Report collects findings.
type Report struct {
	Findings []Finding
}

func (r *Report) add(analyzer, rule string, sev Severity, where, format string, args ...any) {
	r.Findings = append(r.Findings, Finding{Analyzer: analyzer, Rule: rule, Severity: sev, Where: where, Message: fmt.Sprintf(format, args...)})
}

// Errors counts the findings that would block a submission.
func (r *Report) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == Error {
			n++
		}
	}
	return n
}

// Sorted lists the findings errors first, then by place.
func (r *Report) Sorted() []Finding {
	out := append([]Finding(nil), r.Findings...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return strings.Compare(out[i].Where, out[j].Where) < 0
	})
	return out
}
