//go:build linux

package search

import (
	"os"
	"syscall"
	"testing"
)

// TestFdSourceNeverFollowsSymlinks: even when asked directly for a name
// that is a symlink (as happens when one is swapped in after a directory
// was listed), the descriptor-relative opens refuse instead of following it.
func TestFdSourceNeverFollowsSymlinks(t *testing.T) {
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"secret.txt": "needle\n"})
	w := newWorkspace(t, map[string]string{
		"real.txt":  "needle\n",
		"sub/x.txt": "x\n",
		"to_file":   "->real.txt",
		"to_out":    "->" + outside + "/secret.txt",
		"to_dir":    "->sub",
		"to_outdir": "->" + outside,
	})
	f, rel, err := w.Open(".")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src := fdSource{}
	root, err := src.root(f, rel)
	if err != nil {
		t.Fatal(err)
	}
	defer src.closeDir(root)
	sc := &scratch{}
	if data, ok := src.readFile(root, "real.txt", "real.txt", sc, 100); !ok || string(data) != "needle\n" {
		t.Fatalf("plain file: %q %v", data, ok)
	}
	for _, name := range []string{"to_file", "to_out"} {
		if data, ok := src.readFile(root, name, name, sc, 100); ok {
			t.Errorf("readFile(%s) followed the link: %q", name, data)
		}
	}
	for _, name := range []string{"to_dir", "to_outdir"} {
		if d, err := src.openDir(root, name, name); err == nil {
			src.closeDir(d)
			t.Errorf("openDir(%s) followed the link", name)
		}
	}
	if _, ok := src.readFile(root, "sub", "sub", sc, 100); ok {
		t.Error("readFile opened a directory")
	}
	// A FIFO (say, swapped in for a listed file) must not block a worker.
	if err := syscall.Mkfifo(w.Root+"/fifo", 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := src.readFile(root, "fifo", "fifo", sc, 100); ok {
		t.Error("readFile read a FIFO")
	}
	if err := os.WriteFile(w.Root+"/big.txt", make([]byte, 200), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := src.readFile(root, "big.txt", "big.txt", sc, 100); ok {
		t.Error("readFile ignored the size limit")
	}
}
