package tunnelctl

import (
	"bytes"
	"strings"
	"sync"
)

// Redacted replaces every known secret in child output and messages.
const Redacted = "[REDACTED_SECRET]"

// scrubber removes known secret values (the MCP token, the tunnel token)
// from text before it is kept or shown.
type scrubber []string

func (s scrubber) apply(text string) string {
	for _, secret := range s {
		if secret != "" {
			text = strings.ReplaceAll(text, secret, Redacted)
		}
	}
	return text
}

// lineWriter splits child output into lines, hands each (scrubbed) line to
// onLine and keeps the last few for error messages. Lines are capped so a
// child that never prints a newline cannot grow memory.
type lineWriter struct {
	mu     sync.Mutex
	buf    []byte
	tail   []string
	keep   int
	scrub  scrubber
	onLine func(string)
}

const maxLineBytes = 8 << 10

func newLineWriter(keep int, scrub scrubber, onLine func(string)) *lineWriter {
	return &lineWriter{keep: keep, scrub: scrub, onLine: onLine}
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			if len(w.buf) > maxLineBytes {
				w.emit(w.buf)
				w.buf = w.buf[:0]
			}
			return len(p), nil
		}
		w.emit(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}

func (w *lineWriter) emit(raw []byte) {
	line := w.scrub.apply(strings.TrimRight(string(raw), "\r"))
	w.tail = append(w.tail, line)
	if len(w.tail) > w.keep {
		w.tail = w.tail[len(w.tail)-w.keep:]
	}
	if w.onLine != nil {
		w.onLine(line)
	}
}

// Tail returns the last kept lines joined by newlines.
func (w *lineWriter) Tail() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.tail, "\n")
}
