package redact

import "strings"

// Lines returns s with every secret replaced by Placeholder, judged on the
// whole of s, and with every line break kept: line n of the result is line
// n of s with each part of a secret hidden. A secret that spans lines (a
// private-key block, a value on the line after its name) leaves one
// Placeholder on each line it touched. Redact a whole unit (a file, a
// hunk's side, a command's output) with Lines and only then cut a range
// from it: a range that starts inside a key block shows no line of it.
func Lines(s string) string {
	return fixedPoint(s, true)
}

// Unit is a text judged whole by Lines, kept as the lines that redaction
// changed, so a caller that cuts lines from the original can show each one
// as redacted without holding a second copy of a clean text.
type Unit struct {
	changed map[int]string // 1-based line number -> redacted line
}

// Judge redacts s as a whole. Text without any rule's hint costs one pass
// of the hint scanner and no allocation; text with some, that pass and the
// work on the segments around the hints.
func Judge(s string) Unit {
	red := Lines(s)
	if red == s {
		return Unit{}
	}
	u := Unit{changed: map[int]string{}}
	for n := 1; s != "" || red != ""; n++ {
		var a, b string
		a, s = cutLine(s)
		b, red = cutLine(red)
		if a != b {
			u.changed[n] = strings.TrimSuffix(b, "\r")
		}
	}
	return u
}

// Clean reports that no line of the unit holds a secret.
func (u Unit) Clean() bool { return len(u.changed) == 0 }

// Line returns line n (1-based) as redacted, without its line ending, and
// true when it differs from the original line; ("", false) when the line
// holds no part of a secret and may be shown as it is.
func (u Unit) Line(n int) (string, bool) {
	l, ok := u.changed[n]
	return l, ok
}

// cutLine splits off the first line of s, without its '\n'.
func cutLine(s string) (line, rest string) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// writeSecret writes the replacement of one secret: a single Placeholder,
// or with keep one per line the secret touches, every line break (and a
// CR before it) kept so the text keeps its line numbers.
func writeSecret(b *strings.Builder, secret string, keep bool) {
	if !keep {
		b.WriteString(Placeholder)
		return
	}
	for {
		line, rest, more := strings.Cut(secret, "\n")
		cr := strings.HasSuffix(line, "\r")
		if strings.TrimSuffix(line, "\r") != "" {
			b.WriteString(Placeholder)
		}
		if cr {
			b.WriteByte('\r')
		}
		if !more {
			return
		}
		b.WriteByte('\n')
		secret = rest
	}
}
