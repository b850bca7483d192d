package catalogcheck

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func checkTree(files map[string]string) []Finding {
	tree := fstest.MapFS{}
	for name, body := range files {
		tree[name] = &fstest.MapFile{Data: []byte(body)}
	}
	r := &Report{}
	CheckTree(r, tree)
	return r.Findings
}

// goodTree is a minimal plugin source that keeps every rule; cases spoil one file of it.
func goodTree() map[string]string {
	return map[string]string{
		"plugin.json": `{"id": "acme-thing-datasource", "type": "datasource", "name": "Thing", "backend": true, "executable": "gpx_thing",
			"info": {"description": "Things.", "keywords": ["thing"], "logos": {"small": "img/logo.svg", "large": "img/logo.svg"},
			"links": [{"name": "Repository", "url": "https://github.com/acme/thing"}], "screenshots": [{"name": "Editor", "path": "img/editor.png"}],
			"version": "%VERSION%", "updated": "%TODAY%"}, "dependencies": {"grafanaDependency": ">=12.4.0 <13.3.0"}}`,
		"package.json":                      `{"version": "1.0.0"}`,
		".config/webpack/webpack.config.ts": "// THIS FILE WAS SCAFFOLDED BY `@grafana/create-plugin`",
		"go.mod":                            "module example.com/thing\n",
		"Magefile.go":                       `import _ "github.com/grafana/grafana-plugin-sdk-go/build"`,
		"LICENSE":                           "MIT License\n\nPermission is hereby granted, free of charge, to any person",
		"README.md":                         "# Thing\n\nThings in Grafana.\n\n```sh\n# not a heading\n```\n\n## Getting started\n\nInstall it.\n",
		"pkg/main.go":                       "package main\n\nfunc main() { backend.Logger.Info(\"fmt.Println(x) in a string is fine\") }\n",
		"src/module.ts":                     "export const plugin = 1; // alert('in a comment is fine')\n",
	}
}

func TestGoodTreeKeepsEveryRule(t *testing.T) {
	assert.Empty(t, checkTree(goodTree()))
}

