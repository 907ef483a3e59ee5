// Package logx builds the zerolog logger every CodexPro program uses:
// stderr-style output, console format on a terminal and JSON otherwise, and
// every message and field passed through pkg/redact before it is written.
package logx

import (
	"io"

	"github.com/rs/zerolog"

	"codexpro.dev/pkg/tty"
)

// New returns a logger writing to w at level (trace, debug, info, warn,
// error; anything else means info). Output is redacted: a token placed in a
// message or a field named like a secret never reaches w.
func New(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	out := w
	if tty.IsTerminal(w) {
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(Redactor{Next: out}).Level(lvl).With().Timestamp().Logger()
}
