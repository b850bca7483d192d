package catalog

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The testdata files list FIELDS.md's sections (see testdata/README.md), so these tests hold
// the catalog to the reference without needing the shared folder at CI time.

// readRows returns the whitespace-separated columns of each non-empty line.
func readRows(t *testing.T, file string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	require.NoError(t, err)
	defer f.Close()
	var rows [][]string
	s := bufio.NewScanner(f)
	for s.Scan() {
		if fs := strings.Fields(s.Text()); len(fs) > 0 {
			rows = append(rows, fs)
		}
	}
	require.NoError(t, s.Err())
	return rows
}

// wantUnit maps FIELDS.md's unit column to the Grafana unit and real-time scale the plugin emits.
func wantUnit(t *testing.T, fieldsUnit string) (unit string, rtScale float64) {
	t.Helper()
	switch fieldsUnit {
	case "count":
		return UnitShort, 0
	case "bytes":
		return UnitBytes, 0
	case "s":
		return UnitSeconds, 0
	case "ns":
		return UnitSeconds, 1e-9 // emitted in seconds, like historical data
	case "ms":
		return UnitMillis, 0
	case "ratio0-1":
		return UnitPercentUnit, 0
	}
	t.Fatalf("unit %q in testdata has no mapping", fieldsUnit)
	return "", 0
}

func TestEveryStatsFieldIsCatalogued(t *testing.T) {
	for _, tc := range []struct {
		file  string
		kind  Kind
		count int
	}{
		{"historical_fields.txt", KindHistorical, 347},
		{"realtime_fields.txt", KindRealtime, 338},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			rows := readRows(t, tc.file)
			require.Len(t, rows, tc.count, "testdata must hold the whole FIELDS.md section")
			for _, r := range rows {
				name, typ, unit := r[0], r[1], r[2]
				if name == "service_id" || name == "start_time" {
					_, ok := Lookup(name)
					assert.False(t, ok, "%s is a record key, not a metric", name)
					assert.True(t, IsRecordKey(name))
					continue
				}
				m, ok := Lookup(name)
				if !assert.True(t, ok, "missing %s", name) {
					continue
				}
				assert.True(t, sentNatively(m, tc.kind), "%s must be native to %s", name, tc.kind)
				assert.True(t, m.Has(tc.kind), "%s must list %s", name, tc.kind)
				if name == MissHistogramField {
					assert.True(t, m.Hidden)
					continue
				}
				u, scale := wantUnit(t, unit)
				assert.Equal(t, u, m.Unit, "unit of %s", name)
				if tc.kind == KindRealtime {
					assert.Equal(t, scale, m.RealtimeScale, "real-time scale of %s", name)
				}
				assert.Equal(t, strings.HasPrefix(typ, "float"), m.Float, "float flag of %s", name)
				assert.Equal(t, unit == "ratio0-1", m.Ratio, "ratio flag of %s", name)
			}
		})
	}
}

func TestEveryInspectorMetricIsCatalogued(t *testing.T) {
	for _, tc := range []struct {
		file  string
		kind  Kind
		count int
	}{
		{"origin_inspector_metrics.txt", KindOrigins, 156},
		{"domain_inspector_metrics.txt", KindDomains, 133},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			rows := readRows(t, tc.file)
			require.Len(t, rows, tc.count)
			for _, r := range rows {
				name := r[0]
				m, ok := Lookup(name)
				if !assert.True(t, ok, "missing %s", name) {
					continue
				}
				assert.True(t, sentNatively(m, tc.kind), "%s must be native to %s", name, tc.kind)
				want := UnitShort
				switch {
				case strings.HasSuffix(name, "_bytes") || name == "bandwidth":
					want = UnitBytes
				case strings.HasSuffix(name, "_ratio") || name == "origin_offload":
					want = UnitPercentUnit
					assert.True(t, m.Ratio && m.Float, "%s is a float ratio", name)
				case strings.HasSuffix(name, "_ms"):
					want = UnitMillis
				}
				assert.Equal(t, want, m.Unit, "unit of %s", name)
			}
		})
	}
}

