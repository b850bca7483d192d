package catalogcheck

import (
	"path"
	"regexp"
	"strconv"
	"strings"
)

// The validator's code rules for the frontend (coderules: semgrep-rules.yaml, the rules for
// javascript and typescript, over src/ without test files). Rules semgrep writes as code
// patterns match code only (comments and string contents blanked); rules it writes as
// pattern-regex match the whole text, comments included, as semgrep does.
type tsRule struct {
	id      string
	sev     Severity
	pattern *regexp.Regexp
	raw     bool   // match the whole text, not the code only
	js      bool   // also .js and .jsx files
	only    string // only files of this name
	message string
}

var tsRules = []tsRule{
	{id: "console-logging", sev: Warning, pattern: regexp.MustCompile(`\bconsole\.(log|info|table|clear|count|countReset|dir|dirxml|group|groupEnd|time|timeEnd|timeLog|trace)\s*\(`),
		message: "plugins do not log to the browser console"},
	{id: "topnav-toggle", sev: Error, pattern: regexp.MustCompile(`\bfeatureToggles\.topnav\b`),
		message: "the topnav toggle is gone: keep only the code for it being on"},
	{id: "window-properties", sev: Error, raw: true, pattern: regexp.MustCompile(`window\.(grafanaBootData|grafanaRuntime|__grafanaSceneContext)`),
		message: "Grafana's window properties are not for plugins: use @grafana/runtime"},
	{id: "access-old-react-internals", sev: Warning, raw: true, js: true, pattern: regexp.MustCompile(`__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED`),
		message: "React's internals change between React versions"},
	{id: "native-browser-dialogs", sev: Error, pattern: regexp.MustCompile(`(?:^|[^.\w$])((?:alert|confirm|prompt)\s*\()|\bwindow\.(?:alert|confirm|prompt)\s*\(`),
		message: "the browser's alert, confirm and prompt dialogs are not allowed: use @grafana/ui's Modal or ConfirmModal"},
	{id: "deprecated-gf-form-css-classes", sev: Warning, raw: true, pattern: regexp.MustCompile(`gf-form`),
		message: "gf-form classes are gone: use @grafana/ui components"},
	// the validator warns on these two; the project refuses them, as the catalog issue asks
	{id: "direct-window-location-access", sev: Error, pattern: regexp.MustCompile(`\bwindow\.location\.(?:search|href)\b`),
		message: "do not read or write window.location: use locationService from @grafana/runtime"},
	{id: "ts-ignore-suppress", sev: Error, raw: true, pattern: regexp.MustCompile(`@ts-ignore|@ts-expect-error`),
		message: "fix the type error instead of suppressing it"},
	{id: "no-direct-css-imports", sev: Error, raw: true, js: true, pattern: regexp.MustCompile(`import\s+['"].*\.(?:css|scss|less)['"]|import\s*\{\s*Global\s*\}\s*from\s*['"]@emotion/react['"]|<Global\b`),
		message: "no stylesheet imports or global styles: style components with @emotion/css through useStyles2"},
	{id: "no-api-ds-query-endpoint", sev: Error, raw: true, js: true, pattern: regexp.MustCompile(`/api/ds/query`),
		message: "do not call /api/ds/query: query through the data source (DataSourceWithBackend.query)"},
	{id: "backend-datasource-should-not-implement-testdatasource", sev: Error, raw: true, only: "datasource.ts",
		pattern: regexp.MustCompile(`(?s)class\s+\w+\s+extends\s+DataSourceWithBackend(?:<[^>]+>)?\s*\{.*?\btestDatasource\s*\(`),
		message: "a backend data source leaves Save & test to the backend's CheckHealth: remove testDatasource"},
}

var windowOpen = regexp.MustCompile(`\bwindow\.open\s*\(`)

// isFrontendSource says whether the validator's frontend rules read the file: TypeScript (and,
// for some rules, JavaScript) under src/, tests left out.
func isFrontendSource(rel string) bool {
	base := path.Base(rel)
	for _, suffix := range []string{".test.ts", ".test.tsx", ".spec.ts", ".spec.tsx", ".test.js", ".test.jsx", ".spec.js", ".spec.jsx"} {
		if strings.HasSuffix(base, suffix) {
			return false
		}
	}
	switch path.Ext(base) {
	case ".ts", ".tsx", ".js", ".jsx":
		return true
	}
	return false
}

// checkFrontendFile applies the frontend rules to one file; rel is its path for the report.
func checkFrontendFile(r *Report, rel, text string) {
	isJS := strings.HasSuffix(rel, ".js") || strings.HasSuffix(rel, ".jsx")
	code := codeOnly(text)
	for _, rule := range tsRules {
		if (isJS && !rule.js) || (rule.only != "" && path.Base(rel) != rule.only) {
			continue
		}
		subject := code
		if rule.raw {
			subject = text
		}
		for _, loc := range rule.pattern.FindAllStringSubmatchIndex(subject, -1) {
			start := loc[0]
			if len(loc) > 2 && loc[2] >= 0 { // the pattern marks where the call begins
				start = loc[2]
			}
			r.add("coderules", rule.id, rule.sev, lineOf(rel, text, start), "%s", rule.message)
		}
	}
	if isJS {
		return
	}
	for _, loc := range windowOpen.FindAllStringIndex(code, -1) {
		args := text[loc[1]:closingParen(code, loc[1])]
		if !strings.Contains(args, "noopener") || !strings.Contains(args, "noreferrer") {
			r.add("coderules", "window-open-without-noopener", Error, lineOf(rel, text, loc[0]),
				"window.open without 'noopener,noreferrer' lets the new tab reach back into Grafana")
		}
	}
}

// lineOf names the line of a byte offset.
func lineOf(rel, text string, offset int) string {
	return rel + ":" + strconv.Itoa(strings.Count(text[:offset], "\n")+1)
}

// closingParen is the offset of the parenthesis that closes the one just before start.
func closingParen(code string, start int) int {
	depth := 1
	for i := start; i < len(code); i++ {
		switch code[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(code)
}

// codeOnly blanks comments and the contents of string, template and regular expression
// literals, keeping every offset and line where it was, so code patterns see only code.
func codeOnly(text string) string {
	out := []byte(text)
	blank := func(from, to int) {
		for i := from; i < to && i < len(out); i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	prev := byte(0) // the last non-space code byte, to tell a regular expression from a division
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '/' && i+1 < len(text) && text[i+1] == '/':
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			blank(i, i+end)
			i += end - 1
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			end := strings.Index(text[i+2:], "*/")
			if end < 0 {
				end = len(text) - i - 4
			}
			blank(i, i+end+4)
			i += end + 3
		case c == '"' || c == '\'' || c == '`' || (c == '/' && strings.IndexByte("(,=:[!&|?{};+-*%<>~^", prev) >= 0):
			end := literalEnd(text, i)
			blank(i+1, end)
			i = end
			prev = c
		default:
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				prev = c
			}
		}
	}
	return string(out)
}

// literalEnd is the offset of the quote that closes the literal opened at start (escapes
// honoured); the text's end when it never closes.
func literalEnd(text string, start int) int {
	quote := text[start]
	for i := start + 1; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case quote:
			return i
		case '\n':
			if quote != '`' {
				return i
			}
		}
	}
	return len(text)
}
