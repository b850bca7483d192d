package fastly

// JSON scanning primitives shared by the hand-written decoders: whitespace, strings (eight bytes
// at a time), their escapes, and numbers, all on indexes into the body without allocating.

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

func ws(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

const (
	swarLo = 0x0101010101010101
	swarHi = 0x8080808080808080
)

// stopMask flags the bytes of a little-endian 8-byte word where a string scan stops: '"', '\\'
// and control characters, found as "below 0x23" (which also stops, harmlessly, at ' ' and '!')
// plus "equals '\\'": two masks instead of three. Only the lowest flag is exact (borrows can flag
// bytes above it), and only the lowest is used.
func stopMask(x uint64) uint64 {
	s := x ^ (swarLo * '\\')
	return ((x-swarLo*0x23)&^x | (s-swarLo)&^s) & swarHi
}

// scanString scans the string whose opening quote is at i and returns the index after its
// closing quote, whether it holds escapes, and a message if it is malformed. It looks at eight
// bytes at a time: skipping ~150 keys per record is most of the decoder's work.
func scanString(b []byte, i int) (int, bool, string) {
	j, esc := i+1, false
	for {
		for j+8 <= len(b) {
			if m := stopMask(binary.LittleEndian.Uint64(b[j:])); m != 0 {
				j += bits.TrailingZeros64(m) >> 3
				goto stop // the byte loop below would only test it again
			}
			j += 8
		}
		for j < len(b) && b[j] != '"' && b[j] != '\\' && b[j] >= 0x20 {
			j++
		}
	stop:
		switch {
		case j >= len(b) || b[j] == '\\' && j+1 >= len(b):
			return len(b), esc, "unterminated string"
		case b[j] == '"':
			return j + 1, esc, ""
		case b[j] < 0x20:
			return j, esc, "control character in string"
		case b[j] != '\\': // ' ' or '!', flagged by stopMask's cheap range test
			j++
			continue
		}
		esc = true
		switch b[j+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			j += 2
		case 'u':
			if j+6 > len(b) || hex4(b[j+2:j+6]) < 0 {
				return j, esc, "invalid \\u escape"
			}
			j += 6
		default:
			return j, esc, "invalid escape"
		}
	}
}

func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
		switch {
		case c-'0' < 10:
			r = r<<4 | rune(c-'0')
		case (c|0x20)-'a' < 6:
			r = r<<4 | rune((c|0x20)-'a'+10)
		default:
			return -1
		}
	}
	return r
}

// text converts the bytes of a string scanString accepted (quotes excluded) to a Go string.
func text(raw []byte, esc bool) string {
	if !esc {
		return string(raw)
	}
	out := make([]byte, 0, len(raw))
	for k := 0; k < len(raw); k++ {
		if raw[k] != '\\' {
			out = append(out, raw[k])
			continue
		}
		k++
		switch c := raw[k]; c {
		case 'b', 'f', 'n', 'r', 't':
			out = append(out, "\b\f\n\r\t"[bytes.IndexByte([]byte("bfnrt"), c)])
		case 'u':
			r := hex4(raw[k+1 : k+5])
			k += 4
			if utf16.IsSurrogate(r) && k+7 <= len(raw) && raw[k+1] == '\\' && raw[k+2] == 'u' {
				if pair := utf16.DecodeRune(r, hex4(raw[k+3:k+7])); pair != unicode.ReplacementChar {
					r, k = pair, k+6
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// maxDepth bounds the nesting skipValue follows: far deeper than any answer of Fastly's, and
// shallow enough that a hostile body cannot exhaust the stack.
const maxDepth = 512

// skipValue validates and steps over the JSON value at i, for the keys a decoder was not asked
// for; both the stats and the real-time decoders skip with it. A malformed value gives the
// index where it went wrong and a message, which each decoder wraps in its own error type.
func skipValue(b []byte, i, depth int) (int, string) {
	if i >= len(b) {
		return i, "expected a value"
	}
	switch c := b[i]; {
	case c == '"':
		end, _, msg := scanString(b, i)
		return end, msg
	case c == '-' || c-'0' < 10:
		end, ok := skipNumber(b, i)
		if !ok {
			return end, "invalid number"
		}
		return end, ""
	case c == '{' || c == '[':
		return skipContainer(b, i, depth)
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if bytes.HasPrefix(b[i:], []byte(lit)) {
			return i + len(lit), ""
		}
	}
	return i, fmt.Sprintf("unexpected character %q", b[i])
}

// skipContainer steps over the object or array opening at i.
func skipContainer(b []byte, i, depth int) (int, string) {
	if depth >= maxDepth {
		return i, "nested too deeply"
	}
	object, closing := b[i] == '{', byte(']')
	if object {
		closing = '}'
	}
	if i = ws(b, i+1); i < len(b) && b[i] == closing {
		return i + 1, ""
	}
	for {
		if object {
			if i >= len(b) || b[i] != '"' {
				return i, "expected a key"
			}
			end, _, msg := scanString(b, i)
			if msg != "" {
				return end, msg
			}
			if i = ws(b, end); i >= len(b) || b[i] != ':' {
				return i, "expected ':'"
			}
			i = ws(b, i+1)
		}
		var msg string
		if i, msg = skipValue(b, i, depth+1); msg != "" {
			return i, msg
		}
		if i = ws(b, i); i >= len(b) {
			return i, "expected '" + string(closing) + "'"
		}
		switch b[i] {
		case closing:
			return i + 1, ""
		case ',':
			if i = ws(b, i+1); i < len(b) && b[i] == closing {
				return i, "trailing comma"
			}
		default:
			return i, "expected ',' or '" + string(closing) + "'"
		}
	}
}

// skipNumber validates the number at i (b[i] is '-' or a digit) without converting it.
func skipNumber(b []byte, i int) (int, bool) {
	if b[i] == '-' {
		if i++; i >= len(b) {
			return i, false
		}
	}
	switch c := b[i]; {
	case c == '0':
		i++
	case c-'1' < 9:
		for i++; i < len(b) && b[i]-'0' < 10; i++ {
		}
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		s := i + 1
		for i = s; i < len(b) && b[i]-'0' < 10; i++ {
		}
		if i == s {
			return i, false
		}
	}
	if i < len(b) && b[i]|0x20 == 'e' {
		if i++; i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		s := i
		for ; i < len(b) && b[i]-'0' < 10; i++ {
		}
		if i == s {
			return i, false
		}
	}
	return i, true
}
