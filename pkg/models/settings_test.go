package models

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadSettingsDefaults(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{})
	require.NoError(t, err)
	assert.Equal(t, DefaultAPIURL, s.APIURL)
	assert.Equal(t, DefaultRealtimeURL, s.RealtimeURL)
	assert.False(t, s.HasToken())
}

func TestLoadSettingsOverrides(t *testing.T) {
	s, err := LoadSettings(backend.DataSourceInstanceSettings{
		JSONData:                []byte(`{"apiUrl":"http://127.0.0.1:8080/","realtimeUrl":" https://proxy.example/rt "}`),
		DecryptedSecureJSONData: map[string]string{"apiToken": " secret-token\n"},
	})
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080", s.APIURL)
	assert.Equal(t, "https://proxy.example/rt", s.RealtimeURL)
	assert.Equal(t, "secret-token", s.APIToken)
	assert.True(t, s.HasToken())
}

func TestLoadSettingsRejectsBadInput(t *testing.T) {
	for name, tc := range map[string]struct{ json, want string }{
		"not json":     {`{`, "not valid JSON"},
		"relative api": {`{"apiUrl":"api.fastly.com"}`, `API URL "api.fastly.com" is not valid`},
		"ftp realtime": {`{"realtimeUrl":"ftp://rt.fastly.com"}`, `Real-time URL "ftp://rt.fastly.com" is not valid`},
		"query in url": {`{"apiUrl":"https://api.fastly.com?x=1"}`, "must not contain a query"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := LoadSettings(backend.DataSourceInstanceSettings{
				JSONData:                []byte(tc.json),
				DecryptedSecureJSONData: map[string]string{"apiToken": "secret-token"},
			})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "secret-token")
		})
	}
}
