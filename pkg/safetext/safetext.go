// Package safetext makes text safe to let out of the plugin: Redact removes the API token
// (in errors, notices, stream packets, logs and resource answers alike), Clip bounds the
// length of text that came from Fastly or from a user.
package safetext

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Redacted replaces the token wherever it appeared.
const Redacted = "[redacted]"

// Redact removes secret from text, also in the escaped forms an upstream body may echo it in
// (URL query and path escaping, JSON string escaping). Redact before clipping: a clipped text
// could keep the start of the token where the whole token no longer matches.
func Redact(text, secret string) string {
	if secret == "" || text == "" {
		return text
	}
	for _, form := range forms(secret) {
		text = strings.ReplaceAll(text, form, Redacted)
	}
	return text
}

// forms lists secret as it is and as it may appear escaped, longest first so that an escaped
// form is replaced whole before a shorter one could split it.
func forms(secret string) []string {
	out := []string{secret}
	quoted, _ := json.Marshal(secret)
	for _, f := range []string{url.QueryEscape(secret), url.PathEscape(secret), string(quoted[1 : len(quoted)-1])} {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// Clip shortens text to at most max bytes, cut at a character boundary and marked with "…",
// so a name or an upstream message cannot make an error message grow without bound.
func Clip(text string, max int) string {
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}
