package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestInspectorDescriptionsSpeakOfTheirProduct reads every Origin and Domain Inspector metric
// as the editor's picker shows it: an origin metric speaks of what origins answered Fastly,
// never of visitors or the edge; a domain metric speaks of the domain; and no two metrics of
// a kind read alike.
func TestInspectorDescriptionsSpeakOfTheirProduct(t *testing.T) {
	for _, tc := range []struct {
		kind    Kind
		says    string
		neverOf []string
	}{
		{KindOrigins, "origin", []string{"edge", "clients", "visitor", "end user", "delivered", "Origin Inspector"}},
		{KindDomains, "domain", []string{"Origin Inspector", "Domain Inspector", "for the service"}},
	} {
		seen := map[string]string{}
		for _, m := range ForKind(tc.kind) {
			t.Run(string(tc.kind)+"/"+m.Name, func(t *testing.T) {
				d := m.Description
				assert.Contains(t, strings.ToLower(d), tc.says)
				for _, w := range tc.neverOf {
					assert.NotContains(t, strings.ToLower(d), strings.ToLower(w))
				}
				assert.True(t, strings.HasSuffix(d, "."), "one full sentence: %q", d)
				assert.NotContains(t, d, "("+unitWords(m)+")", "fell back to the generic description")
				if other, dup := seen[d]; dup {
					t.Errorf("%s reads the same as %s: %q", m.Name, other, d)
				}
				seen[d] = m.Name
				if m.Has(KindHistorical) {
					general, _ := Lookup(m.Name)
					assert.NotEqual(t, general.Description, d, "the stats description of the same name")
				}
			})
		}
	}
}

// TestStatsDescriptionsSpeakOnlyOfTheStats checks that the stats descriptions no longer carry
// an "In Origin Inspector queries" clause: each product has its own line now.
func TestStatsDescriptionsSpeakOnlyOfTheStats(t *testing.T) {
	for _, k := range []Kind{KindHistorical, KindRealtime} {
		for _, m := range ForKind(k) {
			assert.NotContains(t, m.Description, "Inspector", "%s in %s", m.Name, k)
		}
	}
	for name, want := range map[string]map[Kind]string{
		"status_5xx": {
			KindHistorical: "Responses Fastly's VCL delivery sent to clients with a 5xx (server error) status. VCL only: 0 on a Compute service.",
			KindOrigins:    "Responses your origins sent to Fastly with a 5xx (server error) status.",
			KindDomains:    "Responses Fastly delivered for the domain with a 5xx (server error) status.",
		},
		"all_status_5xx": {
			KindRealtime: "Responses Fastly sent to clients from every source (VCL and Compute together) with a 5xx (server error) status.",
			KindOrigins:  "Responses your origins sent to requests from every source (VCL, WAF and Compute) with a 5xx (server error) status.",
		},
		"all_status_503": {
			KindHistorical: "Responses with status 503 (Service Unavailable) from every source: status_503 (VCL) plus compute_resp_status_503 (Compute), added by the plugin.",
			KindOrigins:    "Responses your origins sent to requests from every source (VCL, WAF and Compute) with status 503 (Service Unavailable).",
		},
		"resp_body_bytes": {
			KindOrigins: "Body bytes your origins sent in responses to Fastly.",
			KindDomains: "Body bytes delivered to the domain's visitors.",
		},
		"tls_v10": {
			KindRealtime: "Requests that negotiated TLS 1.0, an outdated protocol worth tracking down.",
			KindDomains:  "Requests for the domain that negotiated TLS 1.0, an outdated protocol worth tracking down.",
		},
	} {
		for k, d := range want {
			assert.Equal(t, d, describedIn(t, name, k), "%s in %s", name, k)
		}
	}
}

// describedIn is the description of name as ForKind(k) gives it.
func describedIn(t *testing.T, name string, k Kind) string {
	t.Helper()
	for _, m := range ForKind(k) {
		if m.Name == name {
			return m.Description
		}
	}
	t.Fatalf("%s is not a %s metric", name, k)
	return ""
}
