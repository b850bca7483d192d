package catalogcheck

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/tools/packaging"
)

const testID = "opsdeck-fastly-datasource"

// repoDist lays out dist/ as npm run build and mage build:linux leave it, from the repository's
// real plugin.json, README, CHANGELOG, LICENSE, logo, screenshots and dashboards (so template
// text in any of them, or a screenshot plugin.json names but the repository lacks, fails here),
// with %VERSION% and %TODAY% replaced as the frontend build does.
func repoDist(t *testing.T) string {
	t.Helper()
	dist := t.TempDir()
	copyRepo := func(src, dst string, replace ...string) {
		body, err := os.ReadFile(filepath.Join("..", "..", src))
		require.NoError(t, err)
		body = []byte(strings.NewReplacer(replace...).Replace(string(body)))
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dist, dst)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dist, dst), body, 0o644))
	}
	copyRepo("plugin.json", "plugin.json", versionPlaceholder, "1.0.0", todayPlaceholder, "2026-11-29")
	copyRepo("README.md", "README.md")
	copyRepo("CHANGELOG.md", "CHANGELOG.md")
	copyRepo("LICENSE", "LICENSE")
	copyRepo("src/img/logo.svg", "img/logo.svg")
	// the build ships docs/img/x.png as img/x.png, and provisioning/dashboards/x.json as
	// dashboards/x.json (webpack.config.ts)
	var m struct {
		Info struct {
			Screenshots []struct{ Path string } `json:"screenshots"`
		} `json:"info"`
		Includes []struct{ Type, Path string } `json:"includes"`
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "plugin.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &m))
	for _, s := range m.Info.Screenshots {
		copyRepo(filepath.Join("docs", s.Path), s.Path)
	}
	for _, inc := range m.Includes {
		if inc.Type == "dashboard" {
			copyRepo(filepath.Join("provisioning", inc.Path), inc.Path)
		}
	}
	write := func(name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dist, name), []byte(body), 0o644))
	}
	write("module.js", "define([],function(){})")
	write("go_plugin_build_manifest", strings.Repeat("a", 64)+":pkg/main.go\n"+strings.Repeat("b", 64)+":pkg/plugin/datasource.go\n")
	write("gpx_fastly_linux_amd64", "\x7fELF")
	return dist
}

// packaged zips dist as scripts/package.sh does, into the folder the repository's plugin id
// names (whatever dist's plugin.json says, so a spoilt one can be checked).
func packaged(t *testing.T, dist string) *zip.Reader {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dist, "plugin.json"))
	require.NoError(t, err)
	layout, _, err := packaging.LayoutFor(raw)
	if err != nil {
		layout = packaging.Layout{Executable: "gpx_fastly"}
	}
	layout.PluginID = testID
	var buf bytes.Buffer
	require.NoError(t, packaging.Archive(dist, layout, &buf))
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	return zr
}

func checkArchive(zr *zip.Reader, platforms ...string) []Finding {
	r := &Report{}
	CheckArchive(r, Archive{Zip: zr, PluginID: testID, Platforms: platforms, PackageVersion: "1.0.0"})
	return r.Findings
}

func TestArchiveOfTheRepositoryPassesTheChecks(t *testing.T) {
	assert.Empty(t, checkArchive(packaged(t, repoDist(t)), "linux_amd64"))
}

