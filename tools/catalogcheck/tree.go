package catalogcheck

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"path"
	"strings"
	"time"
)

// CheckTree checks the source tree (the repository's root as an fs.FS): plugin.json, package.json,
// the create-plugin build tooling, the license, the README, and the code rules over the backend
// (pkg/) and the frontend (src/).
func CheckTree(r *Report, tree fs.FS) {
	raw, err := fs.ReadFile(tree, "plugin.json")
	if err != nil {
		r.add("metadata", "missing-metadata", Error, "plugin.json", "the manifest is missing from the repository's root: %v", err)
	} else {
		checkManifest(r, "plugin.json", raw, false)
	}
	checkPackageJSON(r, tree)
	checkBuildTools(r, tree)
	if body, err := fs.ReadFile(tree, "LICENSE"); err != nil {
		r.add("license", "license-not-provided", Error, "LICENSE", "missing: the catalog wants a license file")
	} else {
		checkLicense(r, "LICENSE", body)
	}
	if body, err := fs.ReadFile(tree, "README.md"); err != nil || len(bytes.TrimSpace(body)) == 0 {
		r.add("readme", "missing-readme", Error, "README.md", "missing or empty: the catalog shows it as the plugin's page")
	} else {
		checkReadmeSections(r, "README.md", body)
	}
	checkCode(r, tree)
}

// checkPackageJSON wants package.json with a semantic version: the build writes it into
// plugin.json, and the catalog compares the two (packagejson).
func checkPackageJSON(r *Report, tree fs.FS) {
	raw, err := fs.ReadFile(tree, "package.json")
	if err != nil {
		r.add("packagejson", "packagejson-not-found", Error, "package.json", "missing: %v", err)
		return
	}
	var p struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		r.add("packagejson", "packagejson-not-found", Error, "package.json", "cannot be read: %v", err)
		return
	}
	if !versionPattern.MatchString(p.Version) {
		r.add("version", "wrong-plugin-version", Error, "package.json version", "%q is not a semantic version like 1.2.3", p.Version)
	}
}

// checkBuildTools wants create-plugin's webpack configuration and, with a backend, a Magefile
// that builds with the SDK's build package (buildtools).
func checkBuildTools(r *Report, tree fs.FS) {
	webpack, err := fs.ReadFile(tree, ".config/webpack/webpack.config.ts")
	if err != nil || !bytes.Contains(webpack, []byte("@grafana/create-plugin")) {
		r.add("buildtools", "non-standard-frontend-build-tooling", Error, ".config/webpack/webpack.config.ts",
			"not create-plugin's: scaffold the frontend build with npx @grafana/create-plugin")
	}
	if _, err := fs.Stat(tree, "go.mod"); err != nil {
		return
	}
	for _, name := range []string{"Magefile.go", "magefile.go"} {
		if body, err := fs.ReadFile(tree, name); err == nil {
			if !bytes.Contains(body, []byte("grafana-plugin-sdk-go/build")) {
				r.add("buildtools", "non-standard-backend-build-tooling", Error, name, "does not build with github.com/grafana/grafana-plugin-sdk-go/build")
			}
			return
		}
	}
	r.add("buildtools", "non-standard-backend-build-tooling", Error, "Magefile.go", "missing: the backend builds with mage and the SDK's build package")
}

// checkCode applies the code rules: the Go rules to pkg/ (the validator scans pkg/ when the
// source has one), the frontend rules to src/. Tests, test data and dependencies are skipped.
func checkCode(r *Report, tree fs.FS) {
	walk := func(root string, visit func(p string, body []byte)) {
		err := fs.WalkDir(tree, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || (p != root && strings.HasPrefix(d.Name(), "."))) {
				return fs.SkipDir
			}
			if d.IsDir() {
				return nil
			}
			body, err := fs.ReadFile(tree, p)
			if err != nil {
				return err
			}
			visit(p, body)
			return nil
		})
		if err != nil {
			r.add("coderules", "code-rules-violation-error", Error, root, "cannot be read: %v", err)
		}
	}
	walk("pkg", func(p string, body []byte) {
		if path.Ext(p) == ".go" && !strings.HasSuffix(p, "_test.go") {
			checkGoFile(r, p, body)
		}
	})
	walk("src", func(p string, body []byte) {
		if isFrontendSource(p) {
			checkFrontendFile(r, p, string(body))
		}
	})
}

// SDK is what the module proxy says about the backend's Grafana plugin SDK.
type SDK struct {
	Required string    // the version go.mod requires; empty when it does not
	Replaced bool      // go.mod replaces it with another module
	Released time.Time // when that version was published; zero when unknown
	Latest   string    // the newest version; empty when the proxy could not be asked
}

// Ages past which the validator flags the SDK a plugin builds with (sdkusage).
const (
	sdkWarnAge  = 60 * 24 * time.Hour
	sdkErrorAge = 150 * 24 * time.Hour
)

// CheckSDK checks the backend builds with Grafana's SDK, unforked, and not long out of date:
// the validator warns past two months since the version's release and refuses past five, unless
// it is the newest release (sdkusage).
func CheckSDK(r *Report, sdk SDK, now time.Time) {
	const where = "go.mod github.com/grafana/grafana-plugin-sdk-go"
	switch {
	case sdk.Required == "":
		r.add("sdkusage", "go-sdk-not-used", Error, where, "the plugin has a backend but does not build with Grafana's plugin SDK")
		return
	case sdk.Replaced:
		r.add("sdkusage", "go-sdk-replaced", Error, where, "is replaced by a fork: build with the released SDK")
		return
	case sdk.Latest == "":
		r.add("sdkusage", "go-sdk-older-than-2-months", Warning, where, "%s: the newest release could not be learnt from the module proxy, so its age is unchecked", sdk.Required)
		return
	case sdk.Latest == sdk.Required:
		return
	case sdk.Released.IsZero():
		r.add("sdkusage", "go-mod-error", Error, where, "%s: its release date is unknown: require a released version", sdk.Required)
		return
	}
	age := now.Sub(sdk.Released)
	days := int(age.Hours() / 24)
	switch {
	case age > sdkErrorAge:
		r.add("sdkusage", "go-sdk-older-than-5-months", Error, where, "%s is %d days old and %s is out: go get github.com/grafana/grafana-plugin-sdk-go@latest", sdk.Required, days, sdk.Latest)
	case age > sdkWarnAge:
		r.add("sdkusage", "go-sdk-older-than-2-months", Warning, where, "%s is %d days old and %s is out: go get github.com/grafana/grafana-plugin-sdk-go@latest", sdk.Required, days, sdk.Latest)
	}
}
