package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFullDiskWrite: the workspace sits on a 512 KiB tmpfs (root only;
// elsewhere the write limit CODEXPRO_MAX_WRITE_BYTES stands in for the
// disk's size). A write larger than the free space fails with an error
// that says why, the old file stays whole, a new file is not created, and
// no temp file is left behind.
func TestFullDiskWrite(t *testing.T) {
	root := filepath.Join(t.TempDir(), "ws")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	var env []string
	want := "no space left on device"
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k,mode=0755", "tmpfs", root).CombinedOutput(); err != nil {
		t.Logf("no tmpfs here (%v: %s); the write limit stands in for a full disk", err, strings.TrimSpace(string(out)))
		env, want = []string{"CODEXPRO_MAX_WRITE_BYTES=400000"}, "too large"
	} else {
		t.Cleanup(func() { _ = exec.Command("umount", root).Run() }) // runs after mcpd has stopped
	}
	if err := writeFiles(root, map[string]string{"a.txt": "original\n"}); err != nil {
		t.Fatal(err)
	}
	srv := startHTTPEnv(t, "full-disk", env, "--root", root, "--mode", "agent")
	big := strings.Repeat("x", 600_000)
	calls := []call{
		callTool("write", map[string]any{"path": "a.txt", "content": big}),
		callTool("write", map[string]any{"path": "new/b.txt", "content": big}),
		callTool("edit", map[string]any{"path": "a.txt", "old_text": "original", "new_text": big}),
		callTool("write", map[string]any{"path": "small.txt", "content": "fits\n"}),
	}
	sess := goClient{}.Run(t, httpTarget(srv), calls)
	for i, c := range calls[:3] {
		r := sess.Replies[i].result(t, c)
		if !r.IsError || !strings.Contains(r.text(), want) {
			t.Errorf("%s on a full disk: isError=%v %q; want an error saying %q", c.Tool, r.IsError, truncate(r.text(), 200), want)
		}
	}
	t.Logf("a write on the full disk answered: %s", sess.Replies[0].result(t, calls[0]).text())
	sess.Replies[3].ok(t, calls[3])
	if b, err := os.ReadFile(filepath.Join(root, "a.txt")); err != nil || string(b) != "original\n" {
		t.Errorf("a.txt after failed writes: %q, %v; want the original content", truncate(string(b), 40), err)
	}
	if _, err := os.Stat(filepath.Join(root, "new", "b.txt")); err == nil {
		t.Error("new/b.txt exists after a failed write")
	}
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".codexpro-") {
			t.Errorf("temp file left behind: %s", p)
		}
		return nil
	})
	srv.alive(t)
}

// TestAgentKilledMidLoop: while handoff loop runs an agent, the agent is
// killed with SIGKILL, or handoff itself gets SIGTERM. Either way the run
// state must end as failed and say why, never stay "running" or claim a
// pass, and the agent must not outlive handoff.
func TestAgentKilledMidLoop(t *testing.T) {
	s := needSuite(t)
	handoff := filepath.Join(filepath.Dir(s.mcpd), "handoff")
	if _, err := os.Stat(handoff); err != nil {
		t.Fatalf("no handoff beside mcpd (run make build): %v", err)
	}
	for _, victim := range []string{"agent", "handoff"} {
		t.Run("kill "+victim, func(t *testing.T) {
			root := newGitWorkspace(t, map[string]string{"README.md": "hi\n", ".ai-bridge/current-plan.md": "# Plan\n\nAppend a line to README.md.\n"})
			dir := t.TempDir()
			pidFile := filepath.Join(dir, "agent.pid")
			agent := filepath.Join(dir, "agent.sh")
			script := "#!/bin/sh\necho $$ > " + shellQuote(pidFile) + "\nexec sleep 300\n"
			if err := os.WriteFile(agent, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(handoff, "loop", "--root", root, "--command", agent+" {{plan_file}}",
				"--reviewer", "echo CODEXPRO_REVIEW=PASS", "--yes", "--max-iters", "1",
				// the agent records its pid outside the workspace, which a
				// confined executor may not write; confinement is tested elsewhere
				"--sandbox", "off")
			cmd.Env = s.mcpdEnv()
			out := s.log.writer("handoff loop (kill " + victim + ")")
			cmd.Stdout, cmd.Stderr = out, out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			agentPID := waitPIDFile(t, pidFile)
			if victim == "agent" {
				killPID(agentPID)
			} else {
				_ = cmd.Process.Signal(syscall.SIGTERM)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err == nil {
					t.Error("handoff loop exited 0 after its agent was killed")
				}
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("handoff loop did not finish within 30 s of the kill")
			}
			checkKilledRunState(t, root, victim)
			if !isZombie(agentPID) {
				killPID(agentPID)
				t.Errorf("the agent (pid %d) outlived handoff", agentPID)
			}
		})
	}
}

func checkKilledRunState(t *testing.T, root, victim string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, ".ai-bridge", "handoff-run-state.json"))
	if err != nil {
		t.Fatalf("no run state: %v", err)
	}
	var st struct {
		State, Phase, Verdict string
		StopReason            string `json:"stop_reason"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("run state is not JSON: %v: %s", err, raw)
	}
	want := map[string]string{"agent": "executor_failed", "handoff": "interrupted"}[victim]
	if st.State != "failed" || st.Phase != "done" || st.Verdict == "PASS" || st.StopReason != want {
		t.Errorf("run state after killing the %s: %s; want state failed, phase done, stop_reason %s", victim, raw, want)
	}
	if victim == "agent" {
		status, _ := os.ReadFile(filepath.Join(root, ".ai-bridge", "handoff-status.md"))
		if !strings.Contains(string(status), "SIGKILL") {
			t.Errorf("handoff-status.md does not say the agent was killed:\n%s", status)
		}
	}
}

func waitPIDFile(t *testing.T, p string) int {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if b, err := os.ReadFile(p); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
				return pid
			}
		}
	}
	t.Fatalf("the agent never started (no %s)", p)
	return 0
}

// killPID kills pid, whoever its parent is.
func killPID(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// isZombie reports whether pid has exited (gone, or only waiting to be
// reaped).
func isZombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	i := strings.LastIndexByte(string(b), ')')
	return i < 0 || strings.HasPrefix(strings.TrimSpace(string(b[i+1:])), "Z")
}