func TestTreeRulesNameWhatIsWrong(t *testing.T) {
	cases := []struct {
		name, file, body string
		want             string // analyzer/rule: message
	}{
		{"id is the name", "plugin.json", `{"id": "acme-thing-datasource", "type": "datasource", "name": "acme-thing-datasource"}`, "pluginname/human-friendly-name"},
		{"id of two parts", "plugin.json", `{"id": "thing-datasource", "type": "datasource", "name": "Thing"}`, "pluginname/invalid-id-format"},
		{"id without its type", "plugin.json", `{"id": "acme-thing-panel", "type": "datasource", "name": "Thing"}`, `typesuffix/plugin-type-suffix: id "acme-thing-panel" must end with the plugin type "datasource"`},
		{"upper case id", "plugin.json", `{"id": "Acme-thing-datasource", "type": "datasource", "name": "T"}`, `metadatavalid/invalid-metadata: id "Acme-thing-datasource"`},
		{"no keywords", "plugin.json", `{"id": "acme-thing-datasource", "type": "datasource", "name": "T", "info": {"keywords": []}}`, "metadatavalid/invalid-metadata: at least one keyword"},
		{"no logo", "plugin.json", `{"id": "acme-thing-datasource", "type": "datasource", "name": "T", "info": {"logos": {"large": "img/l.svg"}}}`, "logos/logos: the small logo path is empty"},
		{"logo from ./", "plugin.json", `{"info": {"logos": {"small": "./img/l.svg", "large": "img/l.svg"}}}`, `metadatapaths/invalid-relative-path: write the small logo path "./img/l.svg" without`},
		{"logo from the web", "plugin.json", `{"info": {"logos": {"small": "https://x/l.svg", "large": "img/l.svg"}}}`, "metadatapaths/path-relative-to-metadata"},
		{"no screenshots", "plugin.json", `{"info": {"screenshots": []}}`, "screenshots/screenshots: add at least one screenshot"},
		{"relative plugin link", "plugin.json", `{"info": {"links": [{"name": "Docs", "url": "docs/x.md"}]}}`, `brokenlinks/broken-link: link "Docs" -> "docs/x.md" needs`},
		{"no description", "plugin.json", `{"info": {"description": ""}}`, "discoverability/empty-description"},
		{"bad version", "plugin.json", `{"info": {"version": "1.0"}}`, `version/wrong-plugin-version: version "1.0"`},
		{"bad date", "plugin.json", `{"info": {"updated": "29/11/2026"}}`, `metadatavalid/invalid-metadata: updated "29/11/2026"`},
		{"no dependency", "plugin.json", `{"dependencies": {"grafanaDependency": ""}}`, "grafanadependency/invalid-grafana-dependency: the Grafana versions the plugin works with are required"},
		{"bad dependency", "plugin.json", `{"dependencies": {"grafanaDependency": "12.4 and later"}}`, `grafanadependency/invalid-grafana-dependency: grafanaDependency "12.4 and later": "and" is not a comparator`},
		{"patch releases only", "plugin.json", `{"dependencies": {"grafanaDependency": "12.4.x"}}`, "restrictivedep/depends-on-patch-releases"},
		{"one release only", "plugin.json", `{"dependencies": {"grafanaDependency": "12.4.1"}}`, "restrictivedep/depends-on-single-release"},
		{"package.json version", "package.json", `{"version": "one"}`, `version/wrong-plugin-version: "one" is not a semantic version`},
		{"own webpack", ".config/webpack/webpack.config.ts", "module.exports = {}", "buildtools/non-standard-frontend-build-tooling"},
		{"own backend build", "Magefile.go", "package main", "buildtools/non-standard-backend-build-tooling: does not build with"},
		{"no license", "LICENSE", "Use it as you like.", "license/license-not-valid"},
		{"template license", "LICENSE", "MIT License\n\nPermission is hereby granted, free of charge\nCopyright {yyyy}", "license/license-with-generic-text"},
		{"README without introduction", "README.md", "# Thing\n\n## Install\n", "readme/missing-readme: has no introduction"},
		{"README without install", "README.md", "# Thing\n\nThings.\n\n## Usage\n", "readme/missing-readme: has no section on installing"},
		{"README without title", "README.md", "Things.\n", "readme/missing-readme: starts with no '# ' title"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := goodTree()
			files[tc.file] = spoil(t, files[tc.file], tc.body)
			assert.Contains(t, findingsText(checkTree(files)), tc.want)
		})
	}
	files := goodTree()
	delete(files, "Magefile.go")
	assert.Contains(t, findingsText(checkTree(files)), "buildtools/non-standard-backend-build-tooling: missing")
}

// spoil merges a JSON object into a JSON file (one level deep, so "info" keeps its other
// fields), or replaces any other file.
func spoil(t *testing.T, old, replacement string) string {
	if !strings.HasPrefix(strings.TrimSpace(replacement), "{") {
		return replacement
	}
	var base, over map[string]any
	require.NoError(t, json.Unmarshal([]byte(old), &base))
	require.NoError(t, json.Unmarshal([]byte(replacement), &over))
	for k, v := range over {
		inner, isMap := v.(map[string]any)
		if baseInner, ok := base[k].(map[string]any); ok && isMap {
			for ik, iv := range inner {
				baseInner[ik] = iv
			}
			continue
		}
		base[k] = v
	}
	out, err := json.Marshal(base)
	require.NoError(t, err)
	return string(out)
}

