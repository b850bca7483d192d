// Command packageplugin zips a built dist/ folder as Grafana's plugin catalog expects
// (<id>/... inside <id>-<version>.zip, with a .sha1 beside it for the submission form) and
// refuses an archive the catalog's validator would (tools/catalogcheck's archive checks).
// scripts/package.sh runs it.
package main

import (
	"archive/zip"
	"crypto/sha1" //nolint:gosec // the catalog's submission form asks for a SHA-1, not for security
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/opsdeck/fastly-datasource/tools/catalogcheck"
	"github.com/opsdeck/fastly-datasource/tools/packaging"
)

func main() {
	dist := flag.String("dist", "dist", "the built plugin folder")
	outDir := flag.String("out", "artifacts", "where the zip and its .sha1 go")
	platforms := flag.String("platforms", strings.Join(catalogcheck.Platforms, ","), "os_arch pairs whose binaries the archive must hold")
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
	layout, version, err := packaging.LayoutFor(raw)
	if err != nil {
		return "", fmt.Errorf("dist/%w", err)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", err
	}
	zipPath := filepath.Join(outDir, layout.PluginID+"-"+version+".zip")
	out, err := os.Create(zipPath)
	if err != nil {
		return "", err
	}
	sum := sha1.New() //nolint:gosec // see the import
	err = packaging.Archive(dist, layout, io.MultiWriter(out, sum))
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
	report := &catalogcheck.Report{}
	catalogcheck.CheckArchive(report, catalogcheck.Archive{Zip: &zr.Reader, PluginID: layout.PluginID, Platforms: platforms})
	if report.Errors() > 0 {
		var problems []string
		for _, f := range report.Sorted() {
			problems = append(problems, f.String())
		}
		return "", fmt.Errorf("%s would be refused by the catalog:\n  %s", zipPath, strings.Join(problems, "\n  "))
	}
	return zipPath, nil
}
