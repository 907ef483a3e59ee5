package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"codexpro.dev/mcpd/internal/asnobody"
	"codexpro.dev/pkg/workspace"
)

// newWorkspace writes files (name -> content; content "->target" makes a
// symlink) and opens the directory as a workspace.
func newWorkspace(t testing.TB, files map[string]string) *workspace.Workspace {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, files)
	return openWorkspace(t, root)
}

// defaultBlocklist is shared (it never changes), so an Engine's memo, keyed
// by root and blocklist, carries over between benchmark runs of one tree.
var defaultBlocklist = sync.OnceValues(func() (*workspace.Blocklist, error) { return workspace.NewBlocklist(nil) })

// openWorkspace opens dir as a workspace with the default blocked globs.
func openWorkspace(t testing.TB, dir string) *workspace.Workspace {
	t.Helper()
	bl, err := defaultBlocklist()
	if err != nil {
		t.Fatal(err)
	}
	roots, err := workspace.NewRoots([]string{dir}, bl, workspace.Limits{MaxReadBytes: 180000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(roots.Close)
	w, err := roots.Default()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func writeTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(body, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sources runs a test against both ways of reaching the file system, so the
// portable one stays correct while the fast one is what Linux uses.
func sources(w *workspace.Workspace) map[string]source {
	return map[string]source{"default": defaultSource(w), "guarded": guardedSource{w}}
}

func paths(ms []Match) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = fmt.Sprintf("%s:%d", m.Path, m.Line)
	}
	return strings.Join(out, " ")
}

func TestSearchRules(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"leak.txt": "needle from outside\n"})
	files := map[string]string{
		"a.go":                     "package a\n// needle here\nx\nNEEDLE upper\n",
		"sub/b.go":                 "needle\n",
		"sub/c.txt":                "a needle in text\n",
		"sub/deep/d.go":            "no\nno\nneedle\n",
		".hidden/h.go":             "needle hidden\n",
		".dot.go":                  "needle dotfile\n",
		".env":                     "needle=SECRET\n",
		".env.local":               "needle=SECRET\n",
		".git/config":              "needle in git\n",
		"node_modules/m/index.js":  "needle in deps\n",
		"id_rsa":                   "needle key\n",
		"ignored.log":              "needle ignored\n",
		".gitignore":               "*.log\n/gen/\nvendor/\n!keep.log\n",
		"keep.log":                 "needle kept\n",
		"gen/g.go":                 "needle generated\n",
		"x/gen/g.go":               "needle not anchored\n",
		"vendor/v.go":              "needle vendored\n",
		"pkg/.gitignore":           "local.txt\n",
		"pkg/local.txt":            "needle local\n",
		"pkg/other.txt":            "needle other\n",
		"bin.dat":                  "needle\x00binary",
		"crlf.txt":                 "one\r\nneedle crlf\r\n",
		"link_out":                 "->" + outside,
		"link_in":                  "->sub",
		"link_file":                "->a.go",
		".x.codexpro-1.tmp":        "needle temp",
		"..data/n.txt":             "needle dotdot name\n",
		"sub/deep/.gitignore":      "!*.log\n",
		"sub/deep/kept-again.log":  "needle kept by deeper negation\n",
		"coverage/lcov.info":       "needle coverage\n",
		"sub/server.key":           "needle key file\n",
		"sub/.ssh/known_hosts":     "needle ssh\n",
		"docs/guide.md":            "Needle in docs\n",
		"docs/nested/guide.md":     "needle nested docs\n",
		"docs/nested/skip.go":      "needle go in docs\n",
		"sub/.git/HEAD":            "needle nested git\n",
		"sub/node_modules/x/y.js":  "needle nested deps\n",
		"sub/deep/NODE_MODULES/z":  "needle case folded deps\n",
		"sub/deep/.Env":            "needle case folded env\n",
		"sub/deep/.env.production": "needle env variant\n",
	}
	w := newWorkspace(t, files)
	base := Options{Query: "needle", CaseSensitive: true, MaxResults: 100, MaxFileBytes: 720000}
	cases := []struct {
		name string
		mod  func(o *Options)
		want string
	}{
		{"default rules", func(*Options) {},
			"a.go:2 crlf.txt:2 docs/nested/guide.md:1 docs/nested/skip.go:1 keep.log:1 pkg/other.txt:1 sub/b.go:1 sub/c.txt:1 sub/deep/d.go:3 sub/deep/kept-again.log:1 x/gen/g.go:1"},
		{"case-insensitive", func(o *Options) { o.CaseSensitive = false; o.Path = "docs" },
			"docs/guide.md:1 docs/nested/guide.md:1 docs/nested/skip.go:1"},
		{"regex with (?i)", func(o *Options) { o.Regex, o.Query, o.Path = true, `(?i)^needle\b`, "." },
			"a.go:4 crlf.txt:2 docs/guide.md:1 docs/nested/guide.md:1 docs/nested/skip.go:1 keep.log:1 pkg/other.txt:1 sub/b.go:1 sub/deep/d.go:3 sub/deep/kept-again.log:1 x/gen/g.go:1"},
		{"hidden included", func(o *Options) { o.IncludeHidden = true; o.Glob = "*.go" },
			".dot.go:1 .hidden/h.go:1 a.go:2 docs/nested/skip.go:1 sub/b.go:1 sub/deep/d.go:3 x/gen/g.go:1"},
		{"env never, even asked for", func(o *Options) { o.IncludeHidden = true; o.Glob = ".env*" }, ""},
		{"env by path", func(o *Options) { o.IncludeHidden = true; o.Glob = "**/.env*"; o.Path = "sub" }, ""},
		{"glob with slash is relative to path", func(o *Options) { o.Path = "docs"; o.Glob = "nested/*.md" },
			"docs/nested/guide.md:1"},
		{"excluding glob", func(o *Options) { o.Path = "docs"; o.Glob = "!*.md" }, "docs/nested/skip.go:1"},
		{"glob anchored with a slash", func(o *Options) { o.Path = "docs"; o.Glob = "/nested/**" },
			"docs/nested/guide.md:1 docs/nested/skip.go:1"},
		{"anchored file name", func(o *Options) { o.Path, o.Glob, o.CaseSensitive = "docs", "/*.md", false }, "docs/guide.md:1"},
		{"subdirectory", func(o *Options) { o.Path = "sub" },
			"sub/b.go:1 sub/c.txt:1 sub/deep/d.go:3 sub/deep/kept-again.log:1"},
		{"root .gitignore applies below a subdirectory path", func(o *Options) { o.Path = "pkg" }, "pkg/other.txt:1"},
		{"single file path", func(o *Options) { o.Path = "sub/deep/d.go" }, "sub/deep/d.go:3"},
		{"ignored file named explicitly", func(o *Options) { o.Path = "ignored.log" }, "ignored.log:1"},
		{"dot-dot name is an ordinary dir", func(o *Options) { o.Path = "..data" }, "..data/n.txt:1"},
		{"hidden directory named as path", func(o *Options) { o.Path = ".hidden" }, ".hidden/h.go:1"},
	}
	eng := NewEngine()
	runners := map[string]func(Options) (Result, error){
		// The engine runs every case twice, so cached decisions are used.
		"engine": func(o Options) (Result, error) {
			if _, err := eng.Search(context.Background(), w, o); err != nil {
				return Result{}, err
			}
			return eng.Search(context.Background(), w, o)
		},
	}
	for name, src := range sources(w) {
		runners[name] = func(o Options) (Result, error) { return run(context.Background(), w, o, src, nil) }
	}
	for name, search := range runners {
		for _, c := range cases {
			o := base
			c.mod(&o)
			r, err := search(o)
			if err != nil {
				t.Errorf("%s/%s: %v", name, c.name, err)
				continue
			}
			if got := paths(r.Matches); got != c.want {
				t.Errorf("%s/%s:\n got %s\nwant %s", name, c.name, got, c.want)
			}
			if r.Truncated {
				t.Errorf("%s/%s: truncated", name, c.name)
			}
			for _, m := range r.Matches {
				if strings.Contains(m.Text, "outside") || strings.Contains(m.Text, "SECRET") || strings.Contains(m.Text, "\r") {
					t.Errorf("%s/%s: leaked or raw line %q", name, c.name, m.Text)
				}
			}
		}
	}
}

