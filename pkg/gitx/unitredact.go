package gitx

import (
	"strings"

	"codexpro.dev/pkg/redact"
)

// Git prints a file's lines with something in front of each (a diff's
// +/-/space column, blame's commit and author), so a secret that spans
// lines (a key block, a value on the line after its name) is no longer
// whole in the output, and line-by-line redaction of the output misses it.
// The filter therefore judges each file's lines as the unit they come from
// (each side of a diff section, a blamed file, a blob) with
// redact.Judge, and puts the redacted lines back behind their prefix. The
// caller still redacts the whole output as text afterwards.

// redactSection redacts one diff section's hunk lines by side: the old
// side (context and removed lines) and the new side (context and added
// lines) are each judged as one text. A combined diff ("@@@") has one
// prefix column per parent.
func redactSection(sec []string) []string {
	width := 0
	type ref struct{ line, old, new int }
	var refs []ref
	var oldSide, newSide strings.Builder
	nOld, nNew := 0, 0
	for i, l := range sec {
		if strings.HasPrefix(l, "@@") {
			width = len(l) - len(strings.TrimLeft(l, "@")) - 1
			continue
		}
		if width == 0 || len(l) < width || strings.HasPrefix(l, "\\") {
			continue
		}
		pre, body := l[:width], l[width:]
		r := ref{line: i}
		if !strings.Contains(pre, "+") {
			nOld++
			r.old = nOld
			oldSide.WriteString(body + "\n")
		}
		if !strings.Contains(pre, "-") {
			nNew++
			r.new = nNew
			newSide.WriteString(body + "\n")
		}
		refs = append(refs, r)
	}
	if len(refs) == 0 {
		return sec
	}
	oldU, newU := redact.Judge(oldSide.String()), redact.Judge(newSide.String())
	if oldU.Clean() && newU.Clean() {
		return sec
	}
	out := append([]string(nil), sec...)
	for _, r := range refs {
		pre := sec[r.line][:width]
		if red, ok := oldU.Line(r.old); ok && r.old > 0 {
			out[r.line] = pre + red
		} else if red, ok := newU.Line(r.new); ok && r.new > 0 {
			out[r.line] = pre + red
		}
	}
	return out
}

// redactBlame judges the blamed file's lines (after each line's
// "(author date n) " column) as one text.
func redactBlame(text string) string {
	ls := lines(text)
	cut := make([]int, len(ls))
	var file strings.Builder
	for i, l := range ls {
		cut[i] = strings.Index(l, ") ")
		if cut[i] >= 0 {
			cut[i] += 2
		} else {
			cut[i] = len(l)
		}
		file.WriteString(l[cut[i]:] + "\n")
	}
	u := redact.Judge(file.String())
	if u.Clean() {
		return text
	}
	var b strings.Builder
	for i, l := range ls {
		if red, ok := u.Line(i + 1); ok {
			l = l[:cut[i]] + red
		}
		b.WriteString(l + "\n")
	}
	return b.String()
}
