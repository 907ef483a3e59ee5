package tools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestToolSnapshots pins every tool's name, description, annotations and
// schemas. A change is a reviewed diff: rerun with UPDATE_TOOLSNAPS=1. A
// snapshot file whose tool is gone fails too (the update removes it), so a
// renamed or deleted tool cannot leave a stale descriptor behind.
func TestToolSnapshots(t *testing.T) {
	dir := filepath.Join("testdata", "toolsnaps")
	known := map[string]bool{}
	for _, tl := range All() {
		known[tl.Name+".json"] = true
		got, err := json.MarshalIndent(tl.Def, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join(dir, tl.Name+".json")
		if os.Getenv("UPDATE_TOOLSNAPS") == "1" {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: no snapshot (run with UPDATE_TOOLSNAPS=1): %v", tl.Name, err)
		}
		if d := lineDiff(string(want), string(got)); d != "" {
			t.Errorf("%s: descriptor differs from %s; rerun with UPDATE_TOOLSNAPS=1 and review:\n%s", tl.Name, path, d)
		}
	}
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if known[f.Name()] {
			continue
		}
		stale := filepath.Join(dir, f.Name())
		if os.Getenv("UPDATE_TOOLSNAPS") == "1" {
			if err := os.Remove(stale); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is a snapshot of no tool in the catalog; delete it (UPDATE_TOOLSNAPS=1 does)", stale)
	}
}

// TestAnnotationsTruthful checks every tool sets all four hints and that a
// tool of a read-only kind claims no write, and a writer claims no read-only.
func TestAnnotationsTruthful(t *testing.T) {
	for _, tl := range All() {
		a := tl.Def.Annotations
		if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
			t.Errorf("%s: an annotation is unset", tl.Name)
			continue
		}
		if *a.ReadOnlyHint != tl.Kind.ReadOnlyKind() {
			t.Errorf("%s: readOnlyHint %v for kind %d", tl.Name, *a.ReadOnlyHint, tl.Kind)
		}
		if *a.ReadOnlyHint && *a.DestructiveHint {
			t.Errorf("%s: read-only and destructive", tl.Name)
		}
		if tl.Def.Title == "" || tl.Def.Description == "" {
			t.Errorf("%s: missing title or description", tl.Name)
		}
	}
}
