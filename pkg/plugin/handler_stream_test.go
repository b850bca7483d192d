package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/fastly"
	"github.com/opsdeck/fastly-datasource/pkg/fastlysim"
	"github.com/opsdeck/fastly-datasource/pkg/internal/testclock"
)

// liveStart is a Friday afternoon: the static-assets service (8 European POPs, cheap to
// simulate) has traffic.
var liveStart = time.Date(2026, 11, 20, 15, 30, 20, 0, time.UTC)

type liveEnv struct {
	sim   *fastlysim.Server
	ds    *Datasource
	clock *testclock.Step

	mu   sync.Mutex
	down func(now time.Time) bool // real-time requests fail with 503 while it says so
}

// newLiveEnv is a data source on a step-clock simulator.
// newLiveEnv serves the simulator (in the real-time mode cfg sets, if any) to a data source
// whose token is token, all on a step clock.
func newLiveEnv(t *testing.T, token string, cfg ...fastlysim.Config) *liveEnv {
	t.Helper()
	clock := testclock.New(liveStart)
	var c fastlysim.Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	c.Token, c.Now, c.After = simToken, clock.Now, clock.After
	sim := fastlysim.New(c)
	e := &liveEnv{sim: sim, clock: clock}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		down := e.down
		e.mu.Unlock()
		if down != nil && strings.HasPrefix(r.URL.Path, "/v1/") && down(clock.Now()) {
			http.Error(w, `{"msg":"Service Unavailable"}`, http.StatusServiceUnavailable)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	e.ds = newTestDatasource(t, srv.URL, token)
	e.ds.now = clock.Now
	useStepClock(e.ds, clock)
	return e
}

func (e *liveEnv) query(t *testing.T, q map[string]any) backend.DataResponse {
	t.Helper()
	raw, err := json.Marshal(q)
	require.NoError(t, err)
	resp, err := e.ds.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "fastly-test"}},
		Queries:       []backend.DataQuery{{RefID: "A", QueryType: "realtime", JSON: raw, MaxDataPoints: 1000}},
	})
	require.NoError(t, err)
	return resp.Responses["A"]
}

// simValue reads one field the simulator served at second s, for a POP or the aggregate ("").
func simValue(sim *fastlysim.Server, id, pop, name string, s int64) float64 {
	agg, dcs := sim.RealtimeSecond(id, time.Unix(s, 0))
	m := agg
	if pop != "" {
		m = dcs[pop]
	}
	switch v := m[name].(type) {
	case int64:
		return float64(v)
	case float64:
		return v
	}
	return 0
}

// packetSender records what RunStream sends.
type packetSender struct {
	mu      sync.Mutex
	packets [][]byte
	got     chan struct{}
}

func newPacketSender() *packetSender { return &packetSender{got: make(chan struct{}, 1)} }

func (p *packetSender) Send(pk *backend.StreamPacket) error {
	p.mu.Lock()
	p.packets = append(p.packets, append([]byte(nil), pk.Data...))
	p.mu.Unlock()
	select {
	case p.got <- struct{}{}:
	default:
	}
	return nil
}

func (p *packetSender) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.packets)
}

// packet is a frame as Grafana Live receives it.
type packet struct {
	Schema *struct {
		Fields []struct {
			Name   string            `json:"name"`
			Labels map[string]string `json:"labels"`
			Config struct {
				DisplayNameFromDS string `json:"displayNameFromDS"`
			} `json:"config"`
		} `json:"fields"`
		Meta struct {
			Channel string `json:"channel"`
			Notices []struct {
				Text string `json:"text"`
			} `json:"notices"`
		} `json:"meta"`
	} `json:"schema"`
	Data struct {
		Values [][]*float64 `json:"values"`
	} `json:"data"`
}