func TestNativeKindsMatchTheReferenceExactly(t *testing.T) {
	// A field listed for a kind it does not exist in would send users to empty panels.
	inFile := map[Kind]map[string]bool{}
	for file, k := range map[string]Kind{
		"historical_fields.txt": KindHistorical, "realtime_fields.txt": KindRealtime,
		"origin_inspector_metrics.txt": KindOrigins, "domain_inspector_metrics.txt": KindDomains,
	} {
		inFile[k] = map[string]bool{}
		for _, r := range readRows(t, file) {
			inFile[k][r[0]] = true
		}
	}
	for name, m := range byName {
		for _, k := range allKinds {
			assert.Equal(t, inFile[k][name], sentNatively(m, k), "%s native to %s", name, k)
		}
	}
	assert.True(t, inFile[KindHistorical]["pipe"] && !inFile[KindRealtime]["pipe"], "pipe is historical only")
	m, _ := Lookup("pipe")
	assert.Equal(t, []Kind{KindHistorical}, m.Kinds)
}

func TestDescriptionsAreOursAndPresent(t *testing.T) {
	ref := map[string][]string{}
	for _, r := range readRows(t, "fields_md_description_sha256.txt") {
		ref[r[1]] = append(ref[r[1]], r[2])
	}
	require.Equal(t, 349+2, len(ref), "hashes for every historical and real-time field and the two record keys")
	for name, m := range byName {
		d := m.Description
		assert.NotEmpty(t, d, name)
		assert.NotEqual(t, m.Label, d, "%s: description must say more than the label", name)
		assert.True(t, strings.HasSuffix(d, ".") || strings.HasSuffix(d, ")"), "%s: one full sentence: %q", name, d)
		assert.NotContains(t, d, "\n", name)
		assert.NotContains(t, d, "count per bucket", "%s fell back to the generic description", name)
		assert.NotEmpty(t, m.Label, name)
		assert.NotEmpty(t, m.Category, name)
		sum := sha256.Sum256([]byte(strings.Join(strings.Fields(strings.TrimSuffix(strings.ToLower(d), ".")), " ")))
		for _, h := range ref[name] {
			assert.NotEqual(t, h, hex.EncodeToString(sum[:]), "%s: description is FIELDS.md's text", name)
		}
	}
}

func TestAllIsStableUniqueAndHidesInputs(t *testing.T) {
	all := All()
	seen := map[string]bool{}
	for i, m := range all {
		assert.False(t, seen[m.Name], "duplicate %s", m.Name)
		seen[m.Name] = true
		assert.False(t, m.Hidden, m.Name)
		assert.NotEmpty(t, m.Kinds, m.Name)
		if i > 0 {
			p := all[i-1]
			assert.True(t, p.Category < m.Category || (p.Category == m.Category && p.Name < m.Name),
				"order: %s/%s before %s/%s", p.Category, p.Name, m.Category, m.Name)
		}
	}
	assert.False(t, seen[MissHistogramField], "miss_histogram is not plottable")
	for _, n := range []string{"requests", "hit_ratio", "bandwidth_bps", "origin_latency_p95", "edge_hit_ratio"} {
		assert.True(t, seen[n], n)
	}
	// Union of the four sections: 522 raw names, less the hidden histogram, plus 14 derived
	// names (hit_ratio and bandwidth are both raw and derived; the per-code all_status_NNN the
	// plugin adds for the stats are Origin Inspector fields too).
	assert.Len(t, all, 521+14)
	assert.Equal(t, all, All(), "same order every call")

	all[0].Kinds[0] = "mangled"
	assert.NotEqual(t, Kind("mangled"), All()[0].Kinds[0], "callers cannot edit the catalog")
}

func TestForKindCounts(t *testing.T) {
	counts := map[Kind]int{}
	for _, k := range allKinds {
		ms := ForKind(k)
		counts[k] = len(ms)
		for _, m := range ms {
			assert.True(t, m.Has(k), "%s in %s", m.Name, k)
		}
	}
	// native fields (record keys and the hidden histogram left out) plus derived ones.
	everySource := 1 + len(statusCodesOfEverySource) // all_requests and all_status_NNN
	assert.Equal(t, 345+6+everySource, counts[KindHistorical], "historical: 345 fields + miss/pass ratio, 2 error ratios, bandwidth_bps, edge_bps + every-source counts")
	assert.Equal(t, 337+11+everySource, counts[KindRealtime], "realtime: 337 fields + 8 computed + 3 miss latency percentiles + every-source counts")
	assert.Equal(t, 156+6, counts[KindOrigins], "origins: 156 + 2 error ratios + 3 latency percentiles + the latency heatmap")
	assert.Equal(t, 133+1, counts[KindDomains], "domains: 133 + bandwidth_bps")
}
