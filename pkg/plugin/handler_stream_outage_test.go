package plugin

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// streamSeconds walks the packets: the seconds sent in order, each value of the first value
// field (nil for a null row), and the notices shown.
func streamSeconds(t *testing.T, packets []packet) (secs []int64, vals []*float64, notices []string) {
	t.Helper()
	for _, p := range packets {
		if p.Schema != nil {
			for _, n := range p.Schema.Meta.Notices {
				notices = append(notices, n.Text)
			}
		}
		if len(p.Data.Values) < 2 {
			continue
		}
		for row, ms := range p.Data.Values[0] {
			secs = append(secs, int64(*ms)/1000)
			vals = append(vals, p.Data.Values[1][row])
		}
	}
	return secs, vals, notices
}

// TestStreamSurvivesShortOutage: 60 s of 503s from Fastly, then recovery: every second, none
// lost, none twice. (Whether the viewer also saw the outage notice depends on how fast it read:
// a notice still queued when data flows again is dropped, so that is tested on its own below.)
func TestStreamSurvivesShortOutage(t *testing.T) {
	e := newLiveEnv(t, simToken)
	from, to := liveStart.Add(5*time.Second), liveStart.Add(65*time.Second)
	e.down = func(now time.Time) bool { return !now.Before(from) && now.Before(to) }
	id := fastlysim.StaticServiceID
	sender := newPacketSender()
	stop, _ := runStream(e.ds, "rt/"+id+"/m=requests", sender)
	var secs []int64
	for len(secs) == 0 || secs[len(secs)-1] < to.Unix()+5 {
		packets := sender.waitPackets(t, sender.count()+1)
		secs, _, _ = streamSeconds(t, packets)
	}
	require.NoError(t, stop())
	secs, vals, notices := streamSeconds(t, sender.waitPackets(t, 1))
	for i := 1; i < len(secs); i++ {
		require.Equal(t, secs[i-1]+1, secs[i], "second %d follows %d: nothing lost or repeated", secs[i], secs[i-1])
	}
	for i, s := range secs {
		require.NotNil(t, vals[i])
		assert.Equal(t, simValue(e.sim, id, "", "requests", s), *vals[i], "requests at %d", s)
	}
	for _, n := range notices {
		assert.NotContains(t, n, "is missing", "a short outage loses nothing")
	}
}

// TestStreamReportsAnOutageWhileItLasts: while Fastly keeps failing, the viewer is told so.
func TestStreamReportsAnOutageWhileItLasts(t *testing.T) {
	e := newLiveEnv(t, simToken)
	from := liveStart.Add(5 * time.Second)
	e.down = func(now time.Time) bool { return !now.Before(from) }
	sender := newPacketSender()
	stop, _ := runStream(e.ds, "rt/"+fastlysim.StaticServiceID+"/m=requests", sender)
	var notices []string
	for len(notices) == 0 {
		_, _, notices = streamSeconds(t, sender.waitPackets(t, sender.count()+1))
	}
	require.NoError(t, stop())
	assert.Contains(t, notices[0], "not answering")
}

// TestStreamShowsLongOutageAsGap: after 200 s without Fastly, the seconds Fastly dropped are a
// null gap with a notice saying so, never invented values; the stream then goes on.
func TestStreamShowsLongOutageAsGap(t *testing.T) {
	e := newLiveEnv(t, simToken)
	from, to := liveStart.Add(5*time.Second), liveStart.Add(205*time.Second)
	e.down = func(now time.Time) bool { return !now.Before(from) && now.Before(to) }
	id := fastlysim.StaticServiceID
	sender := newPacketSender()
	stop, _ := runStream(e.ds, "rt/"+id+"/m=requests", sender)
	var secs []int64
	for len(secs) == 0 || secs[len(secs)-1] < to.Unix()+5 {
		secs, _, _ = streamSeconds(t, sender.waitPackets(t, sender.count()+1))
	}
	require.NoError(t, stop())
	secs, vals, notices := streamSeconds(t, sender.waitPackets(t, 1))
	nulls := 0
	for i, s := range secs {
		if i > 0 {
			require.Greater(t, s, secs[i-1], "time only moves forward")
		}
		if vals[i] == nil {
			nulls++
			continue
		}
		assert.Equal(t, simValue(e.sim, id, "", "requests", s), *vals[i], "requests at %d", s)
	}
	assert.Equal(t, 2, nulls, "the gap is marked by a null at each end")
	var gap string
	for _, n := range notices {
		if strings.HasPrefix(n, "Real-time data from") {
			gap = n
		}
	}
	assert.Contains(t, gap, "is missing", "a notice names the lost stretch: %v", notices)
}

// TestStreamWithSimulatorFaults uses the simulator's own fault injection: three 503s in a row
// on /v1/channel are ridden out without losing a second.
func TestStreamWithSimulatorFaults(t *testing.T) {
	e := newLiveEnv(t, simToken)
	id := fastlysim.StaticServiceID
	sender := newPacketSender()
	stop, _ := runStream(e.ds, "rt/"+id+"/m=requests", sender)
	sender.waitPackets(t, 2)
	e.sim.InjectFault(fastlysim.Fault{PathPrefix: "/v1/channel", Status: http.StatusServiceUnavailable, Times: 3})
	var secs []int64
	start := e.clock.Now().Unix()
	for len(secs) == 0 || secs[len(secs)-1] < start+30 {
		secs, _, _ = streamSeconds(t, sender.waitPackets(t, sender.count()+1))
	}
	require.NoError(t, stop())
	secs, vals, notices := streamSeconds(t, sender.waitPackets(t, 1))
	for i := 1; i < len(secs); i++ {
		require.Equal(t, secs[i-1]+1, secs[i])
		require.NotNil(t, vals[i])
	}
	// Each failure is reported while it lasts; failures that come between two reads of the
	// stream share one packet, so how many packets carry a notice depends on the reader's pace.
	require.NotEmpty(t, notices, "the failures are reported")
	assert.LessOrEqual(t, len(notices), 3, "at most one notice per failed request")
	for _, n := range notices {
		assert.Contains(t, n, "Fastly real-time is not answering")
	}
}