// waitPackets blocks until at least n packets arrived.
func (p *packetSender) waitPackets(t *testing.T, n int) []packet {
	t.Helper()
	deadline := time.After(2 * time.Minute) // a hang guard only: a loaded 2-core machine under -race is slow
	for {
		p.mu.Lock()
		raw := append([][]byte(nil), p.packets...)
		p.mu.Unlock()
		if len(raw) >= n {
			out := make([]packet, len(raw))
			for i, r := range raw {
				require.NoError(t, json.Unmarshal(r, &out[i]), "%s", r)
			}
			return out
		}
		select {
		case <-p.got:
		case <-deadline:
			require.FailNow(t, fmt.Sprintf("got %d packets, want %d", len(raw), n))
		}
	}
}

// runStream starts RunStream in the background. stop cancels it and returns its error; done
// is closed when it has returned, by itself or not, and stop then returns at once.
func runStream(ds *Datasource, path string, sender *packetSender) (stop func() error, done <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan struct{})
	var err error
	go func() {
		defer close(ch)
		err = ds.RunStream(ctx, &backend.RunStreamRequest{Path: path}, backend.NewStreamSender(sender))
	}()
	return func() error { cancel(); <-ch; return err }, ch
}

func TestSubscribeStream(t *testing.T) {
	e := newLiveEnv(t, simToken)
	good := "rt/" + fastlysim.StaticServiceID + "/m=requests.hit_ratio/g=pop"
	for path, want := range map[string]backend.SubscribeStreamStatus{
		good: backend.SubscribeStreamStatusOK,
		"rt/" + fastlysim.StaticServiceID + "/m=nope":           backend.SubscribeStreamStatusNotFound,
		"rt/" + fastlysim.StaticServiceID:                       backend.SubscribeStreamStatusNotFound,
		"rt/" + fastlysim.StaticServiceID + "/m=requests/x=1":   backend.SubscribeStreamStatusNotFound,
		"../../etc/passwd":                                      backend.SubscribeStreamStatusNotFound,
		"rt/AAAAAAAAAAAAAAAAAAAAAA/m=requests":                  backend.SubscribeStreamStatusPermissionDenied,
		"rt/" + fastlysim.StaticServiceID + "/m=miss_histogram": backend.SubscribeStreamStatusNotFound,
	} {
		resp, err := e.ds.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: path})
		require.NoError(t, err, path)
		assert.Equal(t, want, resp.Status, path)
	}
	pub, err := e.ds.PublishStream(context.Background(), &backend.PublishStreamRequest{Path: good, Data: json.RawMessage(`{}`)})
	require.NoError(t, err)
	assert.Equal(t, backend.PublishStreamStatusPermissionDenied, pub.Status)

	bad := newLiveEnv(t, "wrong-token")
	resp, err := bad.ds.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{Path: good})
	require.NoError(t, err)
	assert.Equal(t, backend.SubscribeStreamStatusPermissionDenied, resp.Status)
}

// TestRunStreamContinuesQuery: the query shows the last 120 s up to the newest final second,
// and the stream sends every second after it once, with the schema first and data only
// afterwards, for a busy and a sparse service, whether or not Fastly repeats the boundary
// second of its cursor.
func TestRunStreamContinuesQuery(t *testing.T) {
	for _, mode := range []fastlysim.Config{{}, {RealtimeRepeatBoundary: true}, {RealtimeCursorOnRecords: true}} {
		for _, id := range []string{fastlysim.StaticServiceID, fastlysim.SparseServiceID} {
			t.Run(fmt.Sprintf("%s/repeat=%v/onRecords=%v", id, mode.RealtimeRepeatBoundary, mode.RealtimeCursorOnRecords), func(t *testing.T) {
				runStreamContinuesQuery(t, newLiveEnv(t, simToken, mode), id)
			})
		}
	}
}

