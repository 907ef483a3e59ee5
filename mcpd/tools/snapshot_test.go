package tools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestToolSnapshots pins every tool's name, description, annotations and
// schemas. A change is a reviewed diff: rerun with UPDATE_TOOLSNAPS=1.
func TestToolSnapshots(t *testing.T) {
	dir := filepath.Join("testdata", "toolsnaps")
	for _, tl := range All() {
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
		if string(want) != string(got) {
			t.Errorf("%s: descriptor differs from %s; rerun with UPDATE_TOOLSNAPS=1 and review the diff", tl.Name, path)
		}
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
