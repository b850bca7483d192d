package packaging

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testID = "opsdeck-fastly-datasource"

const testPluginJSON = `{"id": "opsdeck-fastly-datasource", "executable": "gpx_fastly", "info": {"version": "1.2.0",
  "links": [{"name": "Fastly API tokens", "url": "https://docs.fastly.com/x"}, {"name": "Repository", "url": "https://github.com/opsdeck/fastly-datasource"}]}}`

// smallDist is a built plugin folder with a README, a binary without exec bits (as a checkout
// or a Windows build may leave it) and a logo.
func smallDist(t *testing.T, readme string) string {
	t.Helper()
	dist := t.TempDir()
	for name, body := range map[string]string{
		"plugin.json": testPluginJSON, "README.md": readme, "module.js": "define([],function(){})",
		"gpx_fastly_linux_amd64": "\x7fELF", "img/logo.svg": "<svg/>",
	} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dist, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dist, name), []byte(body), 0o644))
	}
	return dist
}

// archived zips dist as packageplugin does and reads it back: name -> (mode, content).
func archived(t *testing.T, dist string) map[string]struct {
	mode fs.FileMode
	body string
} {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dist, "plugin.json"))
	require.NoError(t, err)
	layout, version, err := LayoutFor(raw)
	require.NoError(t, err)
	assert.Equal(t, "1.2.0", version)
	var buf bytes.Buffer
	require.NoError(t, Archive(dist, layout, &buf))
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	out := map[string]struct {
		mode fs.FileMode
		body string
	}{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		body, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		out[f.Name] = struct {
			mode fs.FileMode
			body string
		}{f.Mode().Perm(), string(body)}
	}
	return out
}

func TestArchiveHoldsOneFolderAndStartableBinaries(t *testing.T) {
	files := archived(t, smallDist(t, "# Fastly\n"))
	assert.Len(t, files, 5)
	assert.Equal(t, fs.FileMode(0o755), files[testID+"/gpx_fastly_linux_amd64"].mode)
	assert.Equal(t, fs.FileMode(0o644), files[testID+"/plugin.json"].mode)
	assert.Equal(t, "<svg/>", files[testID+"/img/logo.svg"].body)
}

func TestArchiveRefusesTheDebugSwitch(t *testing.T) {
	dist := smallDist(t, "# Fastly\n")
	require.NoError(t, os.WriteFile(filepath.Join(dist, "standalone.txt"), []byte("127.0.0.1:1"), 0o644))
	err := Archive(dist, Layout{PluginID: testID, Executable: "gpx_fastly"}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "standalone.txt")
}

func TestArchiveMakesTheReadmesLinksAbsolute(t *testing.T) {
	readme := "# Fastly\n![The overview](docs/img/overview.png \"Overview\")\nSee [configuration](docs/configuration.md#tokens), " +
		"[below](#install), [Fastly](https://www.fastly.com) and [us](mailto:ops@example.com).\n"
	files := archived(t, smallDist(t, readme))
	assert.Equal(t, "# Fastly\n"+
		"![The overview](https://raw.githubusercontent.com/opsdeck/fastly-datasource/v1.2.0/docs/img/overview.png \"Overview\")\n"+
		"See [configuration](https://github.com/opsdeck/fastly-datasource/blob/v1.2.0/docs/configuration.md#tokens), "+
		"[below](#install), [Fastly](https://www.fastly.com) and [us](mailto:ops@example.com).\n",
		files[testID+"/README.md"].body)
}

func TestLayoutWithoutARepositoryLeavesTheReadme(t *testing.T) {
	l, _, err := LayoutFor([]byte(`{"id": "a-b-datasource", "executable": "gpx_b", "info": {"version": "1.0.0"}}`))
	require.NoError(t, err)
	assert.Equal(t, Layout{PluginID: "a-b-datasource", Executable: "gpx_b"}, l)
	_, _, err = LayoutFor([]byte(`{`))
	assert.Error(t, err)
}
