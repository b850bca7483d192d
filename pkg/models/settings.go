// Package models holds the plugin's settings and query models: parsing, defaults and validation,
// with no I/O, so every rule about user input lives in one tested place.
package models

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Default Fastly endpoints; both can be overridden for proxies, tests and the simulator.
const (
	DefaultAPIURL      = "https://api.fastly.com"
	DefaultRealtimeURL = "https://rt.fastly.com"
)

// Settings are one data source instance's settings, validated.
type Settings struct {
	APIURL      string `json:"apiUrl"`
	RealtimeURL string `json:"realtimeUrl"`
	// APIToken comes from secureJsonData. It is never logged, returned or put in an error.
	APIToken string `json:"-"`
}

// HasToken reports whether a Fastly API token is configured.
func (s Settings) HasToken() bool { return s.APIToken != "" }

// LoadSettings parses and validates the instance settings Grafana sends. Empty URLs take the
// Fastly defaults; a URL that is not absolute http(s) is an error that names the field.
func LoadSettings(is backend.DataSourceInstanceSettings) (Settings, error) {
	var s Settings
	if len(is.JSONData) > 0 {
		if err := json.Unmarshal(is.JSONData, &s); err != nil {
			return Settings{}, fmt.Errorf("the data source settings are not valid JSON: %w", err)
		}
	}
	var err error
	if s.APIURL, err = normalizeURL("API URL", s.APIURL, DefaultAPIURL); err != nil {
		return Settings{}, err
	}
	if s.RealtimeURL, err = normalizeURL("Real-time URL", s.RealtimeURL, DefaultRealtimeURL); err != nil {
		return Settings{}, err
	}
	s.APIToken = strings.TrimSpace(is.DecryptedSecureJSONData["apiToken"])
	return s, nil
}

// normalizeURL applies the default and trims the trailing slash so paths can be appended.
func normalizeURL(label, raw, def string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return def, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("the %s %q is not valid: use an absolute http or https URL such as %s, or leave it empty for the default", label, raw, def)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the %s %q must not contain a query or fragment", label, raw)
	}
	return strings.TrimRight(raw, "/"), nil
}
