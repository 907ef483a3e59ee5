package bashpolicy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGlobNamesOnlyListableEntries: glob expansion runs in mcpd, so it
// goes through the guard. A glob through a symlink out of the workspace,
// into a blocked directory or over blocked names matches nothing the model
// could not list itself, and neither the argv nor a refusal names such an
// entry.
func TestGlobNamesOnlyListableEntries(t *testing.T) {
	p := newPolicy(t)
	outside := filepath.Join(filepath.Dir(p.Root), "outside")
	for _, n := range []string{"etc-outside-entry", "shadow-outside-entry"} {
		if err := os.WriteFile(filepath.Join(outside, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(".git", filepath.Join(p.Root, "gitlink")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/", filepath.Join(p.Root, "rootlink")); err != nil {
		t.Fatal(err)
	}
	hidden := []string{"outside-entry", "secret.txt", "HEAD", ".env", "id_rsa", "id_ed25519", "etc", "server.pem", "app.key", "tsc"}
	for _, cmd := range []string{
		"ls link_out/*", "ls link_out/e*", "ls rootlink/e*", "ls rootlink/*/passwd", "ls .git/*", "ls gitlink/*",
		"ls .e*", "ls ./.e*", "ls .ss*/*", "ls */*.pem", "ls config/*", "ls node_modules/.bin/*", "find .git/* -name x",
		"ls *", "ls */*", "ls id*", "ls link_out/../*",
	} {
		d, err := p.Decide(cmd, ".")
		var said string
		if err != nil {
			said = err.Error()
		} else {
			said = strings.Join(d.Steps[0], " ")
		}
		for _, h := range hidden {
			if strings.Contains(said, h) {
				t.Errorf("%s names %q, which the model cannot list: %s", cmd, h, said)
			}
		}
	}
	d, err := p.Decide("ls */*.go", ".")
	if err != nil || !strings.Contains(strings.Join(d.Steps[0], " "), "pkg/a.go") {
		t.Fatalf("ls */*.go no longer expands inside the workspace: %v %v", d.Steps, err)
	}
}