func TestCheckArchiveNamesWhatIsMissingOrWrong(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(t *testing.T, dist string)
		want  string // analyzer/rule: message
	}{
		{"no LICENSE", remove("LICENSE"), "license/license-not-provided: missing from the archive"},
		{"no CHANGELOG", remove("CHANGELOG.md"), "changelog/missing-changelog: missing from the archive"},
		{"no README", remove("README.md"), "readme/missing-readme: missing from the archive"},
		{"no module.js", remove("module.js"), "modulejs/missing-modulejs: missing"},
		{"no build manifest", remove("go_plugin_build_manifest"), "gomanifest/no-go-manifest: missing"},
		{"no logo", remove("img/logo.svg"), `metadatapaths/path-not-exists: the small logo "img/logo.svg" is not in the archive`},
		{"no screenshot", remove("img/query-editor.png"), `metadatapaths/path-not-exists: the screenshot "img/query-editor.png"`},
		{"screenshot not an image", rewrite("img/query-editor.png", "hello"), "screenshots/screenshots-image-type: is text/plain"},
		{"bad manifest line", rewrite("go_plugin_build_manifest", "main.go\n"), `gomanifest/invalid-go-manifest: line "main.go"`},
		{"empty manifest", rewrite("go_plugin_build_manifest", "\n"), "gomanifest/invalid-go-manifest: lists no Go source files"},
		{"scaffold README", rewrite("README.md", "# Grafana data source plugin template\n\nHi.\n\n## Getting started\n"), "templatereadme/template-readme: is create-plugin's"},
		{"scaffold org", edit("plugin.json", `"OpsDeck"`, `"your-org"`), `templatereadme/template-readme: still holds the scaffold text "your-org"`},
		{"TODO left", rewrite("CHANGELOG.md", "TODO: write\n"), `templatereadme/template-readme: still holds the scaffold text "TODO"`},
		{"README comment", rewrite("README.md", "# F\n\nHi <!-- later -->\n\n## Install\n"), "readme/readme-comment"},
		{"README without install", rewrite("README.md", "# F\n\nHi.\n\n## Use\n"), "readme/missing-readme: has no section on installing"},
		// without a repository to point them at, the README's relative links stay relative
		{"relative link", edit("plugin.json", `"Repository"`, `"Code"`), `brokenlinks/relative-link: the relative link "docs/development.md"`},
		{"version not filled", edit("plugin.json", `"1.0.0"`, `"%VERSION%"`), "version/wrong-plugin-version"},
		{"version not package.json's", edit("plugin.json", `"1.0.0"`, `"1.0.1"`), `packagejson/packagecode-version-mismatch: version "1.0.1" differs from package.json's "1.0.0"`},
		{"date not filled", edit("plugin.json", `"2026-11-29"`, `"%TODAY%"`), "metadatavalid/invalid-metadata: updated \"%TODAY%\""},
		{"other id", edit("plugin.json", `"opsdeck-fastly-datasource"`, `"opsdeck-fastly-panel"`), `archivename/no-ident-root-dir: id is "opsdeck-fastly-panel"`},
		{"no executable", edit("plugin.json", `"gpx_fastly"`, `""`), "backendbinary/backend-binary-mission: the plugin has a backend but names no executable"},
		{"invalid JSON", rewrite("plugin.json", "{"), "metadatavalid/invalid-metadata: plugin.json is not valid JSON"},
		{"empty LICENSE", rewrite("LICENSE", " \n"), "license/license-not-provided: is empty"},
		{"unknown LICENSE", rewrite("LICENSE", "All rights reserved.\n"), "license/license-not-valid"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dist := repoDist(t)
			tc.spoil(t, dist)
			assert.Contains(t, findingsText(checkArchive(packaged(t, dist), "linux_amd64")), tc.want)
		})
	}
}

func TestCheckArchiveWantsEveryPlatformAsked(t *testing.T) {
	assert.Equal(t, "backendbinary/backend-binary-mission: missing: build the backend for windows_arm64",
		findingsText(checkArchive(packaged(t, repoDist(t)), "linux_amd64", "windows_arm64")))
}

func TestCheckArchiveReadsModesAndFolders(t *testing.T) {
	// Built by hand, as another zip tool might: a binary without exec bits, a stray top file, the
	// debug switch.
	dist := repoDist(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	require.NoError(t, filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dist, p)
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == "README.md" {
			body = packaging.AbsoluteLinks(body, "https://github.com/o/r/blob/v1", "https://raw.githubusercontent.com/o/r/v1")
		}
		h := &zip.FileHeader{Name: testID + "/" + filepath.ToSlash(rel)}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}))
	for _, name := range []string{"README.md", testID + "/standalone.txt"} {
		_, err := zw.Create(name)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)

	assert.Equal(t, "archivename/no-ident-root-dir: is outside the top folder opsdeck-fastly-datasource/: the archive holds exactly one folder, named after the plugin id\n"+
		"backenddebug/backend-debug-file-present: starts the plugin in debug mode: it must not ship\n"+
		"binarypermissions/binary-executable-permissions: has mode -rw-r--r--: Grafana needs it executable by everyone (0755)",
		findingsText(checkArchive(zr, "linux_amd64")))
}

// findingsText is one line per finding: analyzer/rule: message.
func findingsText(fs []Finding) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.Analyzer + "/" + f.Rule + ": " + f.Message
	}
	return strings.Join(lines, "\n")
}

func remove(name string) func(t *testing.T, dist string) {
	return func(t *testing.T, dist string) { require.NoError(t, os.Remove(filepath.Join(dist, name))) }
}

func rewrite(name, body string) func(t *testing.T, dist string) {
	return func(t *testing.T, dist string) {
		require.NoError(t, os.WriteFile(filepath.Join(dist, name), []byte(body), 0o644))
	}
}

func edit(name, old, replacement string) func(t *testing.T, dist string) {
	return func(t *testing.T, dist string) {
		p := filepath.Join(dist, name)
		body, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Contains(t, string(body), old)
		require.NoError(t, os.WriteFile(p, bytes.Replace(body, []byte(old), []byte(replacement), 1), 0o644))
	}
}
