package catalogcheck

import (
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// manifest is the part of plugin.json the validator reads.
type manifest struct {
	ID         string `json:"id"`
	Type       string `json:"type"`
	Name       string `json:"name"`
	Backend    bool   `json:"backend"`
	Executable string `json:"executable"`
	Info       struct {
		Description string   `json:"description"`
		Keywords    []string `json:"keywords"`
		Logos       struct {
			Small string `json:"small"`
			Large string `json:"large"`
		} `json:"logos"`
		Links []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"links"`
		Screenshots []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"screenshots"`
		Version string `json:"version"`
		Updated string `json:"updated"`
	} `json:"info"`
	Dependencies struct {
		GrafanaDependency string `json:"grafanaDependency"`
	} `json:"dependencies"`
}

// The patterns of Grafana's plugin.json schema (docs/sources/developers/plugins/plugin.schema.json
// in grafana/grafana), which metadatavalid validates the archive's plugin.json against. In the
// source tree the build's placeholders stand for the version and the date.
var (
	idPattern         = regexp.MustCompile(`^[0-9a-z]+\-([0-9a-z]+\-)?(app|panel|datasource)$`)
	versionPattern    = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$`)
	updatedPattern    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	patchOnlyPattern  = regexp.MustCompile(`^[0-9]+.[0-9]+.x$`)
	singleReleasePatt = regexp.MustCompile(`^[0-9]+.[0-9]+.[0-9]+$`)
	pluginTypes       = []string{"app", "datasource", "panel", "renderer"}
)

// placeholders are what the build writes into plugin.json's version and date.
const (
	versionPlaceholder = "%VERSION%"
	todayPlaceholder   = "%TODAY%"
)

// checkManifest checks plugin.json's fields; built is false for the source tree's copy, whose
// version and date are still the build's placeholders. It returns the parsed manifest (nil
// when it does not parse).
func checkManifest(r *Report, where string, raw []byte, built bool) *manifest {
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		r.add("metadatavalid", "invalid-metadata", Error, where, "plugin.json is not valid JSON: %v", err)
		return nil
	}
	checkIdentity(r, where, &m)
	checkInfo(r, where, &m, built)
	checkDependency(r, where, m.Dependencies.GrafanaDependency)
	return &m
}

// checkIdentity: id, type and name (metadatavalid, pluginname, typesuffix).
func checkIdentity(r *Report, where string, m *manifest) {
	if !idPattern.MatchString(m.ID) {
		r.add("metadatavalid", "invalid-metadata", Error, where+" id", "id %q must read <org>-<name>-<type> in lower case letters and digits", m.ID)
	}
	if !slices.Contains(pluginTypes, m.Type) {
		r.add("metadatavalid", "invalid-metadata", Error, where+" type", "type %q is none of %s", m.Type, strings.Join(pluginTypes, ", "))
	}
	if strings.TrimSpace(m.Name) == "" {
		r.add("metadatavalid", "invalid-metadata", Error, where+" name", "name is required: the catalog shows it")
	}
	if m.ID != "" && m.ID == m.Name {
		r.add("pluginname", "human-friendly-name", Error, where+" name", "name %q repeats the id: give the plugin a name people read", m.Name)
	}
	parts := strings.Split(m.ID, "-")
	if len(parts) < 3 {
		r.add("pluginname", "invalid-id-format", Warning, where+" id", "id %q should have three parts, org-name-type", m.ID)
	}
	if m.Type != "" && parts[len(parts)-1] != m.Type {
		r.add("typesuffix", "plugin-type-suffix", Error, where+" id", "id %q must end with the plugin type %q", m.ID, m.Type)
	}
}

// checkInfo: the catalog page's fields (metadatavalid, discoverability, logos, metadatapaths,
// screenshots, brokenlinks for the links' form, version).
func checkInfo(r *Report, where string, m *manifest, built bool) {
	info := &m.Info
	if strings.TrimSpace(info.Description) == "" {
		r.add("discoverability", "empty-description", Warning, where+" info.description", "describe the plugin: the catalog's search reads it")
	}
	if len(info.Keywords) == 0 {
		r.add("metadatavalid", "invalid-metadata", Error, where+" info.keywords", "at least one keyword is required (the catalog's search reads them)")
	}
	for kind, p := range map[string]string{"small logo": info.Logos.Small, "large logo": info.Logos.Large} {
		if strings.TrimSpace(p) == "" {
			r.add("logos", "logos", Error, where+" info.logos", "the %s path is empty", kind)
			continue
		}
		checkRelativePath(r, where+" info.logos", kind, p)
	}
	if len(info.Screenshots) == 0 {
		r.add("screenshots", "screenshots", Warning, where+" info.screenshots", "add at least one screenshot: the catalog shows them")
	}
	for _, s := range info.Screenshots {
		if strings.TrimSpace(s.Path) == "" {
			r.add("screenshots", "screenshots", Warning, where+" info.screenshots", "screenshot %q has no path", s.Name)
			continue
		}
		checkRelativePath(r, where+" info.screenshots", "screenshot", s.Path)
	}
	for _, l := range info.Links {
		u, err := url.Parse(l.URL)
		if strings.TrimSpace(l.Name) == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			r.add("brokenlinks", "broken-link", Error, where+" info.links", "link %q -> %q needs a name and an absolute http(s) URL", l.Name, l.URL)
		}
	}
	version, updated := info.Version, info.Updated
	if !built && version == versionPlaceholder {
		version = "0.0.0" // the build writes package.json's version
	}
	if !built && updated == todayPlaceholder {
		updated = "2000-01-01" // and the build date
	}
	if !versionPattern.MatchString(version) {
		r.add("version", "wrong-plugin-version", Error, where+" info.version", "version %q is not a semantic version like 1.2.3", info.Version)
	}
	if !updatedPattern.MatchString(updated) {
		r.add("metadatavalid", "invalid-metadata", Error, where+" info.updated", "updated %q is not a YYYY-MM-DD date", info.Updated)
	}
}

// checkRelativePath: a path in plugin.json is relative to it, without a leading "." or "/"
// (metadatapaths).
func checkRelativePath(r *Report, where, kind, p string) {
	if u, err := url.Parse(p); err != nil || u.IsAbs() {
		r.add("metadatapaths", "path-relative-to-metadata", Error, where, "the %s path %q must be a path relative to plugin.json, not a URL", kind, p)
		return
	}
	if strings.HasPrefix(p, ".") || strings.HasPrefix(p, "/") {
		r.add("metadatapaths", "invalid-relative-path", Error, where, "write the %s path %q without a leading '.' or '/', e.g. img/file.png", kind, p)
	}
}

// checkDependency: the Grafana versions the plugin claims (grafanadependency, restrictivedep).
func checkDependency(r *Report, where, dep string) {
	where += " dependencies.grafanaDependency"
	if _, err := ParseRange(dep); err != nil {
		r.add("grafanadependency", "invalid-grafana-dependency", Error, where, "%v", err)
		return
	}
	switch {
	case patchOnlyPattern.MatchString(dep):
		r.add("restrictivedep", "depends-on-patch-releases", Warning, where, "%q allows the patch releases of one Grafana minor only", dep)
	case singleReleasePatt.MatchString(dep):
		r.add("restrictivedep", "depends-on-single-release", Warning, where, "%q allows one Grafana release only", dep)
	}
}
