package tools

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codexpro.dev/pkg/bridge"
)

func TestHandoffToAgent(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{".ai-bridge/decisions.md": "# Decisions\n\nkeep me\n"})
	m := mustOK(t, callTool(t, e, "handoff_to_agent", map[string]any{"agent": "opencode", "model": "x/y; touch /tmp/p", "plan": "Do the thing."}))
	plan, err := os.ReadFile(filepath.Join(root, ".ai-bridge/current-plan.md"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(plan)
	if m["plan_hash"] != hex.EncodeToString(sum[:]) {
		t.Fatalf("plan_hash %v does not match the file", m["plan_hash"])
	}
	for _, want := range []string{"Target agent: OpenCode (opencode)", "## Plan\n\nDo the thing.", "## Implementation contract"} {
		if !strings.Contains(string(plan), want) {
			t.Errorf("plan lacks %q:\n%s", want, plan)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(root, ".ai-bridge/decisions.md")); !strings.Contains(string(b), "keep me") {
		t.Error("scaffold overwrote an existing file")
	}
	for _, log := range []string{"session-log.jsonl", "execution-log.jsonl"} {
		if b, _ := os.ReadFile(filepath.Join(root, ".ai-bridge", log)); !strings.Contains(string(b), `"event":"handoff_to_agent"`) {
			t.Errorf("%s lacks the event: %q", log, b)
		}
	}
	if txt := resultText(callTool(t, e, "handoff_to_agent", map[string]any{"agent": "opencode", "model": "a'b", "plan": "p2", "append": true})); !strings.Contains(txt, `--model 'a'\''b'`) {
		t.Errorf("model not shell-quoted in the prompt: %s", txt)
	}
	if b, _ := os.ReadFile(filepath.Join(root, ".ai-bridge/current-plan.md")); !strings.Contains(string(b), "Do the thing.") || !strings.Contains(string(b), "\n---\n") {
		t.Error("append=true did not keep the old plan")
	}
	mustFail(t, callTool(t, e, "handoff_to_agent", map[string]any{"plan": "key " + plantedSecret}), "Secret-looking content")
	mustFail(t, callTool(t, e, "handoff_to_agent", map[string]any{"agent": "Bad Agent!", "plan": "x"}), "agent")
	mustFail(t, callTool(t, e, "handoff_to_agent", map[string]any{"title": "a\nb", "plan": "x"}), "title must be one line")
	mustFail(t, callTool(t, e, "handoff_to_agent", map[string]any{"plan": "   "}), "plan must not be empty")
}

func TestWaitForHandoff(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{".ai-bridge/handoff-status.md": "agent ran ok", "demo.txt": "NOT AN ARTIFACT"})
	m := mustOK(t, callTool(t, e, "wait_for_handoff", map[string]any{"max_wait_seconds": 1, "poll_ms": 250}))
	if m["state"] != "unknown" {
		t.Fatalf("no state file: %v", m)
	}
	state := `{"version":1,"state":"completed","phase":"done","iteration":2,"plan_hash":"abc","executor":"codex","verdict":"PASS","status_file":"../demo.txt","started_at":"x","finished_at":"y"}`
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = os.WriteFile(filepath.Join(root, ".ai-bridge/handoff-run-state.json"), []byte(state), 0o600)
	}()
	m = mustOK(t, callTool(t, e, "wait_for_handoff", map[string]any{"plan_hash": "abc", "max_wait_seconds": 5, "poll_ms": 250}))
	if m["state"] != "completed" || m["succeeded"] != true {
		t.Fatalf("finished run: %v", m)
	}
	if m["status_excerpt"] != "agent ran ok" {
		t.Fatalf("forged status_file was followed: %v", m["status_excerpt"])
	}
	m = mustOK(t, callTool(t, e, "wait_for_handoff", map[string]any{"plan_hash": "other", "max_wait_seconds": 1, "poll_ms": 250}))
	if m["state"] != "running" || m["plan_hash_mismatch"] != true {
		t.Fatalf("mismatched plan: %v", m)
	}
	m = mustOK(t, callTool(t, e, "wait_for_handoff", map[string]any{"since_iteration": 2, "max_wait_seconds": 1, "poll_ms": 250}))
	if m["state"] != "running" {
		t.Fatalf("since_iteration: %v", m)
	}
	mustFail(t, callTool(t, e, "wait_for_handoff", map[string]any{"max_wait_seconds": 61}), "max_wait_seconds must be from 1 to 60")
}

