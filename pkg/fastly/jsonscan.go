package fastly

// JSON scanning primitives shared by the hand-written decoders: whitespace, strings (eight bytes
// at a time), their escapes, and numbers, all on indexes into the body without allocating.

import (
	"bytes"
	"encoding/binary"
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

const maxDepth = 512

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