func TestSDKAgeAgainstTheNewestRelease(t *testing.T) {
	now := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	released := func(days int) time.Time { return now.Add(-time.Duration(days) * 24 * time.Hour) }
	cases := map[string]struct {
		sdk  SDK
		want string
	}{
		"the newest":           {SDK{Required: "v0.302.0", Released: released(400), Latest: "v0.302.0"}, ""},
		"a month old":          {SDK{Required: "v0.298.0", Released: released(43), Latest: "v0.302.0"}, ""},
		"three months old":     {SDK{Required: "v0.290.0", Released: released(90), Latest: "v0.302.0"}, "sdkusage/go-sdk-older-than-2-months: v0.290.0 is 90 days old and v0.302.0 is out"},
		"half a year old":      {SDK{Required: "v0.280.0", Released: released(180), Latest: "v0.302.0"}, "sdkusage/go-sdk-older-than-5-months: v0.280.0 is 180 days old"},
		"a fork":               {SDK{Required: "v0.298.0", Replaced: true}, "sdkusage/go-sdk-replaced"},
		"no SDK":               {SDK{}, "sdkusage/go-sdk-not-used"},
		"proxy out of reach":   {SDK{Required: "v0.298.0", Released: released(10)}, "sdkusage/go-sdk-older-than-2-months: v0.298.0: the newest release could not be learnt"},
		"an unreleased commit": {SDK{Required: "v0.0.0-2026", Latest: "v0.302.0"}, "sdkusage/go-mod-error"},
	}
	for name, c := range cases {
		r := &Report{}
		CheckSDK(r, c.sdk, now)
		got := findingsText(r.Findings)
		if c.want == "" {
			assert.Empty(t, got, name)
			continue
		}
		assert.True(t, strings.HasPrefix(got, c.want), "%s: %s", name, got)
	}
}

func TestRangeContains(t *testing.T) {
	cases := map[string]map[string]bool{
		">=12.4.0 <13.3.0":  {"12.3.9": false, "12.4.0": true, "13.2.3": true, "13.3.0": false},
		"^12.4.0":           {"12.4.0": true, "12.9.1": true, "13.0.0": false},
		"~13.2.0":           {"13.2.9": true, "13.3.0": false, "13.1.0": false},
		"12.4.x":            {"12.4.10": true, "12.5.0": false},
		">=11.0.0 || 9.5.x": {"9.5.2": true, "10.1.0": false, "12.0.0": true},
		">=12.4.0-0":        {"12.4.0": true},
	}
	for constraint, versions := range cases {
		r, err := ParseRange(constraint)
		require.NoError(t, err, constraint)
		for v, want := range versions {
			parsed, err := ParseVersion(v)
			require.NoError(t, err)
			assert.Equal(t, want, r.Contains(parsed), "%s contains %s", constraint, v)
		}
	}
	for _, bad := range []string{"", "latest", ">= 12", "12.x.4", ">=12.4.0 ||"} {
		_, err := ParseRange(bad)
		assert.Error(t, err, bad)
	}
}

// TestGrafanaDependencyIsTheTestedRange keeps plugin.json's grafanaDependency to the Grafana
// versions the frontend is tested against: from the minor of the root package set
// (package.json) through the minor of the second (tests/grafana-13/package.json), nothing
// outside.
func TestGrafanaDependencyIsTheTestedRange(t *testing.T) {
	read := func(name string, v any) {
		raw, err := os.ReadFile(filepath.Join("..", "..", name))
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(raw, v))
	}
	var m manifest
	read("plugin.json", &m)
	r, err := ParseRange(m.Dependencies.GrafanaDependency)
	require.NoError(t, err)
	var oldest, newest struct{ Dependencies map[string]string }
	read("package.json", &oldest)
	read("tests/grafana-13/package.json", &newest)
	low, err := ParseVersion(oldest.Dependencies["@grafana/data"])
	require.NoError(t, err)
	high, err := ParseVersion(newest.Dependencies["@grafana/data"])
	require.NoError(t, err)

	assert.True(t, r.Contains(Version{low[0], low[1], 0}), "the oldest tested minor, from its first release")
	assert.True(t, r.Contains(high), "the newest tested release")
	assert.True(t, r.Contains(Version{high[0], high[1], high[2] + 20}), "later patches of the newest tested minor")
	assert.False(t, r.Contains(Version{high[0], high[1] + 1, 0}), "the next minor is untested")
	if low[1] > 0 {
		assert.False(t, r.Contains(Version{low[0], low[1] - 1, 99}), "the minor before the oldest is untested")
	}
}

// TestRepositoryKeepsTheCodeRules runs the source rules over this repository: the backend in
// pkg/ and the frontend in src/ keep the validator's code rules, plugin.json, the README and
// the license their rules.
func TestRepositoryKeepsTheCodeRules(t *testing.T) {
	r := &Report{}
	CheckTree(r, os.DirFS(filepath.Join("..", "..")))
	assert.Empty(t, findingsText(r.Findings))
}
