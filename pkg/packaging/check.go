package packaging

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
)

// Platforms are the os_arch pairs Grafana runs a backend plugin on; the catalog wants all six.
var Platforms = []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64", "windows_arm64"}

// maxCheckedFile bounds how much of one text file the checks read (plugin.json, README, ...).
const maxCheckedFile = 4 << 20

// templateText is what a plugin scaffold leaves behind; the catalog's reviewers refuse it.
var templateText = []string{"Grafana plugin template", "your-org", "TODO", "%VERSION%", "%TODAY%"}

// textFiles must ship in the archive, non-empty and free of template text.
var textFiles = []string{"README.md", "CHANGELOG.md", "LICENSE", "plugin.json"}

var (
	pluginIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*-(datasource|panel|app)$`)
	semverPattern   = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	datePattern     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	manifestLine    = regexp.MustCompile(`^[0-9a-f]{64}:[^:]+\.go$`)
)

// manifest is the part of plugin.json the catalog validates.
type manifest struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	Info       struct {
		Description string `json:"description"`
		Author      struct {
			Name string `json:"name"`
		} `json:"author"`
		Logos struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Screenshots []struct {
			Path string `json:"path"`
		} `json:"screenshots"`
		Version string `json:"version"`
		Updated string `json:"updated"`
	} `json:"info"`
	Dependencies struct {
		GrafanaDependency string `json:"grafanaDependency"`
	} `json:"dependencies"`
}

// Check reports every way the archive falls short of what Grafana's plugin catalog accepts:
// one top folder named after the plugin id, a complete plugin.json, module.js, a backend binary
// with exec bits for each of platforms, the build manifest, README, CHANGELOG and LICENSE, and
// no scaffold text. An empty answer means the archive passes.
func Check(zr *zip.Reader, wantID string, platforms []string) []string {
	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		top, rest, _ := strings.Cut(f.Name, "/")
		if top != wantID {
			report("%s is outside the top folder %s/: the archive must hold exactly one folder named after the plugin id", f.Name, wantID)
			continue
		}
		if rest != "" && !f.FileInfo().IsDir() {
			files[rest] = f
		}
	}
	texts := map[string][]byte{}
	for _, name := range textFiles {
		body, err := readFile(files[name])
		switch {
		case err != nil:
			report("%s: %v", name, err)
		case len(bytes.TrimSpace(body)) == 0:
			report("%s is empty", name)
		default:
			texts[name] = body
		}
		for _, t := range templateText {
			if bytes.Contains(body, []byte(t)) {
				report("%s still holds the scaffold text %q", name, t)
			}
		}
	}
	if _, ok := files["module.js"]; !ok {
		report("module.js is missing: build the frontend (npm run build) before packaging")
	}
	if _, ok := files["standalone.txt"]; ok {
		report("standalone.txt would start the plugin in debug mode: it must not ship")
	}
	if raw, ok := texts["plugin.json"]; ok {
		problems = append(problems, checkManifest(raw, wantID, files, platforms)...)
	}
	return problems
}

// checkManifest checks plugin.json's fields and the files it names.
func checkManifest(raw []byte, wantID string, files map[string]*zip.File, platforms []string) []string {
	var problems []string
	report := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return []string{fmt.Sprintf("plugin.json is not valid JSON: %v", err)}
	}
	if m.ID != wantID {
		report("plugin.json id is %q, the archive's folder is %q", m.ID, wantID)
	}
	if !pluginIDPattern.MatchString(m.ID) || !strings.HasSuffix(m.ID, "-"+m.Type) {
		report("plugin.json id %q must read <org>-<name>-<type> in lower case, ending in its type %q", m.ID, m.Type)
	}
	required := map[string]string{
		"name": m.Name, "info.description": m.Info.Description, "info.author.name": m.Info.Author.Name,
		"dependencies.grafanaDependency": m.Dependencies.GrafanaDependency,
	}
	for _, key := range []string{"name", "info.description", "info.author.name", "dependencies.grafanaDependency"} {
		if strings.TrimSpace(required[key]) == "" {
			report("plugin.json has no %s", key)
		}
	}
	if !semverPattern.MatchString(m.Info.Version) {
		report("plugin.json info.version %q is not a semantic version", m.Info.Version)
	}
	if !datePattern.MatchString(m.Info.Updated) {
		report("plugin.json info.updated %q is not a YYYY-MM-DD date", m.Info.Updated)
	}
	named := []string{m.Info.Logos.Small, m.Info.Logos.Large}
	for _, s := range m.Info.Screenshots {
		named = append(named, s.Path)
	}
	for _, p := range named {
		if _, ok := files[path.Clean(p)]; !ok {
			report("plugin.json names %q, which is not in the archive", p)
		}
	}
	if m.Backend {
		problems = append(problems, checkBackend(m.Executable, files, platforms)...)
	}
	return problems
}

// checkBackend checks the binaries Grafana starts and the source manifest the catalog reads.
func checkBackend(executable string, files map[string]*zip.File, platforms []string) []string {
	if executable == "" {
		return []string{"plugin.json says backend but names no executable"}
	}
	var problems []string
	for _, p := range platforms {
		name := executable + "_" + p
		if strings.HasPrefix(p, "windows_") {
			name += ".exe"
		}
		f, ok := files[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s is missing: build the backend for %s", name, p))
		case f.Mode().Perm()&0o111 != 0o111:
			problems = append(problems, fmt.Sprintf("%s has mode %v: Grafana needs it executable by everyone (0755)", name, f.Mode().Perm()))
		}
	}
	body, err := readFile(files["go_plugin_build_manifest"])
	if err != nil {
		return append(problems, fmt.Sprintf("go_plugin_build_manifest: %v", err))
	}
	problems = append(problems, checkBuildManifest(body)...)
	return problems
}

// checkBuildManifest reads the SDK's "sha256:path" lines, one per Go source file.
func checkBuildManifest(body []byte) []string {
	var problems []string
	lines := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			continue
		}
		lines++
		if !manifestLine.MatchString(line) {
			problems = append(problems, fmt.Sprintf("go_plugin_build_manifest line %q is not <sha256>:<file>.go", line))
		}
	}
	if lines == 0 {
		problems = append(problems, "go_plugin_build_manifest lists no Go source files")
	}
	return problems
}

// readFile reads one archive member, bounded by maxCheckedFile.
func readFile(f *zip.File) ([]byte, error) {
	if f == nil {
		return nil, fmt.Errorf("missing from the archive")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, maxCheckedFile+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxCheckedFile {
		return nil, fmt.Errorf("larger than %d bytes", maxCheckedFile)
	}
	return body, nil
}
