package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestHandoffSuggestedCommandRuns: the command handoff_to_agent tells the
// user to run works exactly as printed (pasted into a shell, from another
// directory), here with --dry-run so no agent is needed.
func TestHandoffSuggestedCommandRuns(t *testing.T) {
	s := needSuite(t)
	ws, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tg := target{Transport: "stdio", Argv: []string{s.mcpd, "--root", ws, "--transport", "stdio", "--mode", "agent"}, Env: s.mcpdEnv()}
	c := callTool("handoff_to_agent", map[string]any{"title": "Add a line", "plan": "Add one line to NOTES.md."})
	sess := goClient{}.Run(t, tg, []call{c})
	r := sess.Replies[0].ok(t, c)
	var cmd string
	r.field(t, "run_command", &cmd)
	if !strings.Contains(r.text(), cmd) {
		t.Fatalf("the text does not show the command %q:\n%s", cmd, r.text())
	}
	sh := exec.Command("sh", "-c", cmd+" --dry-run")
	sh.Dir = t.TempDir() // not the workspace: the command must name it
	sh.Env = []string{"PATH=" + filepath.Dir(s.mcpd) + string(os.PathListSeparator) + os.Getenv("PATH"), "HOME=" + s.home,
		"CODEXPRO_HOME=" + filepath.Join(s.home, ".codexpro")}
	out, err := sh.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "handoff execute dry run") || !strings.Contains(string(out), "Workspace: "+ws) {
		t.Fatalf("%s --dry-run: %v\n%s", cmd, err, out)
	}
}
