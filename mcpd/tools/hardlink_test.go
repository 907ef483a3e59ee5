package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHardLinkedFileNeverRead: a hard link inside the workspace to a file
// outside it is refused by read and edit with rule hard-link, and search
// never returns its content.
func TestHardLinkedFileNeverRead(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"a.txt": "plain\n"})
	outside := filepath.Join(t.TempDir(), "key.txt")
	if err := os.WriteFile(outside, []byte("HARDLINK-PLANT outside the root\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(outside, filepath.Join(root, "notes.txt")); err != nil {
		t.Skipf("hard links unsupported here: %v", err)
	}
	mustFail(t, callTool(t, e, "read", map[string]any{"path": "notes.txt"}), "hard-link")
	mustFail(t, callTool(t, e, "edit", map[string]any{"path": "notes.txt", "old_text": "outside", "new_text": "inside"}), "hard-link")
	res := callTool(t, e, "search", map[string]any{"query": "HARDLINK-PLANT"})
	if txt := resultText(res); strings.Contains(txt, "outside the root") || strings.Contains(txt, "notes.txt") {
		t.Fatalf("search returned the hard-linked file: %s", txt)
	}
	if b, _ := os.ReadFile(outside); string(b) != "HARDLINK-PLANT outside the root\n" {
		t.Fatalf("outside file changed: %q", b)
	}
}