// TestWaitForHandoffAbandonedRun: a run state left "running" by a handoff
// process that no longer exists is reported as failed, not running forever.
func TestWaitForHandoffAbandonedRun(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{".ai-bridge/x": ""})
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	state := fmt.Sprintf(`{"version":1,"state":"running","phase":"executing","iteration":1,"plan_hash":"p","executor":"codex","pid":%d,"host":%q,"started_at":"x","finished_at":null}`, cmd.Process.Pid, host)
	if err := os.WriteFile(filepath.Join(root, ".ai-bridge/handoff-run-state.json"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	m := mustOK(t, callTool(t, e, "wait_for_handoff", map[string]any{"max_wait_seconds": 1, "poll_ms": 250}))
	if m["state"] != "failed" || !strings.Contains(fmt.Sprint(m["run_state"]), "abandoned") {
		t.Fatalf("dead handoff still reported as %v: %v", m["state"], m["run_state"])
	}
	state = fmt.Sprintf(`{"version":1,"state":"running","phase":"executing","iteration":1,"plan_hash":"p","executor":"codex","pid":%d,"host":%q,"started_at":"x","finished_at":null}`, os.Getpid(), host)
	if err := os.WriteFile(filepath.Join(root, ".ai-bridge/handoff-run-state.json"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	if m = mustOK(t, callTool(t, e, "wait_for_handoff", map[string]any{"max_wait_seconds": 1, "poll_ms": 250})); m["state"] != "running" {
		t.Fatalf("a live run was reported as %v", m["state"])
	}
}

// TestContextDirLinkRefused: a context directory linked to src/ must not
// turn handoff_to_agent or export_pro_context into source writes.
func TestContextDirLinkRefused(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"src/main.go": "package main\n"})
	if err := os.Symlink("src", filepath.Join(root, ".ai-bridge")); err != nil {
		t.Fatal(err)
	}
	mustFail(t, callTool(t, e, "handoff_to_agent", map[string]any{"agent": "codex", "plan": "Do the thing."}), "symlink")
	mustFail(t, callTool(t, e, "export_pro_context", map[string]any{"selected_paths": []any{"src/main.go"}}), "symlink")
	entries, err := os.ReadDir(filepath.Join(root, "src"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		names := []string{}
		for _, en := range entries {
			names = append(names, en.Name())
		}
		t.Fatalf("context writes landed in src/: %v", names)
	}
}

// TestHandoffSuggestsARunnableCommand: without an agent the plan names
// handoff's own default agent, and the suggested command names the root
// and that agent, so it runs as printed from any directory.
func TestHandoffSuggestsARunnableCommand(t *testing.T) {
	e, root := newTestEnv(t, nil)
	m := mustOK(t, callTool(t, e, "handoff_to_agent", map[string]any{"plan": "Do the thing."}))
	want := "handoff execute --root '" + root + "' --agent " + bridge.DefaultAgent
	if m["agent"] != bridge.DefaultAgent || m["run_command"] != want {
		t.Fatalf("agent %v, run_command %v; want %s and %q", m["agent"], m["run_command"], bridge.DefaultAgent, want)
	}
	if txt := resultText(callTool(t, e, "handoff_to_agent", map[string]any{"plan": "x"})); !strings.Contains(txt, want) || strings.Contains(txt, "--agent custom") {
		t.Errorf("prompt: %s", txt)
	}
	m = mustOK(t, callTool(t, e, "handoff_to_agent", map[string]any{"agent": "custom", "plan": "x"}))
	if cmd, _ := m["run_command"].(string); strings.Contains(cmd, "--agent custom") || !strings.Contains(cmd, "--command 'YOUR-AGENT {{plan_file}}'") {
		t.Errorf("custom run_command %q: --agent custom alone cannot run", cmd)
	}
}
