package search

import (
	"bytes"
	"path"
	"strings"
)

// maxIgnoreBytes bounds a .gitignore file; a larger one is not read.
const maxIgnoreBytes = 1 << 20

// ignoreList is the chain of .gitignore files that apply to one directory:
// the directory's own file first, then its parents'. Chains are immutable
// and shared by all the subdirectories below them.
type ignoreList struct {
	parent *ignoreList
	base   string // directory of the .gitignore, workspace-relative ("." for the root)
	rules  []ignoreRule
}

// ignoreRule is one .gitignore line.
type ignoreRule struct {
	negate   bool     // "!pattern" re-includes
	dirOnly  bool     // "pattern/" matches directories only
	anchored bool     // contains a '/': matched against the path below base
	segs     []segPat // pattern split at '/'
}

// segPat matches one path segment; "**" is its own kind.
type segPat struct {
	kind  segKind
	lit   string // literal, or the fixed part for prefix/suffix kinds
	glob  string // for globSeg: a path.Match pattern
	multi bool   // "**"
}

type segKind uint8

const (
	litSeg    segKind = iota // exact name
	suffixSeg                // "*.ext"
	prefixSeg                // "name*"
	anySeg                   // "*"
	globSeg                  // anything else
)

// withFile returns the chain extended by the .gitignore content found in
// directory base. A file with no rules adds nothing.
func (l *ignoreList) withFile(base string, data []byte) *ignoreList {
	rules := parseIgnore(data)
	if len(rules) == 0 {
		return l
	}
	return &ignoreList{parent: l, base: base, rules: rules}
}

// ignored reports whether the entry at rel (workspace-relative, named name)
// is excluded. The deepest file with a matching rule decides, and within a
// file the last matching line wins, as in git.
func (l *ignoreList) ignored(rel, name string, isDir bool) bool {
	for f := l; f != nil; f = f.parent {
		below := relBelow(f.base, rel)
		if below == "" {
			continue // rel is not inside this file's directory
		}
		for i := len(f.rules) - 1; i >= 0; i-- {
			r := &f.rules[i]
			if r.dirOnly && !isDir {
				continue
			}
			if r.anchored && matchSegs(r.segs, below) || !r.anchored && r.segs[0].match(name) {
				return !r.negate
			}
		}
	}
	return false
}

// relBelow is rel relative to base, or "" if rel is not below base.
func relBelow(base, rel string) string {
	if base == "." {
		return rel
	}
	if len(rel) > len(base) && rel[len(base)] == '/' && strings.HasPrefix(rel, base) {
		return rel[len(base)+1:]
	}
	return ""
}

// parseIgnore compiles .gitignore lines; lines git would ignore as invalid
// are skipped rather than failing the search.
func parseIgnore(data []byte) []ignoreRule {
	var rules []ignoreRule
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if r, ok := parseIgnoreLine(string(bytes.TrimSuffix(line, []byte("\r")))); ok {
			rules = append(rules, r)
		}
	}
	return rules
}

func parseIgnoreLine(s string) (ignoreRule, bool) {
	s = trimTrailingSpaces(s)
	var r ignoreRule
	switch {
	case s == "" || s[0] == '#':
		return r, false
	case s[0] == '!':
		r.negate, s = true, s[1:]
	case s[0] == '\\' && len(s) > 1 && (s[1] == '#' || s[1] == '!'):
		s = s[1:]
	}
	if strings.HasSuffix(s, "/") {
		r.dirOnly, s = true, strings.TrimRight(s, "/")
	}
	if s == "" {
		return r, false
	}
	r.anchored = strings.Contains(s, "/")
	s = strings.TrimPrefix(s, "/")
	for _, p := range strings.Split(s, "/") {
		sp, ok := compileSeg(p)
		if !ok {
			return r, false
		}
		r.segs = append(r.segs, sp)
	}
	if !r.anchored && r.segs[0].multi {
		r.segs[0] = segPat{kind: anySeg}
	}
	return r, true
}

// trimTrailingSpaces drops unescaped trailing spaces ("a\ " keeps one).
func trimTrailingSpaces(s string) string {
	for strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\\ ") {
		s = s[:len(s)-1]
	}
	if strings.HasSuffix(s, "\\ ") {
		s = s[:len(s)-2] + " "
	}
	return s
}

func compileSeg(p string) (segPat, bool) {
	if p == "**" {
		return segPat{multi: true}, true
	}
	if p == "" {
		return segPat{}, false
	}
	if !strings.ContainsAny(p, `*?[\`) {
		return segPat{kind: litSeg, lit: p}, true
	}
	if p == "*" {
		return segPat{kind: anySeg}, true
	}
	if rest := p[1:]; p[0] == '*' && !strings.ContainsAny(rest, `*?[\`) {
		return segPat{kind: suffixSeg, lit: rest}, true
	}
	if head := p[:len(p)-1]; p[len(p)-1] == '*' && !strings.ContainsAny(head, `*?[\`) {
		return segPat{kind: prefixSeg, lit: head}, true
	}
	// git's fnmatch spells a negated class [!...]; path.Match wants [^...].
	g := strings.ReplaceAll(p, "[!", "[^")
	if _, err := path.Match(g, ""); err != nil {
		return segPat{}, false
	}
	return segPat{kind: globSeg, glob: g}, true
}

func (p *segPat) match(name string) bool {
	switch p.kind {
	case litSeg:
		return name == p.lit
	case suffixSeg:
		return strings.HasSuffix(name, p.lit)
	case prefixSeg:
		return strings.HasPrefix(name, p.lit)
	case anySeg:
		return true
	}
	ok, _ := path.Match(p.glob, name)
	return ok
}

// matchSegs matches pattern segments against a slash-separated path. A
// leading or inner "**" spans zero or more segments; a trailing one spans at
// least one ("dir/**" is what is inside dir, not dir itself).
func matchSegs(segs []segPat, p string) bool {
	for len(segs) > 0 {
		if segs[0].multi {
			if len(segs) == 1 {
				return p != ""
			}
			for {
				if matchSegs(segs[1:], p) {
					return true
				}
				i := strings.IndexByte(p, '/')
				if i < 0 {
					return false
				}
				p = p[i+1:]
			}
		}
		if p == "" {
			return false
		}
		name, rest := p, ""
		if i := strings.IndexByte(p, '/'); i >= 0 {
			name, rest = p[:i], p[i+1:]
		}
		if !segs[0].match(name) {
			return false
		}
		segs, p = segs[1:], rest
	}
	return p == ""
}
