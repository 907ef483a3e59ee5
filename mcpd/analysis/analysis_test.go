package analysis

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"codexpro.dev/mcpd/internal/wstest"
)

// TestMapRereadsOnlyChangedFiles: a warm Map on an unchanged tree reads no
// file and answers from the cache; a changed file is the only one read
// again; blocked files and symlinks are never listed.
func TestMapRereadsOnlyChangedFiles(t *testing.T) {
	w, root := wstest.Workspace(t, map[string]string{
		"go.mod":    "module example.com/app\n\ngo 1.26\n",
		"main.go":   "package main\n\nimport \"example.com/app/x\"\n\nfunc main() { x.Run() }\n",
		"x/x.go":    "package x\n\nfunc Run() {}\n",
		".env":      "SECRET=1\n",
		"README.md": "# App\n",
	})
	if err := os.Symlink(filepath.Join(root, "x", "x.go"), filepath.Join(root, "link.go")); err != nil {
		t.Skipf("cannot create a symlink here: %v", err)
	}
	var c Cache
	ctx := context.Background()
	m, hit, err := c.Map(ctx, w, 180000)
	if err != nil || hit {
		t.Fatalf("cold Map: hit=%v err=%v", hit, err)
	}
	var paths []string
	for _, f := range m.Files {
		paths = append(paths, f.Path)
	}
	if want := []string{"README.md", "go.mod", "main.go", "x/x.go"}; !slices.Equal(paths, want) {
		t.Fatalf("files = %v, want %v (no blocked file, no symlink)", paths, want)
	}
	if len(m.Relationships) != 1 || m.Relationships[0].From != "main.go" || m.Relationships[0].To != "x" {
		t.Fatalf("relationships = %+v", m.Relationships)
	}
	cold := c.Reads()
	if _, hit, _ := c.Map(ctx, w, 180000); !hit || c.Reads() != cold {
		t.Fatalf("warm Map: hit=%v, read %d more files", hit, c.Reads()-cold)
	}
	p := filepath.Join(root, "x", "x.go")
	if err := os.WriteFile(p, []byte("package x\n\nfunc Renamed() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	_ = os.Chtimes(p, future, future)
	m, hit, _ = c.Map(ctx, w, 180000)
	if hit || c.Reads() != cold+1 {
		t.Fatalf("after one change: hit=%v, read %d files, want 1", hit, c.Reads()-cold)
	}
	if !slices.ContainsFunc(m.Symbols, func(s Symbol) bool { return s.Name == "Renamed" }) {
		t.Fatalf("changed file's new symbol missing: %+v", m.Symbols)
	}
}