func TestSearchRefusals(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"leak.txt": "needle\n"})
	w := newWorkspace(t, map[string]string{
		"a.txt":    "needle\n",
		"link_out": "->" + outside,
		"to_env":   "->.env",
		".env":     "needle\n",
	})
	cases := []struct{ path, rule string }{
		{"../", workspace.RuleEscape},
		{"..", workspace.RuleEscape},
		{outside, workspace.RuleEscape},
		{"link_out", workspace.RuleSymlinkEscape},
		{"link_out/leak.txt", workspace.RuleSymlinkEscape},
		{".env", workspace.RuleBlocked},
		{"to_env", workspace.RuleBlocked},
		{".git", workspace.RuleBlocked},
		{"missing", workspace.RuleNotFound},
	}
	for name, src := range sources(w) {
		for _, c := range cases {
			o := Options{Query: "needle", CaseSensitive: true, MaxResults: 10, MaxFileBytes: 1000, Path: c.path}
			_, err := run(context.Background(), w, o, src, nil)
			if workspace.RuleOf(err) != c.rule {
				t.Errorf("%s: path %q: error %v, want rule %q", name, c.path, err, c.rule)
			}
		}
	}
}

func TestSearchMaxResultsExact(t *testing.T) {
	files := map[string]string{}
	for i := range 10 {
		files[fmt.Sprintf("d%d/f.txt", i)] = strings.Repeat("hit\n", 3)
	}
	w := newWorkspace(t, files) // 30 matching lines
	for name, src := range sources(w) {
		for _, c := range []struct {
			max       int
			n         int
			truncated bool
		}{{30, 30, false}, {31, 30, false}, {29, 29, true}, {1, 1, true}} {
			o := Options{Query: "hit", CaseSensitive: true, MaxResults: c.max, MaxFileBytes: 1000, Workers: 3}
			r, err := run(context.Background(), w, o, src, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Matches) != c.n || r.Truncated != c.truncated {
				t.Errorf("%s: max %d: %d matches truncated=%v, want %d truncated=%v", name, c.max, len(r.Matches), r.Truncated, c.n, c.truncated)
			}
		}
	}
}