func runStreamContinuesQuery(t *testing.T, e *liveEnv, id string) {
	r := e.query(t, map[string]any{"queryType": "realtime", "services": []string{id}, "metrics": []string{"requests", "hit_ratio"}})
	require.NoError(t, r.Error)
	require.Len(t, r.Frames, 1)
	channel := r.Frames[0].Meta.Channel
	path := "rt/" + id + "/m=requests.hit_ratio"
	require.Equal(t, "ds/fastly-test/"+path, channel)
	times := r.Frames[0].Fields[0]
	last := times.At(times.Len() - 1).(time.Time).Unix()
	assert.LessOrEqual(t, last, e.clock.Now().Unix()-1-fastly.DefaultAggregateDelay, "the window ends at the newest final second")
	for i := range times.Len() {
		s := times.At(i).(time.Time).Unix()
		require.Equal(t, simValue(e.sim, id, "", "requests", s), *r.Frames[0].Fields[1].At(i).(*float64), "window requests at %d", s)
	}

	sender := newPacketSender()
	stop, _ := runStream(e.ds, path, sender)
	packets := sender.waitPackets(t, 20)
	require.NoError(t, stop(), "a stream ended by Grafana is not an error")

	require.NotNil(t, packets[0].Schema, "the first packet carries the schema")
	assert.Equal(t, "requests", packets[0].Schema.Fields[1].Name)
	want := last + 1
	for i, p := range packets {
		if i > 0 {
			assert.Nil(t, p.Schema, "packet %d: data only after the first", i)
		}
		for row, ms := range p.Data.Values[0] {
			s := int64(*ms) / 1000
			require.Equal(t, want, s, "seconds follow on from the query: none missing, none twice")
			want++
			assert.Equal(t, simValue(e.sim, id, "", "requests", s), *p.Data.Values[1][row], "requests at %d", s)
			hits, miss := simValue(e.sim, id, "", "hits", s), simValue(e.sim, id, "", "miss", s)
			if hits+miss == 0 {
				assert.Nil(t, p.Data.Values[2][row])
			} else {
				assert.InDelta(t, hits/(hits+miss), *p.Data.Values[2][row], 1e-12)
			}
		}
	}
	assert.Greater(t, want, last+15)
	assert.Equal(t, 0, livePollerCount(t), "the poller stops with its last stream")
}

// TestRunStreamTokenRejected: a 401 ends the stream with an error that says so, without the token.
func TestRunStreamTokenRejected(t *testing.T) {
	e := newLiveEnv(t, "wrong-SECRET-token")
	sender := newPacketSender()
	err := e.ds.RunStream(context.Background(), &backend.RunStreamRequest{Path: "rt/" + fastlysim.StaticServiceID + "/m=requests"}, backend.NewStreamSender(sender))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "token was rejected")
	assert.NotContains(t, err.Error(), "wrong-SECRET-token")
}

// TestDisposeStopsStreams: disposing the instance ends every stream and poller.
func TestDisposeStopsStreams(t *testing.T) {
	base := runtime.NumGoroutine()
	e := newLiveEnv(t, simToken)
	var ends []<-chan struct{}
	var stops []func() error
	for _, path := range []string{
		"rt/" + fastlysim.StaticServiceID + "/m=requests",
		"rt/" + fastlysim.StaticServiceID + "/m=hit_ratio/g=pop",
		"rt/" + fastlysim.ComputeServiceID + "/m=requests",
	} {
		sender := newPacketSender()
		stop, done := runStream(e.ds, path, sender)
		t.Cleanup(func() { _ = stop() })
		ends = append(ends, done)
		stops = append(stops, stop)
		sender.waitPackets(t, 1)
	}
	assert.Equal(t, 2, livePollerCount(t), "one poller per service")
	e.ds.Dispose()
	for i, done := range ends {
		select {
		case <-done:
		case <-time.After(2 * time.Minute):
			require.FailNow(t, "a stream outlived Dispose")
		}
		err := stops[i]()
		require.Error(t, err)
		assert.Contains(t, err.Error(), "reconfigured or removed")
	}
	assert.Equal(t, 0, livePollerCount(t))
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+4 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), base+4, "only the test server's goroutines remain")
}
