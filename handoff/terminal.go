package handoff

import (
	"bufio"
	"fmt"
	"io"

	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/tty"
)

// IO is where a run talks to the user. Stdout carries results (and the
// --json events); Stderr carries progress and messages; Stdin answers
// confirmations.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// interactive reports whether a person can answer a prompt.
func (io IO) interactive() bool { return tty.IsTerminal(io.Stdin) && tty.IsTerminal(io.Stderr) }

// prompter asks yes/no questions on the terminal.
type prompter struct {
	io IO
	in *bufio.Reader
}

func newPrompter(io IO) *prompter {
	var r *bufio.Reader
	if io.Stdin != nil {
		r = bufio.NewReader(io.Stdin)
	}
	return &prompter{io: io, in: r}
}

// ask shows a titled box of fields and a question, and returns true only
// for an explicit yes. Without a terminal it returns refusal as an error.
func (p *prompter) ask(title string, fields []bridge.Field, question, refusal string) (bool, error) {
	if !p.io.interactive() || p.in == nil {
		return false, fmt.Errorf("%s", refusal)
	}
	fmt.Fprintf(p.io.Stderr, "\n%s\n", title)
	for _, f := range fields {
		fmt.Fprintf(p.io.Stderr, "  %-10s %s\n", f.Key+":", f.Value)
	}
	return tty.Confirm(p.in, p.io.Stderr, question), nil
}
