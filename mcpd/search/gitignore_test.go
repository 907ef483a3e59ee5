package search

import "testing"

func TestGitignoreRules(t *testing.T) {
	type probe struct {
		rel   string
		dir   bool
		want  bool
		label string
	}
	cases := []struct {
		name   string
		base   string
		file   string
		probes []probe
	}{
		{"basename anywhere", ".", "*.log\nsecret.txt\n", []probe{
			{"a.log", false, true, "top"},
			{"x/y/b.log", false, true, "deep"},
			{"x/secret.txt", false, true, "literal deep"},
			{"a.log.txt", false, false, "suffix only"},
		}},
		{"comments blanks escapes", ".", "# c\n\n\\#hash\n\\!bang\ntrail   \n", []probe{
			{"# c", false, false, "comment"},
			{"#hash", false, true, "escaped hash"},
			{"!bang", false, true, "escaped bang"},
			{"trail", false, true, "trailing spaces trimmed"},
		}},
		{"negation last wins", ".", "*.txt\n!keep.txt\n", []probe{
			{"a.txt", false, true, "ignored"},
			{"keep.txt", false, false, "re-included"},
			{"d/keep.txt", false, false, "re-included deep"},
		}},
		{"directory only", ".", "out/\n", []probe{
			{"out", true, true, "dir"},
			{"out", false, false, "file named out"},
			{"a/out", true, true, "nested dir"},
		}},
		{"anchored", ".", "/root.txt\nsub/only.txt\n", []probe{
			{"root.txt", false, true, "at root"},
			{"d/root.txt", false, false, "not deeper"},
			{"sub/only.txt", false, true, "anchored path"},
			{"x/sub/only.txt", false, false, "anchored, not deeper"},
		}},
		{"double star", ".", "**/gen\na/**/z.go\nlogs/**\n", []probe{
			{"gen", true, true, "leading ** zero dirs"},
			{"p/q/gen", false, true, "leading ** deep"},
			{"a/z.go", false, true, "inner ** zero dirs"},
			{"a/b/c/z.go", false, true, "inner ** many dirs"},
			{"b/a/z.go", false, false, "inner ** anchored"},
			{"logs", true, false, "trailing ** not the dir itself"},
			{"logs/x/y", false, true, "trailing ** inside"},
		}},
		{"wildcards stay in a segment", ".", "a/*.txt\n[!x]y.md\nf?o\n", []probe{
			{"a/b.txt", false, true, "star"},
			{"a/b/c.txt", false, false, "star does not cross /"},
			{"zy.md", false, true, "negated class"},
			{"xy.md", false, false, "negated class excludes"},
			{"foo", false, true, "question mark"},
		}},
		{"nested file base", "pkg", "/local.txt\n*.tmp\n", []probe{
			{"pkg/local.txt", false, true, "anchored to its dir"},
			{"local.txt", false, false, "outside its dir"},
			{"pkg/sub/local.txt", false, false, "anchored, not deeper"},
			{"pkg/sub/x.tmp", false, true, "basename below"},
		}},
	}
	for _, c := range cases {
		l := (*ignoreList)(nil).withFile(c.base, []byte(c.file))
		for _, p := range c.probes {
			name := p.rel[lastSlash(p.rel)+1:]
			if got := l.ignored(p.rel, name, p.dir); got != p.want {
				t.Errorf("%s / %s: ignored(%q, dir=%v) = %v, want %v", c.name, p.label, p.rel, p.dir, got, p.want)
			}
		}
	}
}

func TestGitignoreDeeperFileWins(t *testing.T) {
	l := (*ignoreList)(nil).withFile(".", []byte("*.gen\n"))
	l = l.withFile("keep", []byte("!*.gen\n"))
	if !l.ignored("a.gen", "a.gen", false) {
		t.Error("root rule lost")
	}
	if l.ignored("keep/a.gen", "a.gen", false) {
		t.Error("deeper negation did not win")
	}
	if l2 := l.withFile("x", []byte("# only comments\n\n")); l2 != l {
		t.Error("an empty .gitignore added a link to the chain")
	}
}

func lastSlash(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}
