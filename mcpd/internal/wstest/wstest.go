// Package wstest builds throwaway workspaces for tests: a temporary folder
// holding the given files, opened as the only allowed root with the default
// blocked globs.
package wstest

import (
	"os"
	"path/filepath"
	"testing"

	"codexpro.dev/pkg/workspace"
)

// Roots writes files (slash path -> content) into a fresh temporary folder
// and opens it as the only allowed root; it returns the roots and the
// folder. The roots close when the test ends.
func Roots(t testing.TB, files map[string]string) (*workspace.Roots, string) {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		WriteFile(t, filepath.Join(root, filepath.FromSlash(name)), body)
	}
	bl, err := workspace.NewBlocklist(nil)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := workspace.NewRoots([]string{root}, bl, workspace.Limits{MaxReadBytes: 180000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(roots.Close)
	return roots, root
}

// Workspace is Roots' one workspace.
func Workspace(t testing.TB, files map[string]string) (*workspace.Workspace, string) {
	t.Helper()
	roots, root := Roots(t, files)
	w, err := roots.Default()
	if err != nil {
		t.Fatal(err)
	}
	return w, root
}

// WriteFile writes body to p, creating its folders.
func WriteFile(t testing.TB, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
