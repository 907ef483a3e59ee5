package handoff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/pkg/sandbox"
)

func TestSandboxedExecutorCannotWriteOutsideTheWorkspace(t *testing.T) {
	if _, ok, why := sandbox.Available(); !ok {
		t.Skip(why)
	}
	f := newFixture(t)
	outside := t.TempDir()
	f.agent("pi", `echo "pi: edited work.txt" >> work.txt
echo escaped > `+outside+`/escaped 2>/dev/null || echo "write outside denied"`)
	o := f.opts("pi")
	o.Sandbox = sandbox.ModeLandlock
	if code, err := Execute(t.Context(), o, f.io()); err != nil || code != 0 {
		t.Fatalf("execute = %d, %v\n%s", code, err, f.err.String())
	}
	if _, err := os.Stat(filepath.Join(outside, "escaped")); err == nil {
		t.Fatal("a confined agent wrote outside the workspace")
	}
	if !strings.Contains(f.read("work.txt"), "pi: edited") || !strings.Contains(f.read(".ai-bridge/handoff-status.md"), "write outside denied") {
		t.Fatalf("agent did not run confined as expected:\n%s", f.read(".ai-bridge/handoff-status.md"))
	}
}
