package tools

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.MaybeExec()
	os.Exit(m.Run())
}

func bashEnv(t *testing.T, mode string) (*toolkit.Env, string) {
	t.Helper()
	e, root := newTestEnv(t, map[string]string{"a.txt": "hello\n", "sub/b.txt": "b\n", ".env": "SECRET=1\n"})
	e.Cfg.BashMode = mode
	return e, root
}

func callBash(e *toolkit.Env, bc toolkit.BashConfig, args map[string]any) *mcp.CallToolResult {
	if bc.MaxTimeoutMs == 0 {
		bc.MaxTimeoutMs = 120_000
	}
	if bc.Sandbox == "" {
		bc.Sandbox = "off"
	}
	e.Cfg.Bash = bc
	return toolkit.Call(context.Background(), e, BashTool(), args)
}

func TestBashSafeMode(t *testing.T) {
	e, root := bashEnv(t, "safe")
	real, _ := filepath.EvalSymlinks(root)
	m := mustOK(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "pwd"}))
	if strings.TrimSpace(m["stdout"].(string)) != real || m["exitCode"] != 0.0 || m["mode"] != "safe" {
		t.Fatalf("pwd = %v", m)
	}
	m = mustOK(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "pwd", "cwd": "sub"}))
	if !strings.HasSuffix(strings.TrimSpace(m["stdout"].(string)), "/sub") || m["cwd"] != "sub" {
		t.Fatalf("pwd in sub = %v", m)
	}
	m = mustOK(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "ls no-such-file"}))
	if m["exitCode"] == 0.0 || !strings.Contains(m["stderr"].(string), "no-such-file") {
		t.Fatalf("failing command should be a normal result with its exit code: %v", m)
	}
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "ls .env"}), `bash safe mode refused ".env"`)
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "cat a.txt"}), "not in the safe-mode allowlist")
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "ls > x"}), "redirections")
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "   "}), "command is required")
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "pwd", "cwd": "../"}), "escapes")
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "pwd", "cwd": "a.txt"}), "Not a directory")
	if _, err := os.Stat(filepath.Join(root, "x")); err == nil {
		t.Fatal("refused redirection still created a file")
	}
}

func TestBashModesAndLimits(t *testing.T) {
	t.Setenv("SECRET_X", "parent-secret-value")
	e, root := bashEnv(t, "full")
	m := mustOK(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "echo hi > made.txt && env && echo " + plantedSecret}))
	if _, err := os.Stat(filepath.Join(root, "made.txt")); err != nil {
		t.Fatalf("full mode did not run through bash: %v", err)
	}
	out := m["stdout"].(string)
	if strings.Contains(out, "parent-secret-value") || strings.Contains(out, plantedSecret) || !strings.Contains(out, "[REDACTED_SECRET]") {
		t.Fatalf("environment not scrubbed or output not redacted:\n%s", out)
	}
	m = mustOK(t, callBash(e, toolkit.BashConfig{InheritEnv: true}, map[string]any{"command": "env"}))
	if !strings.Contains(m["stdout"].(string), "parent-secret-value") {
		t.Fatal("CODEXPRO_INHERIT_ENV=1 did not pass the environment")
	}
	m = mustOK(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "sleep 30", "timeout_ms": 1000}))
	if m["timedOut"] != true || !strings.Contains(m["stderr"].(string), "timed out after 1000 ms") {
		t.Fatalf("timeout = %v", m)
	}
	e.Cfg.MaxOutputBytes = 2000
	m = mustOK(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "head -c 5000 /dev/zero | tr '\\0' a"}))
	if m["truncated"] != true || !strings.HasSuffix(m["stdout"].(string), "\n...[output truncated at 2000 bytes]") || len(m["stdout"].(string)) > 2100 {
		t.Fatalf("cap: truncated=%v len=%d", m["truncated"], len(m["stdout"].(string)))
	}
	mustFail(t, callBash(e, toolkit.BashConfig{MaxTimeoutMs: 5000}, map[string]any{"command": "true", "timeout_ms": 6000}), "CODEXPRO_MAX_BASH_TIMEOUT_MS")
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "true", "timeout_ms": 10}), "between 1000 and")
	e.Cfg.BashMode = "off"
	mustFail(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "true"}), "bash tool is disabled")
}

