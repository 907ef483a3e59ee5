package bashpolicy

import (
	"os/exec"
	"strings"
	"testing"
)

// TestListingsHideBlockedNames runs the decided ls and find argv on the
// fixture: blocked names must not appear even with -a, -R or a bare find.
func TestListingsHideBlockedNames(t *testing.T) {
	if out, err := exec.Command("ls", "--version").Output(); err != nil || !strings.Contains(string(out), "GNU") {
		t.Skip("GNU ls not installed")
	}
	p := newPolicy(t)
	blocked := []string{".env", ".git", "node_modules", ".ssh", "id_rsa", "id_ed25519", "server.pem", "app.key", "dist"}
	for _, cmd := range []string{"ls -a", "ls -aR", "ls -la sub", "find", "find . -type f", "find . -name '*'", "find . -maxdepth 3 -print0"} {
		t.Run(cmd, func(t *testing.T) {
			d, err := p.Decide(cmd, ".")
			if err != nil {
				t.Fatal(err)
			}
			argv := d.Steps[0]
			c := exec.Command(argv[0], argv[1:]...)
			c.Dir = p.Root
			out, err := c.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", argv, err, out)
			}
			if !strings.Contains(string(out), "main.go") && !strings.Contains(string(out), "b.go") {
				t.Fatalf("listing lost ordinary files:\n%s", out)
			}
			for _, b := range blocked {
				if strings.Contains(string(out), b) {
					t.Fatalf("listing shows blocked %s:\n%s", b, out)
				}
			}
		})
	}
}
