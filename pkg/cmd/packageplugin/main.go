// Command packageplugin zips a built dist/ folder as Grafana's plugin catalog expects
// (<id>/... inside <id>-<version>.zip, with a .sha1 beside it for the submission form) and
// checks the archive the way the catalog's validator would. scripts/package.sh runs it.
package main

import (
	"archive/zip"
	"crypto/sha1" //nolint:gosec // the catalog's submission form asks for a SHA-1, not for security
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/opsdeck/fastly-datasource/pkg/packaging"
)

func main() {
	dist := flag.String("dist", "dist", "the built plugin folder")
	outDir := flag.String("out", "artifacts", "where the zip and its .sha1 go")
	platforms := flag.String("platforms", strings.Join(packaging.Platforms, ","), "os_arch pairs whose binaries the archive must hold")
	flag.Parse()
	zipPath, err := run(*dist, *outDir, strings.Split(*platforms, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "packageplugin:", err)
		os.Exit(1)
	}
	fmt.Println(zipPath)
}

func run(dist, outDir string, platforms []string) (string, error) {
	raw, err := os.ReadFile(filepath.Join(dist, "plugin.json"))
	if err != nil {
		return "", fmt.Errorf("%w: build the plugin first (npm run build and mage)", err)
	}
	var m struct {
		ID         string `json:"id"`
		Executable string `json:"executable"`
		Info       struct {
			Version string `json:"version"`
		} `json:"info"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", fmt.Errorf("dist/plugin.json: %w", err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", err
	}
	zipPath := filepath.Join(outDir, m.ID+"-"+m.Info.Version+".zip")
	out, err := os.Create(zipPath)
	if err != nil {
		return "", err
	}
	sum := sha1.New() //nolint:gosec // see the import
	err = packaging.Archive(dist, m.ID, m.Executable, io.MultiWriter(out, sum))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(zipPath+".sha1", []byte(hex.EncodeToString(sum.Sum(nil))+"\n"), 0o644); err != nil {
		return "", err
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	if problems := packaging.Check(&zr.Reader, m.ID, platforms); len(problems) > 0 {
		return "", fmt.Errorf("%s would be refused by the catalog:\n  %s", zipPath, strings.Join(problems, "\n  "))
	}
	return zipPath, nil
}
