// Package packaging zips a built dist/ folder in the layout Grafana's plugin catalog expects and
// checks an archive the way the catalog's validator would. The validator downloads itself at
// run time and cannot run offline, so the project keeps its own copy of the checks that matter.
package packaging

import (
	"archive/zip"
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

// Archive writes dist (a built plugin: module.js, plugin.json, binaries, ...) to w as a zip
// whose single top folder is the plugin id. Backend binaries (names starting with the
// executable prefix) are stored with exec bits whatever the file system said, so an archive
// built on Windows or from a checkout without modes still starts; debug-mode switches
// (standalone.txt) are refused rather than shipped.
func Archive(dist, pluginID, executable string, w io.Writer) error {
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
		if strings.HasPrefix(path.Base(rel), executable+"_") {
			mode = executableMode
		}
		if err := addFile(zw, p, path.Join(pluginID, rel), mode); err != nil {
			return err
		}
	}
	return zw.Close()
}

func addFile(zw *zip.Writer, src, name string, mode fs.FileMode) error {
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
	_, err = io.Copy(dst, f)
	return err
}
