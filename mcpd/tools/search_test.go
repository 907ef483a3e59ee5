package tools

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSearch(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "o.txt"), []byte("needle outside\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, root := newTestEnv(t, map[string]string{
		"a.go":                    "package a\nfunc Needle() {}\n// needle\n",
		"sub/b.txt":               "needle -> arrow --flag\n",
		"sec.txt":                 "needle " + plantedSecret + "\n",
		".env":                    "needle=1\n",
		".env.local":              "needle=2\n",
		".git/config":             "needle\n",
		"node_modules/x/i.js":     "needle\n",
		".gitignore":              "ignored/\n",
		"ignored/i.txt":           "needle\n",
		".config/c.txt":           "needle hidden\n",
		"many/f.txt":              strings.Repeat("many\n", 5),
		"sub/deeper/two.go":       "Needle\n",
		"bin.dat":                 "needle\x00",
		"big.txt":                 "needle\n" + strings.Repeat("y", 800000),
		"sub/deeper/.codexpro.go": "needle\n",
	})
	if err := os.Symlink(outside, filepath.Join(root, "link_out")); err != nil {
		t.Fatal(err)
	}
	type want struct {
		text      string
		matches   int
		truncated bool
	}
	cases := []struct {
		name string
		args map[string]any
		want want
	}{
		{"literal", map[string]any{"query": "needle"},
			want{"a.go:3: // needle\nsec.txt:1: needle [REDACTED_SECRET]\nsub/b.txt:1: needle -> arrow --flag", 3, false}},
		{"case-insensitive", map[string]any{"query": "NEEDLE", "case_sensitive": false, "glob": "*.go"},
			want{"a.go:2: func Needle() {}\na.go:3: // needle\nsub/deeper/two.go:1: Needle", 3, false}},
		{"regex (?i)", map[string]any{"query": `(?i)^needle$`, "regex": true},
			want{"sub/deeper/two.go:1: Needle", 1, false}},
		{"query that looks like a flag", map[string]any{"query": "--flag"},
			want{"sub/b.txt:1: needle -> arrow --flag", 1, false}},
		{"symbol replaces query", map[string]any{"query": "zzz", "symbol": "Needle", "intent": "symbol"},
			want{"a.go:2: func Needle() {}\nsub/deeper/two.go:1: Needle", 2, false}},
		{"hidden on request, .env never", map[string]any{"query": "needle", "include_hidden": true, "glob": ".*/**"},
			want{".config/c.txt:1: needle hidden", 1, false}},
		{".env glob with include_hidden", map[string]any{"query": "needle", "include_hidden": true, "glob": ".env*"},
			want{"No matches.", 0, false}},
		{"exact limit is not truncated", map[string]any{"query": "many", "max_results": 5},
			want{strings.TrimSuffix(strings.Repeat("many/f.txt:N: many\n", 5), "\n"), 5, false}},
		{"one over the limit is", map[string]any{"query": "many", "max_results": 4},
			want{"", 4, true}},
		{"nothing", map[string]any{"query": "absent"}, want{"No matches.", 0, false}},
	}
	for _, c := range cases {
		r := callTool(t, e, "search", c.args)
		m := mustOK(t, r)
		got := resultText(r)
		if c.want.text != "" && !strings.Contains(c.want.text, ":N:") && got != c.want.text {
			t.Errorf("%s: text\n%s\nwant\n%s", c.name, got, c.want.text)
		}
		ms, _ := m["matches"].([]any)
		if len(ms) != c.want.matches || m["truncated"] != c.want.truncated || m["used"] != "codexpro" {
			t.Errorf("%s: %d matches truncated=%v used=%v, want %d truncated=%v", c.name, len(ms), m["truncated"], m["used"], c.want.matches, c.want.truncated)
		}
		if strings.Contains(fmt.Sprint(m), plantedSecret) || strings.Contains(got, "outside") {
			t.Errorf("%s: leaked: %s", c.name, got)
		}
	}
	for _, c := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"query": ""}, "query is required."},
		{map[string]any{"query": "(", "regex": true}, "query is not a valid regular expression"},
		{map[string]any{"query": "x", "path": "../"}, "escapes"},
		{map[string]any{"query": "needle", "path": "link_out"}, "symlink"},
		{map[string]any{"query": "needle", "path": ".env"}, "blocked"},
		{map[string]any{"query": "needle", "path": "node_modules"}, "blocked"},
		{map[string]any{"query": "x", "max_results": 2001}, "max_results must be between 1 and 2000, got 2001."},
		{map[string]any{"query": "x", "intent": "guess"}, "intent must be one of"},
		{map[string]any{"query": "x", "glob": "[x"}, "not a valid glob"},
		{map[string]any{"query": "x", "max": 3}, "valid arguments: case_sensitive, glob, include_hidden, include_tests, intent, max_results, path, query, regex, symbol, workspace_id"},
	} {
		mustFail(t, callTool(t, e, "search", c.args), c.want)
	}
}

// TestSearchResultCap: max_results never exceeds the server's cap.
func TestSearchResultCap(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"f.txt": strings.Repeat("hit\n", 20)})
	e.Cfg.MaxSearchResults = 7
	m := mustOK(t, callTool(t, e, "search", map[string]any{"query": "hit", "max_results": 2000}))
	if ms := m["matches"].([]any); len(ms) != 7 || m["truncated"] != true {
		t.Fatalf("%d matches truncated=%v, want 7 and true", len(ms), m["truncated"])
	}
}
