package agentapi

import (
	"regexp"
	"strings"
)

var bareWord = regexp.MustCompile(`^[A-Za-z0-9_./:@=+-]+$`)

// Preview renders argv for humans as a POSIX shell line: plain tokens stay
// bare, everything else is single-quoted. It is only ever displayed; argv
// itself is executed without a shell.
func Preview(argv []string) string {
	parts := make([]string, len(argv))
	for i, a := range argv {
		parts[i] = Quote(a)
	}
	return strings.Join(parts, " ")
}

// Quote single-quotes s unless it is a plain token.
func Quote(s string) string {
	if bareWord.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
