package redact

import (
	"strconv"
	"strings"
)

// Sides gives the whole content of one side of a file in a diff: the old
// side (before the change) or the new one. ok is false when it is not
// available (a deleted or binary file, a failing lookup).
type Sides func(path string, old bool) (content string, ok bool)

// Diff redacts a unified diff (git format, one or more files) the way the
// files it shows would be redacted whole. A hunk is a cut of a file, so
// judging the hunk alone misses a key block whose BEGIN line lies outside
// it, or the value line of an "api_key:" above it. For each file Diff
// judges, when sides gives them, the whole old and new content, and always
// the hunks' own old and new views; every hunk line takes the redaction of
// the line it shows, keeping its '+', '-' or ' ' prefix. A line shaped like
// a key body (keyBodyShaped: base64 only, 40 to 120 characters, capitals
// and lower case in the proportions of random base64) is
// hidden even when no side is known: a diff is a partial view by nature.
// sides may be nil, and is asked only for files whose hunks hold a hint of
// a secret or a line that could be a value.
func Diff(text string, sides Sides) string {
	lines := strings.SplitAfter(text, "\n")
	changed := false
	for start := 0; start < len(lines); {
		end := start + 1
		for end < len(lines) && !strings.HasPrefix(lines[end], "diff --git ") {
			end++
		}
		if redactSection(lines[start:end], sides) {
			changed = true
		}
		start = end
	}
	if !changed {
		return text
	}
	return strings.Join(lines, "")
}

// hunkLine is one line of a hunk: its index in the section and the line
// numbers it has on the old and new side (0 when it has none).
type hunkLine struct {
	i, old, new int
}

// redactSection redacts one file's section of a diff in place.
func redactSection(sec []string, sides Sides) bool {
	var oldPath, newPath string
	var hl []hunkLine
	var oldView, newView strings.Builder
	oldNo, newNo := 0, 0
	inHunk := false
	for i, l := range sec {
		switch {
		case strings.HasPrefix(l, "@@ "):
			inHunk = true
			oldNo, newNo = hunkStart(l)
			continue
		case !inHunk && strings.HasPrefix(l, "--- "):
			oldPath = diffPath(l[4:], "a/")
			continue
		case !inHunk && strings.HasPrefix(l, "+++ "):
			newPath = diffPath(l[4:], "b/")
			continue
		case !inHunk || l == "" || l[0] == '\\':
			continue
		}
		body := strings.TrimSuffix(l[1:], "\n")
		h := hunkLine{i: i}
		switch l[0] {
		case ' ':
			h.old, h.new = oldNo, newNo
			oldNo++
			newNo++
		case '-':
			h.old = oldNo
			oldNo++
		case '+':
			h.new = newNo
			newNo++
		default:
			inHunk = false // a header line of the next part
			continue
		}
		if h.old != 0 {
			oldView.WriteString(body + "\n")
		}
		if h.new != 0 {
			newView.WriteString(body + "\n")
		}
		hl = append(hl, h)
	}
	if len(hl) == 0 {
		return false
	}
	units := []sidedUnit{
		{Judge(oldView.String()), true, true},
		{Judge(newView.String()), false, true},
	}
	if sides != nil && suspicious(oldView.String()+newView.String()) {
		if c, ok := sides(oldPath, true); ok && oldPath != "" {
			units = append(units, sidedUnit{Judge(c), true, false})
		}
		if c, ok := sides(newPath, false); ok && newPath != "" {
			units = append(units, sidedUnit{Judge(c), false, false})
		}
	}
	changed := false
	viewOld, viewNew := 0, 0
	for _, h := range hl {
		l := sec[h.i]
		body := strings.TrimSuffix(l[1:], "\n")
		if h.old != 0 {
			viewOld++
		}
		if h.new != 0 {
			viewNew++
		}
		red, ok := body, false
		for _, u := range units {
			n := h.new
			switch {
			case u.old && u.view:
				n = viewOld
				if h.old == 0 {
					n = 0
				}
			case u.old:
				n = h.old
			case u.view:
				n = viewNew
				if h.new == 0 {
					n = 0
				}
			}
			if n == 0 {
				continue
			}
			if r, hit := u.Line(n); hit {
				red, ok = r, true
				break
			}
		}
		if !ok && keyBodyShaped(body) {
			red, ok = Placeholder, true
		}
		if ok {
			nl := ""
			if strings.HasSuffix(l, "\n") {
				nl = "\n"
			}
			sec[h.i] = l[:1] + red + nl
			changed = true
		}
	}
	return changed
}

