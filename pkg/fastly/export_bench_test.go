//go:build unix

package fastly

// Exported for the frame-building benchmark in package fastly_test, which cannot live here:
// pkg/frames imports this package.
var (
	BigStatsBody      = bigBody
	BenchStartSeconds = int64(1710258360) - int64(benchRecords)*60
	BenchRecords      = benchRecords
	CPUTime           = cpuTime
	ReportCPU         = reportCPU
)
