package e2e

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// runLog keeps every byte that mcpd and the clients print during the run,
// plus every result the tests receive, so the leak scan at the end can
// check that no planted secret or token ever came out of mcpd.
type runLog struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	secrets map[string]string // value -> what it is, for the failure message
}

func newRunLog() *runLog { return &runLog{secrets: map[string]string{}} }

// secret registers a value that must never appear in the run's output.
func (l *runLog) secret(what, value string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.secrets[value] = what
}

// writer returns an io.Writer whose bytes are kept under a source label.
func (l *runLog) writer(source string) io.Writer { return &labelled{log: l, source: source} }

// add records a whole piece of output (a client's stdout, a result).
func (l *runLog) add(source string, data []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.buf, "\n--- %s ---\n", source)
	l.buf.Write(data)
}

// addFiles records every regular file under dir: logs, transcripts and
// state mcpd (or a client) wrote during the run count as output too.
func (l *runLog) addFiles(source, dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil {
			l.add(source+" "+p, data)
		}
		return nil
	})
}

type labelled struct {
	log    *runLog
	source string
}

func (w *labelled) Write(p []byte) (int, error) {
	w.log.add(w.source, p)
	return len(p), nil
}

// leaks returns one line per secret found in the collected output, naming
// the source that printed it (never the secret itself).
func (l *runLog) leaks() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	text := l.buf.String()
	var found []string
	for value, what := range l.secrets {
		if i := strings.Index(text, value); i >= 0 {
			found = append(found, fmt.Sprintf("%s appears in the output of %s", what, sourceAt(text, i)))
		}
	}
	return found
}

func (l *runLog) contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Contains(l.buf.String(), s)
}

func (l *runLog) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Len()
}

// sourceAt finds the label of the section that holds offset i.
func sourceAt(text string, i int) string {
	j := strings.LastIndex(text[:i], "\n--- ")
	if j < 0 {
		return "an unlabelled source"
	}
	line := text[j+5:]
	if k := strings.Index(line, " ---\n"); k >= 0 {
		return line[:k]
	}
	return "an unlabelled source"
}
