package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHardLinkPromise: a file inside the root that is a hard link to a
// file outside (or to a blocked one) is never read; a write replaces the
// name and leaves the other file's content alone, after which the new
// file is an ordinary one.
func TestHardLinkPromise(t *testing.T) {
	ws, root, outside := fixture(t)
	secret := filepath.Join(outside, "secret.txt")
	if err := os.Link(secret, filepath.Join(root, "notes.txt")); err != nil {
		t.Skipf("hard links unsupported here: %v", err)
	}
	must(t, os.Link(filepath.Join(root, ".env"), filepath.Join(root, "env-copy.txt")))
	for _, name := range []string{"notes.txt", "env-copy.txt"} {
		data, _, err := ws.ReadFile(name, 1<<20)
		if RuleOf(err) != RuleHardLink || len(data) != 0 {
			t.Fatalf("ReadFile(%s) = %q, %v; want rule %s", name, data, err, RuleHardLink)
		}
		if strings.Contains(err.Error(), "OUTSIDE-SECRET") || !strings.Contains(err.Error(), "cp FILE") {
			t.Fatalf("refusal %q leaks or lacks the fix", err)
		}
		if f, _, err := ws.OpenRegular(name); RuleOf(err) != RuleHardLink {
			if f != nil {
				f.Close()
			}
			t.Fatalf("OpenRegular(%s): %v", name, err)
		}
	}
	if _, err := ws.WriteFile("notes.txt", []byte("mine now\n"), 0); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(secret); string(b) != "OUTSIDE-SECRET" {
		t.Fatalf("a write through the hard link changed the outside file: %q", b)
	}
	if data, _, err := ws.ReadFile("notes.txt", 1<<20); err != nil || string(data) != "mine now\n" {
		t.Fatalf("the rewritten file: %q, %v", data, err)
	}
	must(t, os.MkdirAll(filepath.Join(root, ".ai-bridge"), 0o755))
	must(t, os.Link(secret, filepath.Join(root, ".ai-bridge", "handoff-status.md")))
	if _, _, err := ws.LinkFree().ReadFile(".ai-bridge/handoff-status.md", 1<<20); RuleOf(err) != RuleHardLink {
		t.Fatalf("context dir read of a hard link: %v", err)
	}
}