// sidedUnit is a judged text and which side of a file it covers: the whole
// file's (view false) or only the lines the hunks show (view true).
type sidedUnit struct {
	Unit
	old, view bool
}

// hunkStart reads the first old and new line numbers of "@@ -a,b +c,d @@".
func hunkStart(l string) (old, new int) {
	f := strings.Fields(l)
	if len(f) < 3 {
		return 1, 1
	}
	num := func(s string) int {
		s = s[1:]
		if i := strings.IndexByte(s, ','); i >= 0 {
			s = s[:i]
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 1
		}
		return n
	}
	return num(f[1]), num(f[2])
}

// diffPath is the path of a "--- a/x" or "+++ b/x" header; "" for
// /dev/null. Quoted names (unusual characters) are left to the hunk views.
func diffPath(name, prefix string) string {
	name = strings.TrimRight(name, "\r\n")
	if i := strings.IndexByte(name, '\t'); i >= 0 {
		name = name[:i]
	}
	if name == "/dev/null" || strings.HasPrefix(name, `"`) {
		return ""
	}
	return strings.TrimPrefix(name, prefix)
}

// suspicious reports whether hunk text could hold part of a secret that
// only the whole file reveals: a rule's hint, a key-body-shaped line, or a
// word long enough to be a value whose name sits on a line above.
func suspicious(s string) bool {
	if scanner.mask(s) != 0 {
		return true
	}
	run := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; isWord(c) || c == '.' || c == '/' || c == '+' || c == '=' || c == '-' {
			if run++; run >= 20 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// keyBodyShaped reports a line that looks like a line of a key block's
// body: base64 only (after indentation, quotes and a trailing comma), 40
// to 120 characters, at least a quarter of them upper case and a tenth
// lower case (random base64 has about 40% of each; a camelCase identifier
// has far fewer capitals), and not plain hexadecimal (a commit, a checksum).
func keyBodyShaped(line string) bool {
	t := strings.Trim(line, " \t\r\"'`,;")
	t = strings.TrimSuffix(t, `\n`)
	if len(t) < 40 || len(t) > 120 {
		return false
	}
	upper, lower, nonHex := 0, 0, false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'A' && c <= 'Z':
			upper++
			nonHex = nonHex || c > 'F'
		case c >= 'a' && c <= 'z':
			lower++
			nonHex = nonHex || c > 'f'
		case c >= '0' && c <= '9', c == '+', c == '/', c == '=':
		default:
			return false
		}
	}
	return nonHex && upper*4 >= len(t) && lower*10 >= len(t)
}

// KeyBodies hides every line of s shaped like a line of a key block's body
// (keyBodyShaped), keeping line breaks. It is for text that is a cut of
// files mcpd cannot see whole, such as a command's output (sed -n 5,9p,
// tail, grep): there a key body may arrive without its BEGIN line.
func KeyBodies(s string) string {
	if !hasBase64Run(s, 40) {
		return s
	}
	var b strings.Builder
	for rest := s; rest != ""; {
		line, tail, nl := strings.Cut(rest, "\n")
		if keyBodyShaped(line) {
			b.WriteString(Placeholder)
			if strings.HasSuffix(line, "\r") {
				b.WriteByte('\r')
			}
		} else {
			b.WriteString(line)
		}
		if nl {
			b.WriteByte('\n')
		}
		rest = tail
	}
	return b.String()
}

// hasBase64Run reports a run of at least n base64 characters in s.
func hasBase64Run(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; isWord(c) && c != '_' || c == '+' || c == '/' || c == '=' {
			if run++; run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
