package tty

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Confirm asks question on out with "[y/N]" and reads one line from in. Only
// an explicit "y" or "yes" (any case) is a yes; an empty line, any other
// answer, or input that ends is a no, so a prompt can never be skipped into
// a destructive default. The caller decides beforehand whether a person is
// there to answer (IsTerminal).
func Confirm(in *bufio.Reader, out io.Writer, question string) bool {
	fmt.Fprintf(out, "%s [y/N] ", question)
	line, _ := in.ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
