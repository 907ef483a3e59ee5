package tools

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzPatchPaths: whatever the patch text, apply_patch never changes
// anything outside the workspace or any blocked file, and when it succeeds
// every path the parser yielded passed the guard.
func FuzzPatchPaths(f *testing.F) {
	e, root := newTestEnv(f, map[string]string{
		"a.txt": "one\n", "src/b.txt": "two\n", ".env": "X=1\n", ".git/config": "[core]\n", "node_modules/x.js": "x\n",
	})
	outside := f.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("outside\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	for name, target := range map[string]string{"out": outside, "envlink": ".env", "outfile": filepath.Join(outside, "secret.txt")} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			f.Fatal(err)
		}
	}
	guarded := func(t testing.TB) string {
		return snapshotTree(t, outside) + snapshotTree(t, filepath.Join(root, ".git")) +
			snapshotTree(t, filepath.Join(root, "node_modules")) + snapshotTree(t, filepath.Join(root, ".env"))
	}
	before := guarded(f)
	for _, seed := range []string{
		"--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-one\n+ONE\n",
		"diff --git a/a.txt b/c.txt\nsimilarity index 100%\nrename from a.txt\nrename to c.txt\n",
		"diff --git a/a.txt b/.env\nsimilarity index 100%\nrename from a.txt\nrename to .env\n",
		"diff --git a/out/x.txt b/out/x.txt\nnew file mode 100644\n--- /dev/null\n+++ b/out/x.txt\n@@ -0,0 +1 @@\n+x\n",
		"diff --git a/.git/hooks/pre-commit b/.git/hooks/pre-commit\nnew file mode 100755\nindex 0000000..e69de29\n",
		"--- a/../evil.txt\n+++ b/../evil.txt\n@@ -0,0 +1 @@\n+x\n",
		"diff --git a/outfile b/outfile\n--- a/outfile\n+++ b/outfile\n@@ -1 +1 @@\n-outside\n+pwned\n",
		"diff --git a/src/b.txt b/src/b.txt\ndeleted file mode 100644\n--- a/src/b.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-two\n",
		"diff --git a/envlink b/envlink\n--- a/envlink\n+++ b/envlink\n@@ -1 +1 @@\n-X=1\n+X=2\n",
		"diff --git a/a.txt b/NODE_MODULES/y.js\nsimilarity index 100%\ncopy from a.txt\ncopy to NODE_MODULES/y.js\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, patch string) {
		res := callTool(t, e, "apply_patch", map[string]any{"patch": patch})
		if after := guarded(t); after != before {
			t.Fatalf("patch %q changed a blocked file or something outside:\n%s\n--- vs ---\n%s", patch, before, after)
		}
		if res.IsError {
			return
		}
		files, err := parsePatch(patch)
		if err != nil {
			t.Fatalf("apply_patch accepted %q, which does not parse: %v", patch, err)
		}
		w, err := e.Roots.Default()
		if err != nil {
			t.Fatal(err)
		}
		for _, fl := range files {
			for _, name := range []string{fl.OldName, fl.NewName} {
				if name == "" {
					continue
				}
				rel, err := w.Resolve(name)
				if err != nil {
					t.Fatalf("apply_patch accepted %q, whose path %q the guard refuses now: %v", patch, name, err)
				}
				if g, blocked := w.Blocked(rel); blocked {
					t.Fatalf("apply_patch wrote %q, blocked by %s", rel, g)
				}
			}
		}
	})
}
