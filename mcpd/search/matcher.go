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
// time is linear in the input whatever the pattern.
type matcher struct {
	find  finder         // nil: the regexp finds candidates itself
	re    *regexp.Regexp // nil: every candidate is a match
	chunk int            // when re finds candidates: most bytes to give it at once
	prog  *syntax.Prog   // when re finds candidates: program for a lazy DFA filter
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
	m := &matcher{re: re, chunk: backtrackChunk(parsed)}
	if top := unwrapCapture(parsed); top.Op == syntax.OpLiteral {
		if req := literalReq(top); len(req) == 1 && len(req[0].s) == len(string(top.Rune)) {
			m.re = nil // the whole pattern is a literal the finder matches exactly
		}
	}
	if req := required(parsed); weakest(req) >= 2 {
		m.find = buildFinder(req)
	} else {
		m.re = re
		m.prog = newDFAProg(parsed)
	}
	return m, nil
}

// backtrackChunk is the longest input for which Go's regexp uses its
// bounded backtracker rather than the much slower NFA simulation (the limit
// is a bit vector of 256 Kibit over program size × input length). Feeding
// the regexp whole lines in chunks below it keeps scans fast and linear.
func backtrackChunk(re *syntax.Regexp) int {
	const maxProg, maxBits = 500, 256 * 1024
	prog, err := syntax.Compile(re)
	if err != nil || len(prog.Inst) > maxProg {
		return 0
	}
	return maxBits/len(prog.Inst) - 1
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
	if m.find == nil && m.prog != nil {
		if sc.dfa == nil || sc.dfa.prog != m.prog {
			sc.dfa = newLazyDFA(m.prog)
		}
		m.scanLines(buf, sc.dfa, emit)
		return
	}
	lineNo, counted := 1, 0
	for pos := 0; pos < len(buf); {
		c, end := m.candidate(buf, pos)
		if c < 0 || c >= len(buf) {
			return
		}
		ls := pos + bytes.LastIndexByte(buf[pos:c], '\n') + 1
		le := len(buf)
		if i := bytes.IndexByte(buf[c:], '\n'); i >= 0 {
			le = c + i
		}
		line := buf[ls:le]
		if m.re == nil || (m.find == nil && end <= le) || m.re.Match(line) {
			lineNo += bytes.Count(buf[counted:ls], []byte{'\n'})
			counted = ls
			if !emit(lineNo, line) {
				return
			}
		}
		pos = le + 1
	}
}

// scanLines goes line by line: the DFA rejects most lines in one pass over
// their bytes and the regexp confirms the rest.
func (m *matcher) scanLines(buf []byte, d *lazyDFA, emit func(n int, line []byte) bool) {
	lineNo := 0
	for ls := 0; ls < len(buf); {
		le := len(buf)
		if i := bytes.IndexByte(buf[ls:], '\n'); i >= 0 {
			le = ls + i
		}
		lineNo++
		if line := buf[ls:le]; d.lineMatches(line) && m.re.Match(line) && !emit(lineNo, line) {
			return
		}
		ls = le + 1
	}
}

// candidate returns where the next possible match starts and, when the
// regexp itself found it, where it ends (a match that crosses a newline is
// confirmed against its first line alone, as matches never span lines).
func (m *matcher) candidate(buf []byte, pos int) (start, end int) {
	if m.find != nil {
		return m.find.next(buf, pos), 0
	}
	for pos < len(buf) {
		stop := m.chunkEnd(buf, pos)
		if loc := m.re.FindIndex(buf[pos:stop]); loc != nil {
			return pos + loc[0], pos + loc[1]
		}
		pos = stop + 1
	}
	return -1, 0
}

// chunkEnd is where the regexp's next input ends: at a line end (before the
// newline, so $ sees a real line end), after at most m.chunk bytes unless a
// single line is longer.
func (m *matcher) chunkEnd(buf []byte, pos int) int {
	if m.chunk <= 0 || len(buf)-pos <= m.chunk {
		return len(buf)
	}
	if i := bytes.LastIndexByte(buf[pos:pos+m.chunk], '\n'); i >= 0 {
		return pos + i
	}
	if i := bytes.IndexByte(buf[pos+m.chunk:], '\n'); i >= 0 {
		return pos + m.chunk + i
	}
	return len(buf)
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
