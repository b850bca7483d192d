package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestRedactRemovesEveryFormOfTheToken(t *testing.T) {
	const token = "abc+/=def\"ghi"
	for _, text := range []string{
		"key " + token + " rejected",
		"key abc%2B%2F%3Ddef%22ghi rejected",    // query escaped
		"key abc+%2F=def%22ghi rejected",        // path escaped
		`{"msg":"key abc+/=def\"ghi rejected"}`, // JSON escaped
	} {
		got := Redact(text, token)
		assert.Contains(t, got, Redacted, text)
		assert.NotContains(t, got, "def", text)
	}
	assert.Equal(t, "nothing here", Redact("nothing here", token))
	assert.Equal(t, "no token set", Redact("no token set", ""))
}

func TestClipIsBoundedAndKeepsCharactersWhole(t *testing.T) {
	assert.Equal(t, "short", Clip("short", 10))
	long := strings.Repeat("é", 100) // two bytes each
	got := Clip(long, 11)
	assert.True(t, utf8.ValidString(got))
	assert.Equal(t, strings.Repeat("é", 5)+"…", got)
	assert.LessOrEqual(t, len(Clip(strings.Repeat("x", 1<<20), 64)), 64+len("…"))
}