func TestBashSessionLabel(t *testing.T) {
	e, _ := bashEnv(t, "safe")
	const label = "codex-main"
	tests := []struct {
		name     string
		bc       toolkit.BashConfig
		given    string
		wantErr  string
		wantEcho any
	}{
		{"no label configured ignores session_id", toolkit.BashConfig{}, "anything", "", nil},
		{"label set, none given", toolkit.BashConfig{Session: label}, "", "", nil},
		{"label set, right one", toolkit.BashConfig{Session: label}, label, "", label},
		{"label set, wrong one", toolkit.BashConfig{Session: label}, "other-session", "bash session id mismatch", nil},
		{"required, none given", toolkit.BashConfig{Session: label, RequireSession: true}, "", "bash session id is required", nil},
		{"required, wrong one", toolkit.BashConfig{Session: label, RequireSession: true}, "other-session", "bash session id mismatch", nil},
		{"required, right one", toolkit.BashConfig{Session: label, RequireSession: true}, label, "", label},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := map[string]any{"command": "pwd"}
			if tc.given != "" {
				args["session_id"] = tc.given
			}
			r := callBash(e, tc.bc, args)
			if tc.wantErr != "" {
				mustFail(t, r, tc.wantErr)
				if strings.Contains(resultText(r), label) {
					t.Fatalf("refusal discloses the expected label: %s", resultText(r))
				}
				return
			}
			if m := mustOK(t, r); m["bash_session_id"] != tc.wantEcho {
				t.Fatalf("bash_session_id = %v, want %v", m["bash_session_id"], tc.wantEcho)
			}
		})
	}
}

func TestBashTranscript(t *testing.T) {
	e, _ := bashEnv(t, "safe")
	compact := resultText(callBash(e, toolkit.BashConfig{}, map[string]any{"command": "ls"}))
	full := resultText(callBash(e, toolkit.BashConfig{Transcript: "full"}, map[string]any{"command": "ls"}))
	if !strings.Contains(compact, "a.txt") || strings.Contains(compact, "## stderr") {
		t.Fatalf("compact transcript:\n%s", compact)
	}
	if !strings.Contains(full, "## stdout") || !strings.Contains(full, "a.txt") {
		t.Fatalf("full transcript:\n%s", full)
	}
}

func TestBashSandboxConfinesFullMode(t *testing.T) {
	if sandbox.Name() != sandbox.ModeLandlock {
		t.Skip("this test asks for --sandbox landlock")
	}
	if _, ok, why := sandbox.Available(); !ok {
		t.Skip("landlock unavailable: " + why)
	}
	// Not t.TempDir: `go env` under this HOME may leave a detached telemetry
	// uploader writing there, and a failed cleanup is not this test's subject.
	home, err := os.MkdirTemp("", "codexpro-bash-home-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(home) })
	if err := os.MkdirAll(filepath.Join(home, ".ssh"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".ssh", "id_ed25519"), []byte("PRIVATE-KEY-PLANT"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	outside := t.TempDir()
	e, root := bashEnv(t, "full")
	bc := toolkit.BashConfig{Sandbox: "landlock"}
	m := mustOK(t, callBash(e, bc, map[string]any{"command": "cat $HOME/.ssh/id_ed25519"}))
	if strings.Contains(m["stdout"].(string), "PRIVATE-KEY-PLANT") || m["exitCode"] == 0.0 {
		t.Fatalf("sandboxed command read ~/.ssh: %v", m)
	}
	if !strings.HasPrefix(m["sandbox"].(string), "landlock ABI") {
		t.Fatalf("sandbox status = %v", m["sandbox"])
	}
	m = mustOK(t, callBash(e, bc, map[string]any{"command": "echo x > " + filepath.Join(outside, "o.txt") + "; echo y > in.txt"}))
	if _, err := os.Stat(filepath.Join(outside, "o.txt")); err == nil {
		t.Fatalf("sandboxed command wrote outside the workspace: %v", m)
	}
	if _, err := os.Stat(filepath.Join(root, "in.txt")); err != nil {
		t.Fatalf("sandboxed command could not write inside the workspace: %v", m)
	}
}

// TestBashRedactsBeforeCapping plants a secret across the output cap: cut
// first, its head would no longer look like a secret to the redactor.
func TestBashRedactsBeforeCapping(t *testing.T) {
	e, _ := bashEnv(t, "full")
	e.Cfg.MaxOutputBytes = 2000
	m := mustOK(t, callBash(e, toolkit.BashConfig{}, map[string]any{"command": "head -c 1995 /dev/zero | tr '\\0' a; echo " + plantedSecret}))
	out := m["stdout"].(string)
	if strings.Contains(out, plantedSecret[:5]) || m["truncated"] != true {
		t.Fatalf("secret head survived the cap: ...%s", out[len(out)-60:])
	}
}
