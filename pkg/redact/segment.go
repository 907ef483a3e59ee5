package redact

import "strings"

// forEachSegment calls fn with the bounds of each logical line of s. A line
// that ends where a value may follow on the next line ("api_key:",
// "TOKEN =", "--token", "Authorization: Bearer", "api_key: |") is joined
// with the next one, and with blank lines after it, so patterns whose
// separators may span a newline still see both parts.
func forEachSegment(s string, fn func(start, end int)) {
	start := 0
	for start < len(s) {
		end := start
		open := false // the segment so far ends where a value may follow
		for {
			nl := strings.IndexByte(s[end:], '\n')
			if nl < 0 {
				end = len(s)
				break
			}
			line := s[end : end+nl]
			end += nl + 1
			open = continues(line) || open && strings.TrimSpace(line) == ""
			if end == len(s) || !open {
				break
			}
		}
		fn(start, end)
		start = end
	}
}

// continuationWords end a line whose value may sit on the next line.
var continuationWords = []string{"bearer", "token", "key", "install", "password", "secret"}

func continues(line string) bool {
	t := strings.TrimRight(line, " \t\r")
	if t == "" {
		return false
	}
	if u := strings.TrimRight(strings.TrimRight(t, "+-0123456789|>\\(["), " \t"); u != t && u != "" {
		if c := u[len(u)-1]; c == '=' || c == ':' {
			return true // a block scalar, a line continuation or an opening bracket
		}
	}
	if c := t[len(t)-1]; c == '=' || c == ':' {
		return true
	}
	lower := asciiLower(t[max(0, len(t)-8):])
	for _, w := range continuationWords {
		if strings.HasSuffix(lower, w) {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay the same
// as in the original string (strings.ToLower may change lengths).
func asciiLower(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if c := b[i]; c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
