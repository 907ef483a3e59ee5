package e2e

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolSchemasPortable runs the Inspector's --strict schema check over
// every tool mcpd can advertise (full tool set, agent mode): an
// error-severity portability problem (exit 6) would make some clients
// reject the tool outright. Warnings are only logged.
func TestToolSchemasPortable(t *testing.T) {
	s := needSuite(t)
	nodeModules(t, s)
	bin := filepath.Join(s.clients, "node_modules", ".bin", "mcp-inspector")
	tg := stdioTarget(s)
	argv := append([]string{bin, "--cli"}, envFlags(tg.Env)...)
	argv = append(argv, "--method", "tools/list", "--strict", "-q", "--format", "json", "--")
	argv = append(argv, tg.Argv...)
	stdout, stderr, err := runNode(s, "inspector --strict", nil, argv...)
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 6 {
		t.Fatalf("the inspector found error-severity schema problems:\n%s", stderr)
	}
	if err != nil {
		t.Fatalf("inspector --strict: %v\nstderr:\n%s", err, stderr)
	}
	var out struct {
		Result struct {
			Tools []json.RawMessage `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(stdout, &out); err != nil || len(out.Result.Tools) == 0 {
		t.Fatalf("no tool list (%v): %s", err, stdout)
	}
	t.Logf("%d tools checked; %d portability warnings", len(out.Result.Tools), strings.Count(string(stderr), "Warning: tool"))
}
