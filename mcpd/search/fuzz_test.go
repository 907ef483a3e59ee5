package search

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScanner checks the fast scanner (finders, required-literal
// prefilter, lazy DFA) against the plain definition: split into lines and
// run the regexp on each.
func FuzzScanner(f *testing.F) {
	f.Add("func", []byte("a func\nFUNC b\nnothing\n"), false, false)
	f.Add(`(?i)k\w+`, []byte("Kelvin \u212Aelvin\nself ſelf\n"), true, true)
	f.Add(`^\s*$`, []byte("x\n\n  \n\r\n"), true, true)
	f.Add(`a|bc|d.e`, []byte("xxbcxx\nd\xffe\n"), true, true)
	f.Fuzz(func(t *testing.T, query string, text []byte, regex, caseSensitive bool) {
		if !utf8.ValidString(query) {
			return // queries arrive as JSON strings, always valid UTF-8
		}
		m, err := compileMatcher(query, regex, caseSensitive)
		if err != nil {
			return
		}
		pattern := query
		if !regex {
			pattern = regexp.QuoteMeta(query)
		}
		if !caseSensitive {
			pattern = "(?i)" + pattern
		}
		re, err := regexp.Compile("(?m)" + pattern)
		if err != nil {
			t.Fatalf("scanner compiled %q but regexp cannot: %v", pattern, err)
		}
		var want []int
		lines := strings.Split(string(text), "\n")
		for i, line := range lines {
			if i == len(lines)-1 && line == "" {
				break
			}
			if re.MatchString(line) {
				want = append(want, i+1)
			}
		}
		var got []int
		m.scan(text, &scratch{}, func(n int, _ []byte) bool { got = append(got, n); return true })
		if !equalInts(got, want) {
			t.Fatalf("query %q regex=%v cs=%v on %q:\n got %v\nwant %v", query, regex, caseSensitive, text, got, want)
		}
	})
}

// FuzzGitignore: any .gitignore content and path is handled without panic
// and a rule never matches a path outside its file's directory.
func FuzzGitignore(f *testing.F) {
	f.Add([]byte("*.log\n!keep.log\n/a/**/b\n[!x]y\n\\#c\n"), "sub/a/x/b", false)
	f.Fuzz(func(t *testing.T, data []byte, rel string, isDir bool) {
		l := (*ignoreList)(nil).withFile("base", data)
		name := rel[strings.LastIndexByte(rel, '/')+1:]
		if !strings.HasPrefix(rel, "base/") && l.ignored(rel, name, isDir) {
			t.Fatalf("rule from base/.gitignore matched %q", rel)
		}
		l.ignored("base/"+rel, name, isDir)
	})
}
