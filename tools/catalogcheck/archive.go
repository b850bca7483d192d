package catalogcheck

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// Platforms are the os_arch pairs Grafana runs a backend plugin on; the catalog wants all six.
var Platforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"}

// maxArchiveFile bounds how much of one archive member the checks read.
const maxArchiveFile = 4 << 20

// scaffoldText is what a plugin scaffold leaves behind; the catalog's reviewers refuse it. The
// validator looks for the template's title in the README (templatereadme); this project also
// refuses the scaffold's placeholder organisation, to-do markers and unfilled placeholders in
// every text file it ships.
var scaffoldText = []string{"Grafana plugin template", "your-org", "TODO", versionPlaceholder, todayPlaceholder}

var (
	templateTitle = regexp.MustCompile(`(?i)Grafana (Panel|Data Source|Datasource|App|Data Source Backend) Plugin Template`)
	manifestLine  = regexp.MustCompile(`^[0-9a-f]{64}:[^:]+\.go$`)
)

// Archive is a plugin archive as the catalog receives it.
type Archive struct {
	Zip            *zip.Reader
	PluginID       string   // the folder it must hold
	Platforms      []string // the os_arch pairs whose binaries it must hold
	PackageVersion string   // package.json's version, which plugin.json's must equal
}

// CheckArchive checks the archive: one top folder named after the plugin id (archive,
// archivename), a plugin.json that keeps every rule of the source's and names files the archive
// holds (metadatavalid and the rest, metadatapaths, screenshots), the version of package.json
// (packagejson), module.js (modulejs), a binary with exec bits per platform (backendbinary,
// binarypermissions), the build manifest (gomanifest), no debug switch (backenddebug), README,
// CHANGELOG and LICENSE (readme, templatereadme, brokenlinks, changelog, license).
func CheckArchive(r *Report, a Archive) {
	files := map[string]*zip.File{}
	for _, f := range a.Zip.File {
		top, rest, _ := strings.Cut(f.Name, "/")
		if top != a.PluginID {
			r.add("archivename", "no-ident-root-dir", Error, f.Name, "is outside the top folder %s/: the archive holds exactly one folder, named after the plugin id", a.PluginID)
			continue
		}
		if rest != "" && !f.FileInfo().IsDir() {
			files[rest] = f
		}
	}
	if len(files) == 0 {
		r.add("archive", "empty-archive", Error, a.PluginID+"/", "the archive holds nothing")
		return
	}
	if _, ok := files["module.js"]; !ok {
		r.add("modulejs", "missing-modulejs", Error, "module.js", "missing: build the frontend (npm run build) before packaging")
	}
	if _, ok := files["standalone.txt"]; ok {
		r.add("backenddebug", "backend-debug-file-present", Error, "standalone.txt", "starts the plugin in debug mode: it must not ship")
	}
	texts := readTexts(r, files)
	if raw, ok := texts["plugin.json"]; ok {
		if m := checkManifest(r, "archive plugin.json", raw, true); m != nil {
			checkArchivedManifest(r, a, m, files)
		}
	}
	if readme, ok := texts["README.md"]; ok {
		checkReadme(r, "archive README.md", readme)
	}
	if license, ok := texts["LICENSE"]; ok {
		checkLicense(r, "archive LICENSE", license)
	}
}

// readTexts reads the text files that must ship, non-empty and free of scaffold text.
func readTexts(r *Report, files map[string]*zip.File) map[string][]byte {
	// the analyzer and rule that report a missing file
	missing := map[string][2]string{"README.md": {"readme", "missing-readme"}, "CHANGELOG.md": {"changelog", "missing-changelog"},
		"LICENSE": {"license", "license-not-provided"}, "plugin.json": {"metadata", "missing-metadata"}}
	texts := map[string][]byte{}
	for _, name := range []string{"plugin.json", "README.md", "CHANGELOG.md", "LICENSE"} {
		sev := Error
		if name == "CHANGELOG.md" {
			sev = Warning
		}
		body, err := readMember(files[name])
		switch {
		case err != nil:
			r.add(missing[name][0], missing[name][1], sev, name, "%v", err)
			continue
		case len(bytes.TrimSpace(body)) == 0:
			r.add(missing[name][0], missing[name][1], sev, name, "is empty")
			continue
		}
		texts[name] = body
		for _, t := range scaffoldText {
			if bytes.Contains(body, []byte(t)) {
				r.add("templatereadme", "template-readme", Error, name, "still holds the scaffold text %q", t)
			}
		}
	}
	return texts
}

// checkArchivedManifest checks what plugin.json says against what the archive holds.
func checkArchivedManifest(r *Report, a Archive, m *manifest, files map[string]*zip.File) {
	if m.ID != a.PluginID {
		r.add("archivename", "no-ident-root-dir", Error, "archive plugin.json id", "id is %q, the archive's folder is %q", m.ID, a.PluginID)
	}
	if a.PackageVersion != "" && m.Info.Version != a.PackageVersion {
		r.add("packagejson", "packagecode-version-mismatch", Error, "archive plugin.json info.version", "version %q differs from package.json's %q", m.Info.Version, a.PackageVersion)
	}
	named := [][2]string{{"small logo", m.Info.Logos.Small}, {"large logo", m.Info.Logos.Large}}
	for _, s := range m.Info.Screenshots {
		named = append(named, [2]string{"screenshot", s.Path})
		if f, ok := files[path.Clean(s.Path)]; ok {
			checkImage(r, s.Path, f)
		}
	}
	for _, n := range named {
		if _, ok := files[path.Clean(n[1])]; n[1] != "" && !ok {
			r.add("metadatapaths", "path-not-exists", Error, "archive plugin.json", "the %s %q is not in the archive", n[0], n[1])
		}
	}
	if m.Backend {
		checkBackend(r, m.Executable, files, a.Platforms)
	}
}

// checkBackend checks the binaries Grafana starts and the source manifest the catalog reads.
func checkBackend(r *Report, executable string, files map[string]*zip.File, platforms []string) {
	if executable == "" {
		r.add("backendbinary", "backend-binary-mission", Error, "archive plugin.json executable", "the plugin has a backend but names no executable")
		return
	}
	for _, p := range platforms {
		name := executable + "_" + p
		if strings.HasPrefix(p, "windows_") {
			name += ".exe"
		}
		f, ok := files[name]
		switch {
		case !ok:
			r.add("backendbinary", "backend-binary-mission", Error, name, "missing: build the backend for %s", p)
		case f.Mode().Perm()&0o111 != 0o111:
			r.add("binarypermissions", "binary-executable-permissions", Error, name, "has mode %v: Grafana needs it executable by everyone (0755)", f.Mode().Perm())
		}
	}
	body, err := readMember(files["go_plugin_build_manifest"])
	if err != nil {
		r.add("gomanifest", "no-go-manifest", Error, "go_plugin_build_manifest", "%v", err)
		return
	}
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			lines++
			if !manifestLine.MatchString(line) {
				r.add("gomanifest", "invalid-go-manifest", Error, "go_plugin_build_manifest", "line %q is not <sha256>:<file>.go", line)
			}
		}
	}
	if lines == 0 {
		r.add("gomanifest", "invalid-go-manifest", Error, "go_plugin_build_manifest", "lists no Go source files")
	}
}

// readMember reads one archive member, bounded by maxArchiveFile.
func readMember(f *zip.File) ([]byte, error) {
	if f == nil {
		return nil, fmt.Errorf("missing from the archive")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, maxArchiveFile+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxArchiveFile {
		return nil, fmt.Errorf("larger than %d bytes", maxArchiveFile)
	}
	return body, nil
}
