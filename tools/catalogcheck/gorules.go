package catalogcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The validator's code rules for Go (coderules, which runs semgrep with the rules of
// pkg/analysis/passes/coderules/semgrep-rules.yaml over the source's pkg/ folder): a plugin gets
// its configuration from Grafana through the SDK, logs through the SDK's logger, and touches
// neither the environment nor the file system. Like semgrep, they match calls by how they are
// written (fmt.Println(...), os.Getenv(...)). Test files are not part of the plugin and are
// skipped.

// envAllowed are the variables Grafana hands a plugin on purpose (the rule
// access-forbidden-os-environment lets these through).
var envAllowed = regexp.MustCompile(`^(GF_PLUGIN.*|GF_VERSION|GF_EDITION|GF_ENTERPRISE_LICENSE_PATH|GF_ENTERPRISE_LICENSE_TEXT|GF_ENTERPRISE_APP_URL|GF_ENTERPRISE_LICENSE_VALIDATION_KEY|GF_ENTERPRISE_LICENSE_VALIDATION_TYPE|AWS_AUTH_AllowedAuthProviders|AWS_AUTH_AssumeRoleEnabled|AWS_AUTH_SESSION_DURATION|GFAZPL_AZURE_CLOUD|GFAZPL_MANAGED_IDENTITY_ENABLED|GFAZPL_MANAGED_IDENTITY_CLIENT_ID|AZURE_CLOUD|AZURE_MANAGED_IDENTITY_ENABLED|AZURE_MANAGED_IDENTITY_CLIENT_ID)$`)

var (
	printCalls    = []string{"Println", "Print", "Printf"}
	environCalls  = map[string][]string{"os": {"Environ", "Clearenv", "ExpandEnv"}, "syscall": {"Clearenv", "Environ"}}
	envVarCalls   = map[string][]string{"os": {"Getenv", "LookupEnv", "Setenv", "Unsetenv"}, "syscall": {"Getenv", "Setenv", "Unsetenv"}}
	filepathCalls = []string{"Walk", "WalkDir", "VolumeName", "EvalSymlinks", "Glob"}
	osFileCalls   = []string{
		"DirFS", "Getwd", "IsExist", "IsNotExist", "IsPermission", "Lchown", "Link", "Mkdir", "MkdirAll",
		"MkdirTemp", "Readfile", "ReadFile", "Readlink", "Remove", "RemoveAll", "Rename", "SameFile", "Symlink",
		"TempDir", "Truncate", "UserCacheDir", "UserConfigDir", "UserHomeDir", "WriteFile", "ReadDir", "Create",
		"CreateTemp", "NewFile", "Open", "OpenFile", "Chdir", "Chmod", "Chown", "Chtimes", "Close", "Fd", "Name",
		"Read", "ReadAt", "Readdir", "Readdirnames", "Seek", "Stat", "Sync", "Write", "WriteAt", "WriteString",
		"FileInfo", "Lstat",
	}
)

// checkGoFile applies the Go rules to one file's source; rel is its path for the report.
func checkGoFile(r *Report, rel string, src []byte) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, rel, src, 0)
	if err != nil {
		r.add("coderules", "code-rules-violation-error", Error, rel, "does not parse, so its code rules cannot be checked: %v", err)
		return
	}
	for _, imp := range file.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "github.com/grafana/sqlds" || strings.HasPrefix(p, "github.com/grafana/sqlds/v2") {
			r.add("coderules", "outdated-sqlds-version", Warning, position(fset, imp.Pos()), "sqlds v1 and v2 take no context: use sqlds/v4")
		}
	}
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		pkg, ok := sel.X.(*ast.Ident)
		if !ok {
			return true
		}
		checkGoCall(r, position(fset, call.Pos()), pkg.Name, sel.Sel.Name, call.Args)
		return true
	})
}

// checkGoCall judges one call written as pkg.name(args).
func checkGoCall(r *Report, where, pkg, name string, args []ast.Expr) {
	call := pkg + "." + name
	switch {
	case pkg == "fmt" && slices.Contains(printCalls, name):
		r.add("coderules", "fmt-print-logging", Error, where, "%s writes past Grafana's logging: log through the SDK (backend.Logger)", call)
	case slices.Contains(environCalls[pkg], name):
		r.add("coderules", "access-os-environment", Error, where, "%s reads the environment: take configuration from the data source settings", call)
	case slices.Contains(envVarCalls[pkg], name):
		// the validator warns here; the project refuses it, as the catalog issue asks
		if v, ok := stringArg(args); !ok || !envAllowed.MatchString(v) {
			r.add("coderules", "access-forbidden-os-environment", Error, where, "%s reads an environment variable Grafana does not hand plugins: take configuration from the data source settings (or backend.GrafanaConfigFromContext)", call)
		}
	case pkg == "fs":
		r.add("coderules", "access-file-system-with-fs", Error, where, "%s touches the file system, which a plugin may not", call)
	case pkg == "filepath" && slices.Contains(filepathCalls, name):
		r.add("coderules", "access-file-system-with-filepath", Error, where, "%s touches the file system, which a plugin may not", call)
	case pkg == "os" && slices.Contains(osFileCalls, name):
		r.add("coderules", "access-file-system-with-os", Error, where, "%s touches the file system, which a plugin may not", call)
	case pkg == "syscall":
		r.add("coderules", "access-syscall", Error, where, "%s: a plugin has no reason to call syscall", call)
	}
}

// stringArg is the call's first argument when it is a string literal.
func stringArg(args []ast.Expr) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	lit, ok := args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	v, err := strconv.Unquote(lit.Value)
	return v, err == nil
}

func position(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return filepath.ToSlash(p.Filename) + ":" + strconv.Itoa(p.Line)
}
