package fastly

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGzippedAnswersAreInflatedAndPlainOnesPassThrough(t *testing.T) {
	f, c := newFake(t)
	body := []byte(`{"status":"success","meta":{},"msg":null,"data":[{"requests":42,"service_id":"svc1","start_time":1795168800}]}`)
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, err := zw.Write(body)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	var asked []string
	f.handlers["/stats/service/svc1/field/requests"] = func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.Header.Get("Accept-Encoding"))
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(zipped.Bytes())
	}
	f.handlers["/stats/service/svc2/field/requests"] = func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }
	from := time.Unix(1795168800, 0)
	for _, id := range []string{"svc1", "svc2"} {
		p, err := c.Stats(context.Background(), StatsQuery{ServiceID: id, Fields: specsNamed("requests"), From: from, To: from.Add(time.Minute), By: "minute"})
		require.NoError(t, err, id)
		assert.Equal(t, []int64{42}, p.Services[0].Columns[0].Ints, id)
	}
	assert.Equal(t, []string{"gzip"}, asked)

	f.handlers["/stats/service/svc3/field/requests"] = func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(body) // says gzip, is not
	}
	_, err = c.Stats(context.Background(), StatsQuery{ServiceID: "svc3", Fields: specsNamed("requests"), From: from, To: from.Add(time.Minute), By: "minute"})
	var ne *NetworkError
	require.ErrorAs(t, err, &ne, "a broken gzip answer is a failed read, not data")
}
