package plugin

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/opsdeck/fastly-datasource/pkg/models"
)

// TestBadQueriesNameTheirField: every refusal of a query's content says which field it
// concerns as data, so the editor need not read the wording.
func TestBadQueriesNameTheirField(t *testing.T) {
	for want, raw := range map[string]string{
		"queryType":  `{"queryType":"traces"}`,
		"resolution": `{"resolution":"second","services":["a"]}`,
		"format":     `{"format":"geojson","services":["a"]}`,
		"groupBy":    `{"groupBy":"pop","services":["a"]}`,
		"services":   `{"services":["$service"]}`,
		"insight":    `{"queryType":"insights","services":["s"],"insight":"top-pages"}`,
		"limit":      `{"queryType":"logs","services":["s"],"limit":6000}`,
		"filters":    `{"queryType":"logs","services":["s"],"filters":[{"field":"response_status","op":"~","value":"5"}]}`,
		"series":     `{"queryType":"logseries","services":["s"],"series":"sum[response_time]"}`,
		"dimension":  `{"queryType":"logseries","services":["s"],"dimension":"client_ip"}`,
	} {
		t.Run(want, func(t *testing.T) {
			_, err := parseJSON([]byte(raw))
			var fe *models.FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, want, fe.Field)
		})
	}
	_, err := parseJSON([]byte(`{"services":`))
	var fe *models.FieldError
	assert.False(t, errors.As(err, &fe), "invalid JSON is no one field's fault")
}

// TestFieldErrorReachesTheResponse: the field travels in the error response's frame metadata,
// beside the message; an unknown metric names "metrics".
func TestFieldErrorReachesTheResponse(t *testing.T) {
	e := newEnv(t, simToken)
	resp := e.query(t, simNow.Add(-time.Hour), simNow,
		map[string]any{"queryType": "stats", "services": []string{"abc"}, "groupBy": "pop"},
		map[string]any{"queryType": "stats", "services": []string{"abc"}, "metrics": []string{"hitz"}},
	)
	for ref, want := range map[string]string{"A": "groupBy", "B": "metrics"} {
		r := resp.Responses[ref]
		require.Error(t, r.Error, ref)
		require.Len(t, r.Frames, 1, ref)
		assert.Equal(t, map[string]string{"errorField": want}, r.Frames[0].Meta.Custom, ref)
	}
}
