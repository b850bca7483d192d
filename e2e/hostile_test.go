package e2e

import (
	"bufio"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// peakRSS is the plugin process's high-water mark of resident memory (VmHWM): the peak itself,
// kept by the kernel, so reading it afterwards does not depend on timing.
func peakRSS(t *testing.T, p *pluginProc) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.client.ReattachConfig().Pid))
	if err != nil {
		t.Fatalf("reading the plugin's memory: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no VmHWM in /proc/%d/status", p.client.ReattachConfig().Pid)
	return 0
}

// TestHostileUpstreamThroughTheBinary: the cases, driven over the plugin protocol. A
// redirect to another host is refused (nothing reaches it); a 500 MB stats answer and a 1.5 GiB
// gzip bomb on /events fail at their limits, and the process never held more than 600 MB.
func TestHostileUpstreamThroughTheBinary(t *testing.T) {
	f := newFixture(t)
	pc := f.cfg.pluginContext()
	elsewhere := fastlysim.New(fastlysim.Config{})
	other := httptest.NewServer(elsewhere)
	t.Cleanup(other.Close)
	from, to := settledHour()
	stats := statsQuery("A", from, to, map[string]any{
		"services": []string{fastlysim.ShopServiceID}, "metrics": []string{"requests"}, "resolution": "minute",
	})

	f.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", RedirectTo: other.URL, Times: 1})
	msg := failedResponse(t, f.p.queryData(t, pc, stats), "A", backend.StatusBadGateway)
	wantContains(t, "redirect error", msg, "redirected to another host, "+other.URL)
	if got := elsewhere.Requests(); len(got) != 0 {
		t.Errorf("the other host received %d requests: %v", len(got), got)
	}

	f.sim.InjectFault(fastlysim.Fault{PathPrefix: "/stats", Oversize: 500 << 20, Times: 1})
	msg = failedResponse(t, f.p.queryData(t, pc, stats), "A", backend.StatusBadGateway)
	wantContains(t, "oversize error", msg, "larger than the plugin's limit of 128 MiB")

	f.sim.InjectFault(fastlysim.Fault{PathPrefix: "/events", GzipBomb: 3 << 29, Times: 1})
	now := time.Now().UTC().Truncate(time.Second)
	events := typedQuery("EV", "events", now.Add(-24*time.Hour), now, map[string]any{})
	msg = failedResponse(t, f.p.queryData(t, pc, events), "EV", backend.StatusBadGateway)
	wantContains(t, "gzip bomb error", msg, "larger than the plugin's limit of 8 MiB")

	if peak := peakRSS(t, f.p); peak > 600<<20 {
		t.Errorf("the plugin's peak memory was %d MiB, over 600 MiB", peak>>20)
	} else {
		t.Logf("the plugin's peak memory: %d MiB", peak>>20)
	}
	okResponse(t, f.p.queryData(t, pc, stats), "A") // and it goes on serving
}
