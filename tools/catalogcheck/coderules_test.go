package catalogcheck

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// codeFindings is "file:line analyzer/rule" per finding of the tree's code rules.
func codeFindings(files map[string]string) []string {
	tree := goodTree()
	for name, body := range files {
		tree[name] = body
	}
	var out []string
	for _, f := range checkTree(tree) {
		out = append(out, f.Where+" "+f.Analyzer+"/"+f.Rule)
	}
	sort.Strings(out)
	return out
}

func TestGoRulesCatchEachForbiddenCall(t *testing.T) {
	src := `package plugin

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"io/fs"

	_ "github.com/grafana/sqlds/v2"
)

func f(name string) {
	fmt.Println("hello")
	fmt.Printf("%d", 1)
	_ = fmt.Sprintf("%d", 1) // formatting, not printing: fine
	_ = os.Getenv("HOME")
	_ = os.Getenv("GF_PLUGIN_APP_URL") // handed to plugins by Grafana: fine
	_ = os.Getenv(name)                // cannot be shown to be allowed
	_ = os.Environ()
	_, _ = os.ReadFile("/etc/passwd")
	_ = filepath.Walk(".", nil)
	_ = filepath.Join("a", "b") // a path, not the file system: fine
	_, _ = fs.ReadFile(nil, "x")
	_ = syscall.Getpid()
}
`
	assert.Equal(t, []string{
		"pkg/plugin/x.go:10 coderules/outdated-sqlds-version",
		"pkg/plugin/x.go:14 coderules/fmt-print-logging",
		"pkg/plugin/x.go:15 coderules/fmt-print-logging",
		"pkg/plugin/x.go:17 coderules/access-forbidden-os-environment",
		"pkg/plugin/x.go:19 coderules/access-forbidden-os-environment",
		"pkg/plugin/x.go:20 coderules/access-os-environment",
		"pkg/plugin/x.go:21 coderules/access-file-system-with-os",
		"pkg/plugin/x.go:22 coderules/access-file-system-with-filepath",
		"pkg/plugin/x.go:24 coderules/access-file-system-with-fs",
		"pkg/plugin/x.go:25 coderules/access-syscall",
	}, codeFindings(map[string]string{
		"pkg/plugin/x.go":            src,
		"pkg/plugin/x_test.go":       "package plugin\n\nfunc g() { fmt.Println(1) }\n", // tests are not the plugin
		"pkg/plugin/testdata/y.go":   "package y\n\nfunc g() { fmt.Println(1) }\n",
		"pkg/plugin/not_go.txt":      "fmt.Println(1)",
		"tools/cmd/anything/main.go": "package main\n\nfunc main() { fmt.Println(1) }\n", // outside pkg/
	}))
	assert.Equal(t, []string{"pkg/bad.go coderules/code-rules-violation-error"}, codeFindings(map[string]string{"pkg/bad.go": "package"}))
}

func TestFrontendRulesCatchEachPattern(t *testing.T) {
	src := `import { locationService } from '@grafana/runtime';
// @ts-ignore
const q = fetch('/api/ds/query');
window.location.href = 'https://example.com';
alert('done');
if (window.confirm('sure?')) {}
console.log('debug');
window.open(url);
window.open(url, '_blank', 'noopener,noreferrer');
const hint = 'call alert(x) or window.location.href in a string: fine';
/* window.alert(x) in a comment: fine */
const re = /'[^']*'/; alert2(re);
`
	assert.Equal(t, []string{
		"src/a.ts:2 coderules/ts-ignore-suppress",
		"src/a.ts:3 coderules/no-api-ds-query-endpoint",
		"src/a.ts:4 coderules/direct-window-location-access",
		"src/a.ts:5 coderules/native-browser-dialogs",
		"src/a.ts:6 coderules/native-browser-dialogs",
		"src/a.ts:7 coderules/console-logging",
		"src/a.ts:8 coderules/window-open-without-noopener",
		"src/datasource.ts:2 coderules/backend-datasource-should-not-implement-testdatasource",
	}, codeFindings(map[string]string{
		"src/a.ts":      src,
		"src/a.test.ts": "alert('tests are not the plugin'); // @ts-ignore",
		"src/datasource.ts": `import { DataSourceWithBackend } from '@grafana/runtime';
export class DataSource extends DataSourceWithBackend<Q, O> {
  async testDatasource() { return { status: 'success' }; }
}`,
		"src/style.css": "/* not code the rules read */ alert(1)",
	}))
}
