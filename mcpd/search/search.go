// Package search is CodexPro's own code search: literal and RE2 regular
// expression matching over a workspace, walking directories in parallel
// under the workspace guard's rules (blocked paths are never opened, hidden
// and .gitignore'd entries are skipped, symlinks are never followed).
package search

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"

	"codexpro.dev/pkg/workspace"
)

// Options describe one search.
type Options struct {
	Query         string
	Regex         bool   // RE2 syntax; otherwise Query is a literal
	CaseSensitive bool   // false folds case (a regexp may also use (?i))
	Path          string // directory or file to search, workspace-relative; "" = root
	Glob          string // doublestar glob relative to Path; no '/' = file name; leading '!' excludes
	IncludeHidden bool   // search dot files and dot directories too
	MaxResults    int    // >= 1
	MaxTextBytes  int64  // bound on the matches' size (textSize); 0 = none
	MaxFileBytes  int64  // larger files are skipped
	Workers       int    // 0 = one per CPU
}

// Match is one matching line.
type Match struct {
	Path string `json:"path"` // workspace-relative, '/'-separated
	Line int    `json:"line"` // 1-based
	Text string `json:"text"` // the line, cut to MaxLineRunes
}

// Result is the outcome of a search.
type Result struct {
	Matches   []Match
	Truncated bool // more matches existed than MaxResults
	Files     int  // files whose content was searched
}

// textSize is what a match counts against MaxTextBytes: its path, its
// text and room for a "path:line: " prefix.
func textSize(m Match) int64 { return int64(len(m.Path) + len(m.Text) + 16) }

// MaxLineRunes is how much of a matching line is returned.
const MaxLineRunes = 400

// Search runs o over workspace w. Matches are sorted by path, then line.
// When more than MaxResults lines match, the walk stops early and which of
// them are returned depends on the walk order.
func Search(ctx context.Context, w *workspace.Workspace, o Options) (Result, error) {
	return run(ctx, w, o, defaultSource(w), nil)
}

// run searches with src and the caches of e (nil: none).
func run(ctx context.Context, w *workspace.Workspace, o Options, src source, e *Engine) (Result, error) {
	if o.MaxResults < 1 {
		return Result{}, fmt.Errorf("search: MaxResults must be at least 1, got %d", o.MaxResults)
	}
	m, err := compileMatcher(o.Query, o.Regex, o.CaseSensitive)
	if err != nil {
		return Result{}, err
	}
	flt, err := newFilter(o)
	if err != nil {
		return Result{}, err
	}
	if o.Workers <= 0 {
		// Two per CPU: a worker waiting in a system call leaves its CPU to another.
		o.Workers = 2 * runtime.GOMAXPROCS(0)
	}
	s := &state{w: w, o: o, m: m, flt: flt, src: src}
	if e != nil {
		s.memo, s.pool, s.judged = e.memo(w), &e.buffers, e.judged
	}
	if err := s.start(); err != nil {
		return Result{}, err
	}
	return s.result(ctx)
}

// filter holds the per-entry rules that do not depend on the directory.
type filter struct {
	glob    string
	exclude bool // glob started with '!'
	base    bool // glob has no '/': matched against the file name
}

func newFilter(o Options) (filter, error) {
	g := strings.TrimSpace(o.Glob)
	f := filter{}
	if strings.HasPrefix(g, "!") {
		f.exclude, g = true, g[1:]
	}
	g = strings.TrimPrefix(g, "./")
	anchored := strings.HasPrefix(g, "/") // "/x.go": only at the top of the search path
	g = strings.TrimLeft(g, "/")
	if g == "" {
		return filter{}, nil
	}
	if !doublestar.ValidatePattern(g) {
		return filter{}, &QueryError{fmt.Sprintf("glob %q is not a valid glob pattern.", o.Glob)}
	}
	f.glob, f.base = g, !anchored && !strings.Contains(g, "/")
	return f, nil
}

// wants reports whether the user glob admits a file; below is its path
// relative to the search path.
func (f filter) wants(below, name string) bool {
	if f.glob == "" {
		return true
	}
	subject := below
	if f.base {
		subject = name
	}
	ok, _ := doublestar.Match(f.glob, subject)
	return ok != f.exclude
}

// lineText is what a match shows of its line: no CR, at most MaxLineRunes.
func lineText(line []byte) string {
	line = trimCR(line)
	if len(line) <= MaxLineRunes {
		return string(line)
	}
	n, i := 0, 0
	for i < len(line) && n < MaxLineRunes {
		_, size := utf8.DecodeRune(line[i:])
		i += size
		n++
	}
	if i >= len(line) {
		return string(line)
	}
	return string(line[:i]) + "…"
}

func trimCR(line []byte) []byte {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		return line[:n-1]
	}
	return line
}

func sortMatches(ms []Match) {
	slices.SortFunc(ms, func(a, b Match) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return cmp.Compare(a.Line, b.Line)
	})
}
