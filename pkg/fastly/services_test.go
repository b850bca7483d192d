package fastly

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestServicesRepeatedPagesEndThePagingWithoutDuplicates: a paginator announcing 50 pages that
// all repeat the same entries (the issue saw 2,250 entries, 45 distinct) yields each service
// once and stops at the first page that brings nothing new.
func TestServicesRepeatedPagesEndThePagingWithoutDuplicates(t *testing.T) {
	f, c := newFake(t)
	f.handlers["/service"] = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", fmt.Sprintf(`<http://%s/service?per_page=100&page=50>; rel="last"`, r.Host))
		fmt.Fprint(w, `[{"id":"svcA","name":"a"},{"id":"svcB","name":"b"},{"id":"svcA","name":"a again"}]`)
	}
	services, err := c.Services(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []Service{{ID: "svcA", Name: "a"}, {ID: "svcB", Name: "b"}}, services)
	assert.Len(t, f.asked(), 2, "the second page brought nothing new and ended the paging")
}

// TestServicesBadAnswersAreErrorsAndNeverCached: an HTML page or entries without ids are
// Fastly's fault (DecodeError), and the next call asks again rather than serving a cached
// empty list; an empty account is an empty list, not nil.
func TestServicesBadAnswersAreErrorsAndNeverCached(t *testing.T) {
	f, c := newFake(t)
	answers := []string{`<html><body>502 Bad Gateway</body></html>`, `[{"name":"no id"}]`, `[]`}
	f.handlers["/service"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, answers[0])
		answers = answers[1:]
	}
	for range 2 {
		services, err := c.Services(context.Background())
		var decodeErr *DecodeError
		require.True(t, errors.As(err, &decodeErr), "got %v", err)
		assert.Equal(t, "/service", decodeErr.Path)
		assert.Nil(t, services)
	}
	services, err := c.Services(context.Background())
	require.NoError(t, err)
	assert.NotNil(t, services)
	assert.Empty(t, services)
	assert.Len(t, f.asked(), 3, "failures were not cached")
}
