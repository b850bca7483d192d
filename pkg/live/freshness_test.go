package live

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
)

// TestLateDataIsAnnouncedOnce: when Fastly answers but its data stops moving for 70 s, the
// stream says once how far behind Fastly is, says once when it has caught up, and the late
// seconds then arrive with their real values, none shown early as zero.
func TestLateDataIsAnnouncedOnce(t *testing.T) {
	e := newSimEnv(t, "sim-token")
	lagFrom, lagTo := simStart.Add(5*time.Second), simStart.Add(75*time.Second)
	e.stall = func(now time.Time) bool { return !now.Before(lagFrom) && now.Before(lagTo) }
	sub, err := e.hub.Subscribe(shop, []string{"requests"}, simStart.Unix()-15)
	require.NoError(t, err)
	c := collect(t, sub)
	ups := c.waitFor(t, func(ups []Update, _ error) bool { return settledUntil(ups) >= lagTo.Unix() })
	var behind, caughtUp []string
	for _, u := range ups {
		switch {
		case u.Notice.Good:
			caughtUp = append(caughtUp, u.Notice.Text)
		case u.Notice.Text != "":
			behind = append(behind, u.Notice.Text)
		}
	}
	require.Len(t, behind, 1, "one notice while Fastly is late: %q", behind)
	assert.Regexp(t, `^Fastly's real-time data is \d+s behind: the newest complete second is \d\d:\d\d:\d\d UTC`, behind[0])
	assert.Equal(t, []string{"Fastly's real-time data has caught up."}, caughtUp)
	first, vals := requestsOf(t, ups)
	for i, v := range vals {
		s := first + int64(i)
		require.Equal(t, simRequests(e.sim, fastlysim.ShopServiceID, s), v, "second %d", s)
	}
}
