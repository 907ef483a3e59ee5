// Package tty answers one question the same way on every OS: is this
// stream a terminal a person is looking at? A character device that is not
// a terminal (/dev/null, NUL) is not one.
package tty

import (
	"os"

	"golang.org/x/term"
)

// IsTerminal reports whether v is an *os.File open on a terminal.
func IsTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}
