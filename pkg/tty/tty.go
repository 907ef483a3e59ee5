// Package tty answers one question the same way on every OS: is this
// stream a terminal a person is looking at? A character device that is not
// a terminal (/dev/null, NUL) is not one.
package tty

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IsTerminal reports whether v is an *os.File open on a terminal.
func IsTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// Raw puts the terminal f into raw mode, so single key presses arrive
// without Enter, and returns the function that restores it. In raw mode
// the terminal neither echoes nor turns "\n" into "\r\n", and Ctrl-C is a
// byte (3), not a signal: the caller handles all three.
func Raw(f *os.File) (restore func(), err error) {
	old, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return nil, err
	}
	return func() { _ = term.Restore(int(f.Fd()), old) }, nil
}

// CRLF writes to w with every "\n" turned into "\r\n", for output to a
// terminal in raw mode.
func CRLF(w io.Writer) io.Writer { return crlf{w} }

type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
