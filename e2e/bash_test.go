package e2e

import (
	"strings"
	"testing"
)

// TestBashThroughClients: bash is absent with --no-bash, runs verification
// commands in safe mode, refuses a shell trick, and with
// --require-bash-session runs only for a caller with the right label.
func TestBashThroughClients(t *testing.T) {
	root := newGitWorkspace(t, map[string]string{"go.mod": "module demo\n\ngo 1.22\n", "demo.go": "package demo\n"})
	off := startHTTP(t, "bash-off", "--root", root, "--no-bash")
	safe := startHTTP(t, "bash-safe", "--root", root)
	label := startHTTP(t, "bash-label", "--root", root, "--bash-session", "laptop-1", "--require-bash-session")
	for _, c := range clients {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			sess := c.Run(t, httpTarget(off), []call{listTools()})
			if _, ok := sess.Replies[0].tools(t)["bash"]; ok {
				t.Error("--no-bash still lists bash")
			}
			calls := []call{
				callTool("bash", map[string]any{"command": "git status --short"}),
				callTool("bash", map[string]any{"command": "cat /etc/passwd > leak.txt"}),
				callTool("bash", map[string]any{"command": "ls ~root"}),
			}
			sess = c.Run(t, httpTarget(safe), calls)
			sess.Replies[0].ok(t, calls[0])
			for i := 1; i < len(calls); i++ {
				if r := sess.Replies[i].result(t, calls[i]); !r.IsError || !strings.Contains(r.text(), "safe mode refused") {
					t.Errorf("%s was not refused by safe mode: %s", calls[i], r.all())
				}
			}
			calls = []call{
				callTool("bash", map[string]any{"command": "git status --short"}),
				callTool("bash", map[string]any{"command": "git status --short", "session_id": "wrong-label"}),
				callTool("bash", map[string]any{"command": "git status --short", "session_id": "laptop-1"}),
			}
			sess = c.Run(t, httpTarget(label), calls)
			for i := 0; i < 2; i++ {
				r := sess.Replies[i].result(t, calls[i])
				if !r.IsError {
					t.Errorf("%s ran without the right session label", calls[i])
				}
				if strings.Contains(r.all(), "laptop-1") {
					t.Errorf("the refusal discloses the expected label: %s", r.all())
				}
			}
			sess.Replies[2].ok(t, calls[2])
		})
	}
}
