package packaging

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
	copyRepo("plugin.json", "plugin.json", "%VERSION%", "1.0.0", "%TODAY%", "2026-11-29")
	copyRepo("README.md", "README.md")
	copyRepo("CHANGELOG.md", "CHANGELOG.md")
	copyRepo("LICENSE", "LICENSE")
	copyRepo("src/img/logo.svg", "img/logo.svg")
	// the build ships docs/img/x.png as img/x.png, and provisioning/dashboards/x.json as
	// dashboards/x.json (webpack.config.ts)
	var manifest struct {
		Info struct {
			Screenshots []struct{ Path string } `json:"screenshots"`
		} `json:"info"`
		Includes []struct{ Type, Path string } `json:"includes"`
	}
	raw, err := os.ReadFile(filepath.Join("..", "..", "plugin.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &manifest))
	for _, s := range manifest.Info.Screenshots {
		copyRepo(filepath.Join("docs", s.Path), s.Path)
	}
	for _, inc := range manifest.Includes {
		if inc.Type == "dashboard" {
			copyRepo(filepath.Join("provisioning", inc.Path), inc.Path)
		}
	}
	write := func(name, body string, mode fs.FileMode) {
		require.NoError(t, os.WriteFile(filepath.Join(dist, name), []byte(body), mode))
	}
	write("module.js", "define([],function(){})", 0o644)
	write("go_plugin_build_manifest", strings.Repeat("a", 64)+":pkg/main.go\n"+strings.Repeat("b", 64)+":pkg/plugin/datasource.go\n", 0o644)
	// A checkout or a Windows build may leave binaries without exec bits: Archive must add them.
	write("gpx_fastly_linux_amd64", "\x7fELF", 0o644)
	return dist
}

func archive(t *testing.T, dist string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, Archive(dist, testID, "gpx_fastly", &buf))
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	return zr
}

func TestArchiveOfTheRepositoryPassesTheChecks(t *testing.T) {
	zr := archive(t, repoDist(t))
	assert.Empty(t, Check(zr, testID, []string{"linux_amd64"}))

	modes := map[string]fs.FileMode{}
	for _, f := range zr.File {
		modes[f.Name] = f.Mode().Perm()
	}
	assert.Equal(t, fs.FileMode(0o755), modes[testID+"/gpx_fastly_linux_amd64"])
	assert.Equal(t, fs.FileMode(0o644), modes[testID+"/plugin.json"])
	assert.Contains(t, modes, testID+"/img/logo.svg")
}

func TestArchiveRefusesTheDebugSwitch(t *testing.T) {
	dist := repoDist(t)
	require.NoError(t, os.WriteFile(filepath.Join(dist, "standalone.txt"), []byte("127.0.0.1:1"), 0o644))
	err := Archive(dist, testID, "gpx_fastly", &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "standalone.txt")
}

func TestCheckNamesWhatIsMissingOrWrong(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(t *testing.T, dist string)
		want  string
	}{
		{"no LICENSE", remove("LICENSE"), "LICENSE: missing from the archive"},
		{"no CHANGELOG", remove("CHANGELOG.md"), "CHANGELOG.md: missing from the archive"},
		{"no README", remove("README.md"), "README.md: missing from the archive"},
		{"no module.js", remove("module.js"), "module.js is missing"},
		{"no build manifest", remove("go_plugin_build_manifest"), "go_plugin_build_manifest: missing"},
		{"no logo", remove("img/logo.svg"), `names "img/logo.svg"`},
		{"bad manifest line", rewrite("go_plugin_build_manifest", "main.go\n"), `line "main.go"`},
		{"empty manifest", rewrite("go_plugin_build_manifest", "\n"), "lists no Go source files"},
		{"scaffold README", rewrite("README.md", "# Grafana plugin template\n"), `"Grafana plugin template"`},
		{"scaffold org", edit("plugin.json", `"OpsDeck"`, `"your-org"`), `"your-org"`},
		{"TODO left", rewrite("CHANGELOG.md", "TODO: write\n"), `CHANGELOG.md still holds the scaffold text "TODO"`},
		{"version not filled", edit("plugin.json", `"1.0.0"`, `"%VERSION%"`), "is not a semantic version"},
		{"date not filled", edit("plugin.json", `"2026-11-29"`, `"%TODAY%"`), "is not a YYYY-MM-DD date"},
		{"other id", edit("plugin.json", `"opsdeck-fastly-datasource"`, `"opsdeck-fastly-panel"`), `id is "opsdeck-fastly-panel"`},
		{"no author", edit("plugin.json", `"OpsDeck"`, `""`), "no info.author.name"},
		{"no executable", edit("plugin.json", `"gpx_fastly"`, `""`), "names no executable"},
		{"invalid JSON", rewrite("plugin.json", "{"), "not valid JSON"},
		{"empty LICENSE", rewrite("LICENSE", " \n"), "LICENSE is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dist := repoDist(t)
			tc.spoil(t, dist)
			problems := Check(archive(t, dist), testID, []string{"linux_amd64"})
			assert.Contains(t, strings.Join(problems, "\n"), tc.want)
		})
	}
}

func TestCheckWantsEveryPlatformAsked(t *testing.T) {
	problems := Check(archive(t, repoDist(t)), testID, []string{"linux_amd64", "windows_arm64"})
	assert.Equal(t, []string{"gpx_fastly_windows_arm64.exe is missing: build the backend for windows_arm64"}, problems)
}

func TestCheckReadsModesAndFolders(t *testing.T) {
	// Built by hand, as another zip tool might: a binary without exec bits, a stray top file.
	dist := repoDist(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	require.NoError(t, filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dist, p)
		h := &zip.FileHeader{Name: testID + "/" + filepath.ToSlash(rel)}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}))
	_, err := zw.Create("README.md")
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)

	assert.ElementsMatch(t, []string{
		"README.md is outside the top folder opsdeck-fastly-datasource/: the archive must hold exactly one folder named after the plugin id",
		"gpx_fastly_linux_amd64 has mode -rw-r--r--: Grafana needs it executable by everyone (0755)",
	}, Check(zr, testID, []string{"linux_amd64"}))
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
