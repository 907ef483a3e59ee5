package search

import (
	"bytes"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// matcher finds the matching lines of a buffer. A finder proposes
// candidates cheaply; when the query is a real regular expression, the line
// around each candidate is then confirmed with Go's RE2 engine, whose running
// time is linear in the input whatever the pattern. A regexp with no
// required literal has no finder: a lazy DFA built from prog proposes lines.
type matcher struct {
	find finder         // nil: the DFA proposes lines
	re   *regexp.Regexp // nil: every candidate is a match
	prog *syntax.Prog   // when find is nil
}

// maxSet bounds how many alternative literals a prefilter tracks.
const maxSet = 16

// QueryError is a query that cannot be compiled; the tool shows it as a
// bad argument.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

func compileMatcher(query string, regex, caseSensitive bool) (*matcher, error) {
	if query == "" {
		return nil, &QueryError{"query is required."}
	}
	if strings.ContainsAny(query, "\r\n") {
		return nil, &QueryError{"query must be a single line: matches are found within one line."}
	}
	if !regex {
		if caseSensitive {
			return &matcher{find: newExactFinder([]byte(query))}, nil
		}
		if foldSafe(query) {
			return &matcher{find: newFoldFinder([]byte(query))}, nil
		}
		query = regexp.QuoteMeta(query)
	}
	flags := "(?m)"
	if !caseSensitive {
		flags = "(?mi)"
	}
	return compileRegex(flags + query)
}

// maxProgInsts bounds a regexp's compiled size. Matching is linear in the
// input but also proportional to the program, so a huge program (say, large
// repetition counts of character classes) could keep a worker busy for
// minutes on one file; such queries are refused up front.
const maxProgInsts = 4000

func compileRegex(pattern string) (*matcher, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, &QueryError{fmt.Sprintf("query is not a valid regular expression (RE2 syntax): %v", err)}
	}
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, &QueryError{fmt.Sprintf("query is not a valid regular expression (RE2 syntax): %v", err)}
	}
	parsed = parsed.Simplify()
	prog, err := syntax.Compile(parsed)
	if err != nil {
		return nil, &QueryError{fmt.Sprintf("query is not a valid regular expression (RE2 syntax): %v", err)}
	}
	if len(prog.Inst) > maxProgInsts {
		return nil, &QueryError{fmt.Sprintf("query is too complex: it compiles to %d steps, the limit is %d; use smaller repetition counts.", len(prog.Inst), maxProgInsts)}
	}
	m := &matcher{re: re}
	if top := unwrapCapture(parsed); top.Op == syntax.OpLiteral {
		if req := literalReq(top); len(req) == 1 && len(req[0].s) == len(string(top.Rune)) {
			m.re = nil // the whole pattern is a literal the finder matches exactly
		}
	}
	if req := required(parsed); weakest(req) >= 2 {
		m.find = buildFinder(req)
	} else {
		m.re, m.prog = re, prog
	}
	return m, nil
}

func unwrapCapture(re *syntax.Regexp) *syntax.Regexp {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	return re
}

// scan calls emit with the number and text (without its newline) of each
// matching line, in order, until emit returns false. Line numbers are
// counted only up to each match, never for the whole buffer.
func (m *matcher) scan(buf []byte, sc *scratch, emit func(n int, line []byte) bool) {
	if m.find == nil {
		if sc.dfa == nil || sc.dfa.prog != m.prog {
			sc.dfa = newLazyDFA(m.prog)
		}
		m.scanLines(buf, sc.dfa, emit)
		return
	}
	lineNo, counted := 1, 0
	for pos := 0; pos < len(buf); {
		c := m.find.next(buf, pos)
		if c < 0 {
			return
		}
		ls := pos + bytes.LastIndexByte(buf[pos:c], '\n') + 1
		le := len(buf)
		if i := bytes.IndexByte(buf[c:], '\n'); i >= 0 {
			le = c + i
		}
		line := buf[ls:le]
		if m.re == nil || m.re.Match(line) {
			lineNo += bytes.Count(buf[counted:ls], []byte{'\n'})
			counted = ls
			if !emit(lineNo, line) {
				return
			}
		}
		pos = le + 1
	}
}

