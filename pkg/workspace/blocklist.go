package workspace

import (
	"fmt"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// DefaultGlobs is the default list as doublestar globs for consumers that
// match whole paths (git exclude pathspecs, bash listings): every rule
// pattern P of DefaultRules in four forms, P, P/**, **/P and **/P/**, so it
// blocks at any depth and everything under a blocked directory.
func DefaultGlobs() []string {
	var out []string
	for _, r := range DefaultRules() {
		for _, p := range r.Patterns {
			out = append(out, p, p+"/**", "**/"+p, "**/"+p+"/**")
		}
	}
	return out
}

// Blocklist answers "is this workspace-relative path blocked?". Most globs are
// one path segment wrapped in `**/` and `/**`; those are checked per segment
// (a map lookup for literal names), which keeps a walk over a large tree cheap.
type Blocklist struct {
	sources  []string          // every glob as given, defaults first
	names    map[string]string // literal segment -> glob
	segments []glob            // wildcard patterns for one segment
	paths    []glob            // patterns with an inner '/', matched on every ancestor
}

type glob struct {
	pattern, source string
	kind            globKind // literal prefix/suffix fast paths for one-segment globs
	fixed           string
}

type globKind uint8

const (
	globAny    globKind = iota // anything else: doublestar
	globSuffix                 // "*.ext"
	globPrefix                 // "name*"
)

func segGlob(p, source string) glob {
	g := glob{pattern: p, source: source}
	const meta = `*?[{\`
	switch {
	case len(p) > 1 && p[0] == '*' && !strings.ContainsAny(p[1:], meta):
		g.kind, g.fixed = globSuffix, p[1:]
	case len(p) > 1 && p[len(p)-1] == '*' && !strings.ContainsAny(p[:len(p)-1], meta):
		g.kind, g.fixed = globPrefix, p[:len(p)-1]
	}
	return g
}

func (g glob) matchSeg(name string) bool {
	switch g.kind {
	case globSuffix:
		return strings.HasSuffix(name, g.fixed)
	case globPrefix:
		return strings.HasPrefix(name, g.fixed)
	}
	ok, _ := doublestar.Match(g.pattern, name)
	return ok
}

// NewBlocklist compiles the defaults plus extra globs (from CODEXPRO_BLOCKED_GLOBS).
// Extra globs can add to the defaults but never remove one.
func NewBlocklist(extra []string) (*Blocklist, error) {
	b := &Blocklist{names: map[string]string{}, sources: DefaultGlobs()}
	for _, r := range DefaultRules() {
		for _, p := range r.Patterns {
			b.compile(p)
		}
	}
	for _, g := range extra {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if !doublestar.ValidatePattern(g) {
			return nil, fmt.Errorf("CODEXPRO_BLOCKED_GLOBS: %q is not a valid glob", g)
		}
		b.sources = append(b.sources, g)
		b.compile(g)
	}
	return b, nil
}

// compile adds one glob; the glob itself is what a refusal names.
func (b *Blocklist) compile(source string) {
	p := strings.ToLower(strings.TrimPrefix(source, "./"))
	for strings.HasPrefix(p, "**/") {
		p = strings.TrimPrefix(p, "**/")
	}
	for strings.HasSuffix(p, "/**") {
		p = strings.TrimSuffix(p, "/**")
	}
	switch {
	case p == "" || p == "**":
		b.paths = append(b.paths, glob{pattern: "**", source: source})
	case strings.Contains(p, "/"):
		b.paths = append(b.paths, glob{pattern: p, source: source}, glob{pattern: "**/" + p, source: source})
	case strings.ContainsAny(p, `*?[{\`):
		b.segments = append(b.segments, segGlob(p, source))
	default:
		if _, dup := b.names[p]; !dup {
			b.names[p] = source
		}
	}
}

// Globs returns every blocked glob, defaults first, as given.
func (b *Blocklist) Globs() []string { return append([]string(nil), b.sources...) }

// Match reports the glob that blocks rel, if any. rel is slash-separated and
// relative to the workspace root; "." and "" are never blocked.
func (b *Blocklist) Match(rel string) (string, bool) {
	rel = strings.ToLower(strings.Trim(path.Clean("/"+rel), "/"))
	if rel == "" {
		return "", false
	}
	segs := strings.Split(rel, "/")
	for _, s := range segs {
		if g, ok := b.MatchName(s); ok {
			return g, true
		}
	}
	for i := range segs {
		prefix := strings.Join(segs[:i+1], "/")
		for _, g := range b.paths {
			if ok, _ := doublestar.Match(g.pattern, prefix); ok {
				return g.source, true
			}
		}
	}
	return "", false
}

// MatchName checks one path segment. A walker that has already checked a
// directory only needs this for each child's name, plus MatchPath rules.
func (b *Blocklist) MatchName(name string) (string, bool) {
	name = strings.ToLower(name)
	if g, ok := b.names[name]; ok {
		return g, true
	}
	for _, g := range b.segments {
		if g.matchSeg(name) {
			return g.source, true
		}
	}
	return "", false
}
