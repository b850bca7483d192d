package e2e

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestConcurrentDashboards: Grafana sends a dashboard's panels at once, often for several data
// sources. Concurrent first calls race to create instances, and every answer must still be
// the simulator's numbers.
func TestConcurrentDashboards(t *testing.T) {
	f := newFixture(t)
	from, to := settledHour()
	id := fastlysim.ComputeServiceID
	want := make([]int64, 60)
	for m := range want {
		want[m] = f.recordCount(t, id, "minute", from.Add(time.Duration(m)*time.Minute), "requests")
	}
	q := statsQuery("A", from, to, map[string]any{"services": []string{id}, "metrics": []string{"requests"}, "resolution": "minute"})

	const calls = 12
	errs := make(chan error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		// Three data sources, four panels each: each instance is first asked four times at once.
		pc := f.with(int64(100+i%3), simToken).pluginContext()
		wg.Go(func() {
			resp, err := f.p.tryQueryData(callCtx(t), pc, q)
			if err != nil {
				errs <- err
				return
			}
			r := resp.Responses["A"]
			if r.Error != nil || len(r.Frames) != 1 {
				errs <- fmt.Errorf("call %d: error %v, %d frames", i, r.Error, len(r.Frames))
				return
			}
			vals := r.Frames[0].Fields[1]
			if vals.Len() != len(want) {
				errs <- fmt.Errorf("call %d: %d points, want %d", i, vals.Len(), len(want))
				return
			}
			for m, n := range want {
				raw, ok := vals.ConcreteAt(m)
				if v, isNum := num(raw); !ok || !isNum || int64(v) != n {
					errs <- fmt.Errorf("call %d: minute %d = %v, the simulator served %d", i, m, raw, n)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
