// Package packaging zips a built dist/ folder in the layout Grafana's plugin catalog expects;
// tools/catalogcheck checks the archive the way the catalog's validator would.
package packaging

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// executableMode is what Grafana needs on the backend binaries: it starts them as processes.
const executableMode fs.FileMode = 0o755

// Layout says how dist becomes the archive.
type Layout struct {
	PluginID   string // the archive's one top folder
	Executable string // the backend binaries' name prefix
	// Where the README's relative links point in the archive (see AbsoluteLinks): the
	// repository's pages and raw files at the release's tag. Empty leaves the README as it is.
	DocsURL, FilesURL string
}

// LayoutFor reads the layout from the built plugin.json: its id and executable, and, when it
// links a GitHub repository (a link named "Repository"), that repository's pages and files at
// the tag the version is released as (v<version>), for the README's links.
func LayoutFor(pluginJSON []byte) (l Layout, version string, err error) {
	var m struct {
		ID         string `json:"id"`
		Executable string `json:"executable"`
		Info       struct {
			Version string `json:"version"`
			Links   []struct{ Name, URL string }
		} `json:"info"`
	}
	if err := json.Unmarshal(pluginJSON, &m); err != nil {
		return l, "", fmt.Errorf("plugin.json: %w", err)
	}
	l = Layout{PluginID: m.ID, Executable: m.Executable}
	for _, link := range m.Info.Links {
		if repo, ok := strings.CutPrefix(link.URL, "https://github.com/"); ok && strings.EqualFold(link.Name, "repository") {
			tag := "v" + m.Info.Version
			l.DocsURL = "https://github.com/" + repo + "/blob/" + tag
			l.FilesURL = "https://raw.githubusercontent.com/" + repo + "/" + tag
		}
	}
	return l, m.Info.Version, nil
}

// Archive writes dist (a built plugin: module.js, plugin.json, binaries, ...) to w as a zip
// whose single top folder is the plugin id. Backend binaries (names starting with the
// executable prefix) are stored with exec bits whatever the file system said, so an archive
// built on Windows or from a checkout without modes still starts; debug-mode switches
// (standalone.txt) are refused rather than shipped. The README's relative links, which work in
// the repository but not on the catalog's page, become absolute.
func Archive(dist string, l Layout, w io.Writer) error {
	var files []string
	err := filepath.WalkDir(dist, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading %s: %w", dist, err)
	}
	sort.Strings(files)
	zw := zip.NewWriter(w)
	for _, p := range files {
		rel, err := filepath.Rel(dist, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if path.Base(rel) == "standalone.txt" {
			return fmt.Errorf("%s holds standalone.txt, which starts the plugin in debug mode: delete it and package again", dist)
		}
		mode := fs.FileMode(0o644)
		if strings.HasPrefix(path.Base(rel), l.Executable+"_") {
			mode = executableMode
		}
		var edit func([]byte) []byte
		if rel == "README.md" && l.DocsURL != "" {
			edit = func(b []byte) []byte { return AbsoluteLinks(b, l.DocsURL, l.FilesURL) }
		}
		if err := addFile(zw, p, path.Join(l.PluginID, rel), mode, edit); err != nil {
			return err
		}
	}
	return zw.Close()
}

// addFile stores the file src as name; edit, when set, rewrites its content first.
func addFile(zw *zip.Writer, src, name string, mode fs.FileMode, edit func([]byte) []byte) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	h, err := zip.FileInfoHeader(info)
	if err != nil {
		return err
	}
	h.Name = name
	h.Method = zip.Deflate
	h.SetMode(mode)
	dst, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	if edit == nil {
		_, err = io.Copy(dst, f)
		return err
	}
	body, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	_, err = dst.Write(edit(body))
	return err
}