func TestSearchSkipsLargeFilesAndCutsLines(t *testing.T) {
	long := "needle " + strings.Repeat("é", 600)
	w := newWorkspace(t, map[string]string{
		"big.txt":  "needle\n" + strings.Repeat("x", 5000),
		"long.txt": long + "\n",
	})
	o := Options{Query: "needle", CaseSensitive: true, MaxResults: 10, MaxFileBytes: 2000}
	r, err := Search(context.Background(), w, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Path = "big.txt"
	if _, err := Search(context.Background(), w, o); workspace.RuleOf(err) != workspace.RuleTooLarge {
		t.Errorf("named large file: error %v, want rule %s", err, workspace.RuleTooLarge)
	}
	if paths(r.Matches) != "long.txt:1" {
		t.Fatalf("got %s, want only long.txt", paths(r.Matches))
	}
	text := r.Matches[0].Text
	if !strings.HasSuffix(text, "…") || len([]rune(text)) != MaxLineRunes+1 {
		t.Fatalf("line not cut to %d runes + ellipsis: %d runes", MaxLineRunes, len([]rune(text)))
	}
}

func TestSearchCancelled(t *testing.T) {
	w := newWorkspace(t, map[string]string{"a.txt": "needle\n"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Search(ctx, w, Options{Query: "needle", CaseSensitive: true, MaxResults: 10, MaxFileBytes: 100})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestSearchBadOptions(t *testing.T) {
	w := newWorkspace(t, map[string]string{"a.txt": "needle\n"})
	for _, o := range []Options{
		{Query: "(", Regex: true, MaxResults: 5},
		{Query: "needle", Glob: "[", MaxResults: 5},
		{Query: "", MaxResults: 5},
	} {
		_, err := Search(context.Background(), w, o)
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("%+v: error %v, want a QueryError", o, err)
		}
	}
}

// TestSearchUnreadableDirectory: a directory the server cannot list is
// skipped; the rest is still searched.
func TestSearchUnreadableDirectory(t *testing.T) {
	if asnobody.Rerun(t) {
		return
	}
	w := newWorkspace(t, map[string]string{"ok/a.txt": "needle\n", "locked/b.txt": "needle\n"})
	locked := filepath.Join(w.Root, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o755) })
	for name, src := range sources(w) {
		r, err := run(context.Background(), w, Options{Query: "needle", CaseSensitive: true, MaxResults: 10, MaxFileBytes: 100}, src, nil)
		if err != nil || paths(r.Matches) != "ok/a.txt:1" {
			t.Errorf("%s: %s, %v", name, paths(r.Matches), err)
		}
	}
}

// TestSearchLargeDirectoryAndNoLeaks: a directory with more files than one
// batch is shared among workers, every match is found once, and no
// directory descriptor outlives a search, finished or stopped early.
func TestSearchLargeDirectoryAndNoLeaks(t *testing.T) {
	files := map[string]string{}
	for i := range 300 {
		files[fmt.Sprintf("flat/f%03d.txt", i)] = "hit\n"
	}
	for i := range 20 {
		files[fmt.Sprintf("tree/d%02d/sub/f.txt", i)] = "hit\n"
	}
	w := newWorkspace(t, files)
	openFDs := func() int {
		ents, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			t.Skip("no /proc/self/fd")
		}
		return len(ents)
	}
	before := openFDs()
	for name, src := range sources(w) {
		for _, max := range []int{1000, 5} {
			o := Options{Query: "hit", CaseSensitive: true, MaxResults: max, MaxFileBytes: 100, Workers: 4}
			r, err := run(context.Background(), w, o, src, nil)
			if err != nil {
				t.Fatal(err)
			}
			want := min(max, 320)
			if len(r.Matches) != want || r.Truncated != (max < 320) {
				t.Errorf("%s max %d: %d matches truncated=%v", name, max, len(r.Matches), r.Truncated)
			}
			seen := map[string]bool{}
			for _, m := range r.Matches {
				if seen[m.Path] {
					t.Errorf("%s: %s reported twice", name, m.Path)
				}
				seen[m.Path] = true
			}
		}
	}
	if after := openFDs(); after != before {
		t.Errorf("open descriptors: %d before, %d after", before, after)
	}
}

// panicSource fails like a bug would, listing one directory.
type panicSource struct{ source }

func (p panicSource) list(d dirRef, sc *scratch) ([]entry, error) {
	if strings.HasSuffix(d.rel, "boom") {
		panic("injected")
	}
	return p.source.list(d, sc)
}

// TestSearchWorkerPanic: a panic in a worker ends that search with an
// error; it neither crashes the process nor leaves the others waiting.
func TestSearchWorkerPanic(t *testing.T) {
	w := newWorkspace(t, map[string]string{"a/x.txt": "hit\n", "boom/y.txt": "hit\n", "c/z.txt": "hit\n"})
	o := Options{Query: "hit", CaseSensitive: true, MaxResults: 10, MaxFileBytes: 100, Workers: 3}
	_, err := run(context.Background(), w, o, panicSource{guardedSource{w}}, nil)
	if err == nil || !strings.Contains(err.Error(), "internal error: injected") {
		t.Fatalf("error %v, want the internal error", err)
	}
}
