// Command catalogcheck runs the plugin catalog's checks that need no validator binary
// (tools/catalogcheck) over the repository and the archive scripts/package.sh wrote, prints what
// it finds with the validator analyzer each rule mirrors, and fails on any error.
//
//	go run ./tools/cmd/catalogcheck                      # artifacts/<id>-<version>.zip, six platforms
//	go run ./tools/cmd/catalogcheck -platforms linux_amd64
package main

import (
	"archive/zip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/opsdeck/fastly-datasource/tools/catalogcheck"
)

const sdkModule = "github.com/grafana/grafana-plugin-sdk-go"

func main() {
	root := flag.String("root", ".", "the repository")
	archive := flag.String("archive", "", "the catalog archive (default artifacts/<plugin id>-<package.json version>.zip)")
	platforms := flag.String("platforms", strings.Join(catalogcheck.Platforms, ","), "os_arch pairs whose binaries the archive must hold")
	flag.Parse()
	report, err := run(*root, *archive, strings.Split(*platforms, ","))
	if err != nil {
		fmt.Fprintln(os.Stderr, "catalogcheck:", err)
		os.Exit(2)
	}
	warnings := len(report.Findings) - report.Errors()
	for _, f := range report.Sorted() {
		fmt.Fprintln(os.Stdout, f)
	}
	fmt.Fprintf(os.Stdout, "catalog check: %d errors, %d warnings\n", report.Errors(), warnings)
	if report.Errors() > 0 {
		os.Exit(1)
	}
}

func run(root, archive string, platforms []string) (*catalogcheck.Report, error) {
	report := &catalogcheck.Report{}
	tree := os.DirFS(root)
	catalogcheck.CheckTree(report, tree)
	catalogcheck.CheckSDK(report, sdkInfo(root), time.Now())

	id, version, err := identity(root)
	if err != nil {
		return nil, err
	}
	if archive == "" {
		archive = filepath.Join(root, "artifacts", id+"-"+version+".zip")
	}
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return nil, fmt.Errorf("%w: package the plugin first (scripts/package.sh)", err)
	}
	defer zr.Close()
	catalogcheck.CheckArchive(report, catalogcheck.Archive{Zip: &zr.Reader, PluginID: id, Platforms: platforms, PackageVersion: version})
	return report, nil
}

// identity reads the plugin id from plugin.json and the version from package.json, which the
// build writes into the archive's plugin.json.
func identity(root string) (id, version string, err error) {
	var m struct {
		ID string `json:"id"`
	}
	var p struct {
		Version string `json:"version"`
	}
	for name, v := range map[string]any{"plugin.json": &m, "package.json": &p} {
		raw, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			return "", "", err
		}
		if err := json.Unmarshal(raw, v); err != nil {
			return "", "", fmt.Errorf("%s: %w", name, err)
		}
	}
	return m.ID, p.Version, nil
}

// sdkInfo asks the go command what go.mod requires of the SDK (offline, from the module cache)
// and which version is the newest (from the module proxy; left empty when it cannot be asked).
func sdkInfo(root string) catalogcheck.SDK {
	var sdk catalogcheck.SDK
	var required struct {
		Version string
		Time    time.Time
		Replace *struct{ Path string }
	}
	if err := goList(root, sdkModule, &required); err != nil {
		return sdk
	}
	sdk.Required, sdk.Released = required.Version, required.Time
	sdk.Replaced = required.Replace != nil && required.Replace.Path != sdkModule
	var latest struct{ Version string }
	if err := goList(root, sdkModule+"@latest", &latest); err == nil {
		sdk.Latest = latest.Version
	}
	return sdk
}

func goList(root, query string, v any) error {
	cmd := exec.Command("go", "list", "-m", "-json", query)
	cmd.Dir = root
	cmd.Stderr = io.Discard
	out, err := cmd.Output()
	if err != nil {
		return err
	}
	return json.Unmarshal(out, v)
}
