package bashpolicy

import (
	"os"
	"path/filepath"
	"testing"

	"codexpro.dev/pkg/workspace"
)

// newPolicy builds a real workspace guard over a small tree with the usual
// suspects: secrets, .git, node_modules with a local tsc, a symlink out.
func newPolicy(t testing.TB) Policy {
	t.Helper()
	base := t.TempDir()
	root := filepath.Join(base, "ws")
	outside := filepath.Join(base, "outside")
	files := map[string]string{
		"go.mod": "module x\n", "main.go": "package main\n", "pkg/a.go": "package pkg\n",
		"sub/b.go": "package sub\n", "README.md": "hi\n", ".env": "SECRET=1\n",
		".git/HEAD": "ref: refs/heads/main\n", "node_modules/.bin/tsc": "#!/bin/sh\n",
		"sub/node_modules/.bin/eslint": "#!/bin/sh\n", ".ssh/id_rsa": "key\n", "id_ed25519": "key\n",
		"tests/test_x.py": "def test_x(): pass\n", "src/app.ts": "export {}\n", "certs/server.pem": "pem\n",
		"config/app.key": "k\n", "dist/out.js": "x\n",
	}
	for rel, body := range files {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "link_out")); err != nil {
		t.Fatal(err)
	}
	return policyFor(t, root)
}

// policyFor guards root with the default blocklist plus extra globs, as
// mcpd does with CODEXPRO_BLOCKED_GLOBS.
func policyFor(t testing.TB, root string, extra ...string) Policy {
	t.Helper()
	bl, err := workspace.NewBlocklist(extra)
	if err != nil {
		t.Fatal(err)
	}
	roots, err := workspace.NewRoots([]string{root}, bl, workspace.Limits{MaxReadBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(roots.Close)
	ws, err := roots.Default()
	if err != nil {
		t.Fatal(err)
	}
	return Policy{Paths: ws, Root: ws.Root, Blocked: append(workspace.DefaultGlobs(), extra...)}
}