// matchLine reports whether one line (no line break) matches.
func (m *matcher) matchLine(line []byte) bool {
	if m.find != nil && m.find.next(line, 0) < 0 {
		return false
	}
	return m.re == nil || m.re.Match(line)
}

// scanLines finds candidate lines with the DFA and confirms each with the
// regexp. A pattern that matches the empty string matches every line, so
// the DFA has nothing to filter and each line goes to the regexp.
func (m *matcher) scanLines(buf []byte, d *lazyDFA, emit func(n int, line []byte) bool) {
	everyLine := d.states[0].match
	lineNo, counted := 1, 0
	for pos := 0; pos < len(buf); {
		hit := pos + 1
		if !everyLine {
			if hit = d.next(buf, pos); hit < 0 {
				return
			}
		}
		ls := pos + bytes.LastIndexByte(buf[pos:hit-1], '\n') + 1
		le := len(buf)
		if i := bytes.IndexByte(buf[hit-1:], '\n'); i >= 0 {
			le = hit - 1 + i
		}
		if line := buf[ls:le]; m.re.Match(line) {
			lineNo += bytes.Count(buf[counted:ls], []byte{'\n'})
			counted = ls
			if !emit(lineNo, line) {
				return
			}
		}
		pos = le + 1
	}
}

// litReq is a literal every match must contain (ASCII case folded if fold).
type litReq struct {
	s    string
	fold bool
}

// required returns literals of which every match contains at least one, or
// nil when no useful set exists.
func required(re *syntax.Regexp) []litReq {
	switch re.Op {
	case syntax.OpLiteral:
		return literalReq(re)
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []litReq
		for _, s := range re.Sub {
			if r := required(s); r != nil && (best == nil || weakest(r) > weakest(best)) {
				best = r
			}
		}
		return best
	case syntax.OpAlternate:
		var all []litReq
		for _, s := range re.Sub {
			r := required(s)
			if r == nil {
				return nil
			}
			all = append(all, r...)
		}
		if len(all) > maxSet {
			return nil
		}
		return all
	}
	return nil
}

// literalReq turns a literal node into a requirement. A case-folded literal
// keeps only its longest fold-safe ASCII run, since the ASCII fold finder
// cannot see non-ASCII case variants.
func literalReq(re *syntax.Regexp) []litReq {
	s := string(re.Rune)
	if re.Flags&syntax.FoldCase == 0 {
		return []litReq{{s: s}}
	}
	best := ""
	for _, run := range strings.FieldsFunc(s, func(r rune) bool { return !foldSafeRune(r) }) {
		if len(run) > len(best) {
			best = run
		}
	}
	if best == "" {
		return nil
	}
	return []litReq{{s: best, fold: true}}
}

// weakest is the length of the shortest literal in a set (0 for none).
func weakest(req []litReq) int {
	if len(req) == 0 {
		return 0
	}
	n := len(req[0].s)
	for _, r := range req[1:] {
		n = min(n, len(r.s))
	}
	return n
}

func buildFinder(req []litReq) finder {
	fs := make([]finder, 0, len(req))
	for _, r := range req {
		if r.fold {
			fs = append(fs, newFoldFinder([]byte(r.s)))
		} else {
			fs = append(fs, newExactFinder([]byte(r.s)))
		}
	}
	if len(fs) == 1 {
		return fs[0]
	}
	return newSetFinder(fs)
}

// foldSafe reports whether ASCII case folding matches s exactly as Unicode
// simple folding does: ASCII only, and no k or s.
func foldSafe(s string) bool {
	for _, r := range s {
		if !foldSafeRune(r) {
			return false
		}
	}
	return true
}

func foldSafeRune(r rune) bool {
	if r >= utf8.RuneSelf {
		return false
	}
	switch r {
	case 'k', 'K', 's', 'S':
		return false
	}
	return true
}
