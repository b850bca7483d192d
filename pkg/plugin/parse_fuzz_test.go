package plugin

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseQuery: any JSON a panel, an alert rule or an API call may send parses without
// panicking; an accepted query has clean lists within their caps, and parsing it again
// changes nothing.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{
		`{"refId":"A","services":["SU1Z0isxPaozGVKXdv0eY"]}`,
		`{"service":"abc123","metric":"hits","pops":[" LHR","","LHR","JFK"]}`,
		`{"queryType":"realtime","services":["*"],"metrics":["requests","hit_ratio"],"groupBy":"pop"}`,
		`{"queryType":"origins","services":["7i6HN3TK9wS159v2gPAZ8A"],"origins":["a.example"],"resolution":"hour","groupBy":"origin"}`,
		`{"queryType":"events","eventTypes":["version.activate"],"services":[]}`,
		`{"queryType":"usage","groupBy":"region","metrics":["bandwidth"]}`,
		`{"services":null,"metrics":[1,2],"perSecond":"yes"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		q, err := parseJSON(raw)
		if err != nil {
			require.Less(t, len(err.Error()), 1200, "errors stay short")
			return
		}
		for name, l := range map[string]struct {
			list []string
			max  int
		}{
			"services": {q.Services, 100}, "metrics": {q.Metrics, 50}, "POPs": {q.Pops, 150},
			"origins": {q.Origins, 100}, "domains": {q.Domains, 100}, "event types": {q.EventTypes, 20},
		} {
			list := l.list
			require.LessOrEqual(t, len(list), l.max, name)
			seen := map[string]bool{}
			for _, s := range list {
				require.NotEmpty(t, s, name)
				require.Equal(t, strings.TrimSpace(s), s, name)
				require.False(t, seen[s], "%s repeats %q", name, s)
				seen[s] = true
			}
		}
		again, err := json.Marshal(q)
		require.NoError(t, err)
		q2, err := parseJSON(again)
		require.NoError(t, err)
		require.Equal(t, q, q2)
	})
}
