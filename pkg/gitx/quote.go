package gitx

import (
	"fmt"
	"strconv"
	"strings"
)

// unquote decodes a path as git prints it: either bare, or in double quotes
// with C escapes (\t, \", \\, \ooo octal bytes). It returns the decoded path
// and the rest of s after it.
func unquote(s string) (path, rest string, err error) {
	if !strings.HasPrefix(s, `"`) {
		return s, "", nil
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), s[i+1:], nil
		case c != '\\':
			b.WriteByte(c)
		case i+1 >= len(s):
			return "", "", fmt.Errorf("bad quoted path %q", s)
		default:
			i++
			n, err := unescape(s, &i)
			if err != nil {
				return "", "", err
			}
			b.WriteByte(n)
		}
	}
	return "", "", fmt.Errorf("unterminated quoted path %q", s)
}

// unescape decodes the escape starting at s[*i] (after the backslash) and
// leaves *i on its last byte.
func unescape(s string, i *int) (byte, error) {
	simple := map[byte]byte{'a': '\a', 'b': '\b', 't': '\t', 'n': '\n', 'v': '\v', 'f': '\f', 'r': '\r', '"': '"', '\\': '\\'}
	if c, ok := simple[s[*i]]; ok {
		return c, nil
	}
	if *i+3 > len(s) {
		return 0, fmt.Errorf("bad escape in %q", s)
	}
	v, err := strconv.ParseUint(s[*i:*i+3], 8, 8)
	if err != nil {
		return 0, fmt.Errorf("bad escape in %q", s)
	}
	*i += 2
	return byte(v), nil
}

// quote prints a path the way `git status --short` does with
// core.quotePath=false: quoted when it holds a space, a quote, a backslash
// or a control character.
func quote(p string) string {
	if !strings.ContainsAny(p, " \"\\") && !hasControl(p) {
		return p
	}
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\n':
			b.WriteString(`\n`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\%03o`, c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return true
		}
	}
	return false
}
