package e2e

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// runLog keeps every byte that mcpd and the clients print during the run,
// plus every result the tests receive, so the leak scan at the end can
// check that no planted secret or token ever came out of mcpd. Each source
// is kept as one contiguous stream, so a secret split across two writes
// of a pipe is still found.
type runLog struct {
	mu      sync.Mutex
	streams map[string]*bytes.Buffer
	secrets map[string]string // value -> what it is, for the failure message
	allowed map[string]string // value -> the one source that may print it
}

func newRunLog() *runLog {
	return &runLog{streams: map[string]*bytes.Buffer{}, secrets: map[string]string{}, allowed: map[string]string{}}
}

// secret registers a value that must never appear in the run's output.
func (l *runLog) secret(what, value string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.secrets[value] = what
}

// secretShownBy registers a value that only source may print: a generated
// token that mcpd shows the user once, in its connector URL.
func (l *runLog) secretShownBy(what, value, source string) {
	l.secret(what, value)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.allowed[value] = source
}

// writer returns an io.Writer that appends to the source's stream.
func (l *runLog) writer(source string) io.Writer { return &labelled{log: l, source: source} }

// add records a whole piece of output (a client's stdout, a result).
func (l *runLog) add(source string, data []byte) {
	l.write(source, data)
	l.write(source, []byte("\n"))
}

func (l *runLog) write(source string, data []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.streams[source]
	if !ok {
		b = &bytes.Buffer{}
		l.streams[source] = b
	}
	b.Write(data)
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
	w.log.write(w.source, p)
	return len(p), nil
}

// leaks returns one line per secret and source where it was found, naming
// both but never printing the secret itself.
func (l *runLog) leaks() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var found []string
	for source, b := range l.streams {
		for value, what := range l.secrets {
			if l.allowed[value] == source {
				continue
			}
			if bytes.Contains(b.Bytes(), []byte(value)) {
				found = append(found, fmt.Sprintf("%s appears in the output of %s", what, source))
			}
		}
	}
	sort.Strings(found)
	return found
}

func (l *runLog) contains(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, b := range l.streams {
		if strings.Contains(b.String(), s) {
			return true
		}
	}
	return false
}

func (l *runLog) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, b := range l.streams {
		n += b.Len()
	}
	return n
}
