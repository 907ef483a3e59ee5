package redact

import (
	"sort"
	"strings"
)

// span is a byte range [a, b) of the text a rule must examine.
type span struct{ a, b int }

// spans returns where r can match in s: nothing when no needle occurs, the
// whole text for a multiline rule, else each line holding a needle plus the
// next line (a `NAME =` may put its value there), merged.
func (r *rule) spans(s, lower string) []span {
	var out []span
	for _, n := range r.needles {
		for from := 0; ; {
			i := strings.Index(lower[from:], n)
			if i < 0 {
				break
			}
			i += from
			if r.multiline {
				return []span{{0, len(s)}}
			}
			out = append(out, span{lineStart(s, i), lineEnd(s, lineEnd(s, i)+1)})
			from = i + len(n)
		}
	}
	return merge(out)
}

func lineStart(s string, i int) int { return strings.LastIndexByte(s[:i], '\n') + 1 }

func lineEnd(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(s)
}

func merge(in []span) []span {
	if len(in) < 2 {
		return in
	}
	sort.Slice(in, func(i, j int) bool { return in[i].a < in[j].a })
	out := in[:1]
	for _, sp := range in[1:] {
		if last := &out[len(out)-1]; sp.a <= last.b {
			last.b = max(last.b, sp.b)
		} else {
			out = append(out, sp)
		}
	}
	return out
}

// asciiLower lowers A-Z only, so byte offsets stay those of s.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
