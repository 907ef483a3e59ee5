package search

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
)

// naiveLines is the oracle the fast scanner must agree with: split into
// lines, test each with the regexp.
func naiveLines(t *testing.T, pattern string, buf []byte) []int {
	t.Helper()
	re := regexp.MustCompile(pattern)
	var out []int
	last := bytes.Count(buf, []byte("\n"))
	for i, line := range bytes.Split(buf, []byte("\n")) {
		if i == last && len(line) == 0 {
			break // the empty "line" after a final newline
		}
		if re.Match(line) {
			out = append(out, i+1)
		}
	}
	return out
}

func scanLines(m *matcher, buf []byte) []int {
	var out []int
	m.scan(buf, &scratch{}, func(n int, _ []byte) bool { out = append(out, n); return true })
	return out
}

// randomText draws lines from a small alphabet so that needles recur, in
// every case, with the non-ASCII folds of k and s mixed in.
func randomText(r *rand.Rand, n int) []byte {
	words := []string{"func", "FUNC", "Func", "main", "kelvin", "\u212Aelvin", "ſelf", "self", "ab", "abc",
		"x", "foo_bar", "FooBar", "\t", " ", "(", ")", "{", "}", "é", "É", "return", "\r"}
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
		if r.IntN(6) == 0 {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func TestScannerAgreesWithLineByLine(t *testing.T) {
	cases := []struct {
		query        string
		regex, cs    bool
		naivePattern string
	}{
		{"func", false, true, `func`},
		{"func", false, false, `(?i)func`},
		{"kelvin", false, false, `(?i)kelvin`},
		{"self", false, false, `(?i)self`},
		{"é", false, false, `(?i)é`},
		{"foo_bar", false, true, `foo_bar`},
		{"x", false, true, `x`},
		{"(", false, true, `\(`},
		{`func\s*main`, true, true, `func\s*main`},
		{`(?i)func\s*main`, true, true, `(?i)func\s*main`},
		{`return|main|self`, true, true, `return|main|self`},
		{`^func`, true, true, `^func`},
		{`main$`, true, true, `main$`},
		{`\bab\b`, true, true, `\bab\b`},
		{`[a-c]+x`, true, true, `[a-c]+x`},
		{`(ke|ſe)l`, true, false, `(?i)(ke|ſe)l`},
		{`\s`, true, true, `\s`},
		{`^$`, true, true, `^$`},
		{`o\nr`, true, true, `o\nr`},
		{`[^a]+`, true, true, `[^a]+`},
		{`x.*c`, true, true, `x.*c`},
		{`(?s)f.n`, true, true, `(?s)f.n`},
		{`(?i)é|ſ`, true, true, `(?i)é|ſ`},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range cases {
		m, err := compileMatcher(c.query, c.regex, c.cs)
		if err != nil {
			t.Fatalf("%q: %v", c.query, err)
		}
		for round := range 8 {
			buf := randomText(r, 200+round*250)
			if got, want := scanLines(m, buf), naiveLines(t, c.naivePattern, buf); !equalInts(got, want) {
				t.Fatalf("%q (regex=%v cs=%v) round %d:\n got %v\nwant %v\ntext %q", c.query, c.regex, c.cs, round, got, want, buf)
			}
		}
	}
}

// TestDFAStateBlowUp: a pattern whose DFA has thousands of states makes the
// cache start over, and the answers stay right.
func TestDFAStateBlowUp(t *testing.T) {
	pattern := `(a|b)*a(a|b){11}c`
	m, err := compileMatcher(pattern, true, true)
	if err != nil || m.prog == nil {
		t.Fatalf("no DFA for %s: %v", pattern, err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	var b bytes.Buffer
	for range 100 {
		for range 20 + r.IntN(100) {
			b.WriteByte("ab"[r.IntN(2)])
		}
		if r.IntN(3) == 0 {
			b.WriteByte('c')
		}
		b.WriteByte('\n')
	}
	sc := &scratch{}
	var got []int
	m.scan(b.Bytes(), sc, func(n int, _ []byte) bool { got = append(got, n); return true })
	if want := naiveLines(t, pattern, b.Bytes()); !equalInts(got, want) {
		t.Fatalf("got %v\nwant %v", got, want)
	}
	if len(sc.dfa.states) > maxStates {
		t.Fatalf("cache grew to %d states", len(sc.dfa.states))
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFindersAgreeWithBytesIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		hay := randomText(r, 1+r.IntN(20000))
		start := r.IntN(len(hay))
		needleLen := 1 + r.IntN(6)
		needle := append([]byte(nil), hay[start:min(len(hay), start+needleLen)]...)
		from := r.IntN(len(hay))
		want := bytes.Index(hay[from:], needle)
		if want >= 0 {
			want += from
		}
		if got := newExactFinder(needle).next(hay, from); got != want {
			t.Fatalf("exact %q from %d: got %d want %d", needle, from, got, want)
		}
		if !foldSafe(string(needle)) {
			continue
		}
		wantFold := -1
		for i := from; i+len(needle) <= len(hay); i++ {
			if bytes.EqualFold(hay[i:i+len(needle)], needle) {
				wantFold = i
				break
			}
		}
		if got := newFoldFinder(needle).next(hay, from); got != wantFold {
			t.Fatalf("fold %q from %d: got %d want %d", needle, from, got, wantFold)
		}
	}
}

func TestRequiredLiterals(t *testing.T) {
	cases := []struct {
		pattern string
		want    []string // empty: no prefilter
	}{
		{`foo\s+bar`, []string{"foo"}},
		{`(?i)hello\s+world`, []string{"hello"}},
		{`foo|barbaz`, []string{"foo", "barbaz"}},
		{`a+`, nil},
		{`(?i)kilos`, []string{"ilo"}},
		{`x*yz`, []string{"yz"}},
		{`(abc)+d`, []string{"abc"}},
		{`.*`, nil},
	}
	for _, c := range cases {
		m, err := compileMatcher(c.pattern, true, true)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		switch f := m.find.(type) {
		case *exactFinder:
			got = []string{string(f.needle)}
		case *foldFinder:
			got = []string{string(f.lower)}
		case *setFinder:
			for _, mm := range f.members {
				got = append(got, string(mm.(*exactFinder).needle))
			}
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: prefilter %v, want %v", c.pattern, got, c.want)
		}
		if m.re == nil {
			t.Errorf("%s: regexp confirmation dropped", c.pattern)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	for _, c := range []struct{ q, want string }{
		{"", "query is required."},
		{"a\nb", "query must be a single line"},
		{"(unclosed", "query is not a valid regular expression"},
		{"a{2,1}", "query is not a valid regular expression"},
		{`\pL{1000}\pN{1000}\pL{1000}\pN{1000}\w{1000}`, "query is too complex"},
	} {
		_, err := compileMatcher(c.q, true, true)
		var qe *QueryError
		if !errors.As(err, &qe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want QueryError containing %q", c.q, err, c.want)
		}
	}
}

// TestPathologicalRegexIsLinear: a pattern that makes backtracking engines
// take exponential time finishes; RE2 guarantees linear time. The deadline
// is generous: it catches a hang, not a slow machine.
func TestPathologicalRegexIsLinear(t *testing.T) {
	m, err := compileMatcher(`(a*)*(a|b)*c$`, true, true)
	if err != nil {
		t.Fatal(err)
	}
	buf := bytes.Repeat([]byte(strings.Repeat("a", 5000)+"\n"), 40)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan []int, 1)
	go func() { done <- scanLines(m, buf) }()
	select {
	case got := <-done:
		if len(got) != 0 {
			t.Fatalf("matched %v", got)
		}
	case <-ctx.Done():
		t.Fatal("pathological pattern did not finish")
	}
}

func TestIndexFold(t *testing.T) {
	buf := []byte("abcXyz-x_(Q)q")
	for _, c := range []struct {
		from, end int
		lo        byte
		want      int
	}{
		{0, len(buf), 'x', 3},
		{4, len(buf), 'x', 7},
		{8, len(buf), 'x', len(buf)},
		{0, len(buf), 'q', 10},
		{11, len(buf), 'q', 12},
		{0, len(buf), '(', 9},
		{0, 3, 'x', 3}, // end bounds the search
		{0, len(buf), '@', len(buf)},
	} {
		if got := indexFold(buf, c.from, c.end, c.lo); got != c.want {
			t.Errorf("indexFold(%d, %d, %q) = %d, want %d", c.from, c.end, c.lo, got, c.want)
		}
	}
}
