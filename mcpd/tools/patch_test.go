package tools

import (
	"os"
	"path/filepath"
	"testing"
)

func TestApplyPatch(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"a.txt": "one\ntwo\nthree\n", "old.txt": "keep\n"})
	patch := "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n" +
		"diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+fresh\n" +
		"diff --git a/old.txt b/moved.txt\nsimilarity index 100%\nrename from old.txt\nrename to moved.txt\n"
	m := mustOK(t, callTool(t, e, "apply_patch", map[string]any{"patch": patch}))
	if m["additions"] != 2.0 || m["deletions"] != 1.0 {
		t.Fatalf("stats = %v", m)
	}
	for name, want := range map[string]string{"a.txt": "one\nTWO\nthree\n", "new.txt": "fresh\n", "moved.txt": "keep\n"} {
		if b, _ := os.ReadFile(filepath.Join(root, name)); string(b) != want {
			t.Errorf("%s = %q, want %q", name, b, want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "old.txt")); !os.IsNotExist(err) {
		t.Error("rename source still exists")
	}
}

// TestApplyPatchAttacks: each hostile patch is refused and nothing is written.
func TestApplyPatchAttacks(t *testing.T) {
	attacks := map[string]struct{ patch, want string }{
		"dotdot target":            {"--- a/../evil.txt\n+++ b/../evil.txt\n@@ -0,0 +1 @@\n+x\n", "escapes"},
		"absolute":                 {"--- /dev/null\n+++ /tmp/codexpro-evil.txt\n@@ -0,0 +1 @@\n+x\n", "escapes"},
		"rename onto .env":         {"diff --git a/a.txt b/.env\nsimilarity index 100%\nrename from a.txt\nrename to .env\n", "blocked"},
		"binary into node_modules": {"diff --git a/node_modules/x.js b/node_modules/x.js\nnew file mode 100644\nindex 0000000..a30f7d0\nGIT binary patch\nliteral 7\nOcmYc-%gkZODh2=wk^+tZ\n\nliteral 0\nHcmV?d00001\n\n", "blocked"},
		"header-only git hook":     {"diff --git a/.git/hooks/pre-commit b/.git/hooks/pre-commit\nnew file mode 100755\nindex 0000000..e69de29\n", "blocked"},
		"through symlinked dir":    {"diff --git a/out/x.txt b/out/x.txt\nnew file mode 100644\n--- /dev/null\n+++ b/out/x.txt\n@@ -0,0 +1 @@\n+x\n", "outside"},
		"symlink mode":             {"diff --git a/l b/l\nnew file mode 120000\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+/etc/passwd\n", "Symlink patches are blocked"},
		"binary anywhere":          {"diff --git a/img.bin b/img.bin\nnew file mode 100644\nindex 0000000..a30f7d0\nGIT binary patch\nliteral 7\nOcmYc-%gkZODh2=wk^+tZ\n\nliteral 0\nHcmV?d00001\n\n", "Binary patches are blocked"},
		"secret in patch":          {"--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+" + plantedSecret + "\n", "live secret"},
		"traditional dotdot":       {"--- a/../evil.txt\n+++ b/../evil.txt\n@@ -0,0 +1 @@\n+x\n", "escapes"},
		"mixed formats":            {"--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+ONE\ndiff --git a/c.txt b/c.txt\nnew file mode 100644\n--- /dev/null\n+++ b/c.txt\n@@ -0,0 +1 @@\n+x\n", "mixes"},
		"no paths":                 {"hello\n", "at least one file path"},
		"second hunk fails":        {"--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+ONE\n--- a/b.txt\n+++ b/b.txt\n@@ -1 +1 @@\n-missing\n+x\n", "No such file"},
	}
	for name, a := range attacks {
		t.Run(name, func(t *testing.T) {
			e, root := newTestEnv(t, map[string]string{"a.txt": "one\n"})
			outside := t.TempDir()
			if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
				t.Fatal(err)
			}
			before := snapshotTree(t, root)
			mustFail(t, callTool(t, e, "apply_patch", map[string]any{"patch": a.patch}), a.want)
			if after := snapshotTree(t, root); after != before {
				t.Fatalf("workspace changed:\n%s\n--- vs ---\n%s", before, after)
			}
			if entries, _ := os.ReadDir(outside); len(entries) != 0 {
				t.Fatal("patch wrote outside the workspace")
			}
			if _, err := os.Stat("/tmp/codexpro-evil.txt"); err == nil {
				t.Fatal("absolute target written")
			}
		})
	}
}

// snapshotTree renders every path and content under root.
func snapshotTree(t *testing.T, root string) string {
	t.Helper()
	var s string
	_ = filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		s += rel + " " + fi.Mode().String()
		if fi.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			s += " " + string(b)
		}
		s += "\n"
		return nil
	})
	return s
}
