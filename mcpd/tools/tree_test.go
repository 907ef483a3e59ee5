package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/internal/asnobody"
)

func TestTree(t *testing.T) {
	outside := t.TempDir()
	e, root := newTestEnv(t, map[string]string{
		"b.txt":               "",
		"A.md":                "",
		"src/main.go":         "",
		"src/util/u.go":       "",
		"src/util/deep/x.go":  "",
		".hidden/h":           "",
		".env":                "",
		".git/HEAD":           "",
		"node_modules/m/i.js": "",
		"keys/id_rsa":         "",
		".a.codexpro-1.tmp":   "",
	})
	for name, target := range map[string]string{
		"link_dir": "src", "link_file": "b.txt", "link_out": outside, "link_env": ".env", "link_gone": "missing",
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	full := strings.Join([]string{
		".",
		"├── keys/",
		"├── src/",
		"│   ├── util/",
		"│   │   ├── deep/",
		"│   │   │   └── x.go",
		"│   │   └── u.go",
		"│   └── main.go",
		"├── A.md",
		"├── b.txt",
		"├── link_dir -> src/",
		"├── link_file -> b.txt",
		"├── link_gone -> missing [broken link]",
		"└── link_out [link outside workspace]",
	}, "\n")
	cases := []struct {
		name      string
		args      map[string]any
		text      string
		entries   float64
		truncated bool
	}{
		{"default", map[string]any{}, full, 13, false},
		{"depth 1", map[string]any{"max_depth": 1},
			".\n├── keys/\n├── src/\n├── A.md\n├── b.txt\n├── link_dir -> src/\n├── link_file -> b.txt\n├── link_gone -> missing [broken link]\n└── link_out [link outside workspace]", 8, false},
		{"subdirectory", map[string]any{"path": "src/util"}, "src/util/\n├── deep/\n│   └── x.go\n└── u.go", 3, false},
		{"hidden shown, blocked never", map[string]any{"include_hidden": true, "max_depth": 1},
			".\n├── .hidden/\n├── keys/\n├── src/\n├── A.md\n├── b.txt\n├── link_dir -> src/\n├── link_file -> b.txt\n├── link_gone -> missing [broken link]\n└── link_out [link outside workspace]", 9, false},
		{"truncated", map[string]any{"max_entries": 3},
			".\n├── keys/\n├── src/\n│   ├── util/\n...[tree truncated after 3 entries]", 3, true},
	}
	for _, c := range cases {
		m := mustOK(t, callTool(t, e, "tree", c.args))
		if m["text"] != c.text || m["entries"] != c.entries || m["truncated"] != c.truncated {
			t.Errorf("%s:\n%s\nentries=%v truncated=%v\nwant:\n%s", c.name, m["text"], m["entries"], m["truncated"], c.text)
		}
	}
	for _, c := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"path": "../"}, "escapes"},
		{map[string]any{"path": "link_out"}, "symlink"},
		{map[string]any{"path": ".git"}, "blocked"},
		{map[string]any{"path": "b.txt"}, "Not a directory: b.txt"},
		{map[string]any{"max_depth": 13}, "max_depth must be between 1 and 12, got 13."},
		{map[string]any{"max_entries": 3001}, "max_entries must be between 1 and 3000, got 3001."},
	} {
		mustFail(t, callTool(t, e, "tree", c.args), c.want)
	}
}

// TestTreeUnreadableSubdirectory: an unreadable directory does not fail the
// whole call; it is marked and the rest still shown.
func TestTreeUnreadableSubdirectory(t *testing.T) {
	if asnobody.Rerun(t) {
		return
	}
	e, root := newTestEnv(t, map[string]string{"locked/x": "", "open/y": ""})
	if err := os.Chmod(filepath.Join(root, "locked"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(root, "locked"), 0o755) })
	m := mustOK(t, callTool(t, e, "tree", map[string]any{}))
	if want := ".\n├── locked/ [unreadable]\n└── open/\n    └── y"; m["text"] != want {
		t.Fatalf("got\n%s\nwant\n%s", m["text"], want)
	}
}
