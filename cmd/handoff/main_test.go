package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/pkg/sandbox"
)

// TestMain lets a confined executor re-enter through the sandbox entry
// point: --sandbox defaults to auto, so the test binary is the re-executed
// program.
func TestMain(m *testing.M) {
	sandbox.MaybeExec()
	os.Exit(m.Run())
}

// workspace makes a git repository with a plan and returns its root and a
// directory for helper scripts.
func workspace(t *testing.T) (root, bin string) {
	t.Helper()
	root, bin = t.TempDir(), t.TempDir()
	for _, args := range [][]string{{"init", "-q"}, {"-c", "user.email=t@e", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "i"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git: %v %s", err, b)
		}
	}
	os.MkdirAll(filepath.Join(root, ".ai-bridge"), 0o700)
	os.WriteFile(filepath.Join(root, ".ai-bridge/current-plan.md"), []byte("# Plan\n\nDo it.\n"), 0o644)
	t.Setenv("CODEXPRO_HOME", t.TempDir())
	return root, bin
}

func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	root, bin := workspace(t)
	agent := script(t, bin, "agent", `echo edited >> work.txt; exit "${1:-0}"`)
	pass := script(t, bin, "pass", `echo CODEXPRO_REVIEW=PASS`)
	fail := script(t, bin, "fail", `echo CODEXPRO_REVIEW=FAIL`)
	cases := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"loop pass", []string{"loop", "--root", root, "--yes", "--command", agent + " 0 {{plan_file}}", "--reviewer", pass}, 0, ""},
		{"loop fail", []string{"loop", "--root", root, "--yes", "--command", agent + " 0 {{plan_file}}", "--reviewer", fail}, 1, ""},
		{"execute passes the agent's code", []string{"execute", "--root", root, "--yes", "--command", agent + " 3 {{plan_file}}"}, 3, ""},
		{"missing reviewer is a usage error", []string{"loop", "--root", root}, 80, "--reviewer"},
		{"unknown flag", []string{"execute", "--bogus"}, 80, "unknown flag --bogus"},
		{"max iters out of range", []string{"loop", "--root", root, "--reviewer", pass, "--max-iters", "30"}, 1, "--max-iters 30: must be between 1 and 25"},
		{"bad context dir", []string{"execute", "--root", root, "--context-dir", "src"}, 2, "CODEXPRO_CONTEXT_DIR"},
		{"non-interactive without --yes", []string{"execute", "--root", root, "--command", agent + " {{plan_file}}"}, 1, "use --yes"},
		{"sandbox enum", []string{"execute", "--root", root, "--sandbox", "maybe"}, 2, `--sandbox="maybe": want one of auto, landlock, seatbelt, off (env CODEXPRO_SANDBOX)`},
	}
	for _, c := range cases {
		code, _, stderr := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.err) {
			t.Errorf("%s: code %d (want %d), stderr:\n%s", c.name, code, c.code, stderr)
		}
	}
}

func TestJSONEvents(t *testing.T) {
	root, bin := workspace(t)
	agent := script(t, bin, "agent", `echo edited >> work.txt`)
	pass := script(t, bin, "pass", `echo CODEXPRO_REVIEW=PASS`)
	code, stdout, stderr := runCLI(t, "loop", "--root", root, "--yes", "--json", "--command", agent+" {{plan_file}}", "--reviewer", pass)
	if code != 0 {
		t.Fatalf("code %d\n%s", code, stderr)
	}
	var phases []string
	var last map[string]any
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("stdout line is not JSON: %q", line)
		}
		if ev["event"] == "phase" {
			phases = append(phases, ev["phase"].(string))
		}
		last = ev
	}
	if strings.Join(phases, ",") != "executing,reviewing" {
		t.Errorf("phases = %v", phases)
	}
	if last["event"] != "finished" || last["verdict"] != "PASS" || last["stop_reason"] != "pass" {
		t.Errorf("last event = %v", last)
	}
}

func TestPluginsTrustCLI(t *testing.T) {
	home := t.TempDir()
	t.Setenv("CODEXPRO_HOME", home)
	dir := filepath.Join(home, "plugins")
	os.MkdirAll(dir, 0o700)
	script(t, dir, "handoff-agent-demo", "exit 0")
	code, out, _ := runCLI(t, "plugins", "list")
	if code != 0 || !strings.Contains(out, "demo") || !strings.Contains(out, "untrusted") {
		t.Fatalf("list before trust: %d\n%s", code, out)
	}
	code, out, errb := runCLI(t, "plugins", "trust", "demo")
	if code != 0 || !strings.Contains(out, "sha256: ") {
		t.Fatalf("trust: %d\n%s%s", code, out, errb)
	}
	code, out, _ = runCLI(t, "plugins", "list", "--json")
	if code != 0 || !strings.Contains(out, `"status":"ready"`) {
		t.Fatalf("list after trust: %d\n%s", code, out)
	}
	if code, _, errb := runCLI(t, "plugins", "untrust", "demo"); code != 0 {
		t.Fatalf("untrust: %d %s", code, errb)
	}
	if code, _, errb := runCLI(t, "plugins", "untrust", "demo"); code != 1 || !strings.Contains(errb, "not trusted") {
		t.Fatalf("untrust twice: %d %s", code, errb)
	}
}

// TestSharedVariablesParseAsInMcpd: the CODEXPRO_* variables handoff shares
// with mcpd go through pkg/config, so both read them alike.
func TestSharedVariablesParseAsInMcpd(t *testing.T) {
	root, bin := workspace(t)
	agent := script(t, bin, "agent", `echo edited >> work.txt`)
	cases := []struct {
		name, key, value string
		code             int
		err              string
	}{
		{"on is a boolean", "CODEXPRO_INHERIT_ENV", "on", 0, ""},
		{"hex is not a number", "CODEXPRO_MAX_OUTPUT_BYTES", "0x50", 2, `CODEXPRO_MAX_OUTPUT_BYTES="0x50": want an integer from 4000 to 2000000`},
		{"empty number is an error", "CODEXPRO_MAX_OUTPUT_BYTES", "", 2, "want an integer"},
		{"sandbox value", "CODEXPRO_SANDBOX", "yes", 2, `CODEXPRO_SANDBOX="yes"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(c.key, c.value)
			code, _, stderr := runCLI(t, "execute", "--root", root, "--yes", "--dry-run", "--command", agent+" {{plan_file}}")
			if code != c.code || !strings.Contains(stderr, c.err) {
				t.Fatalf("code %d (want %d), stderr:\n%s", code, c.code, stderr)
			}
		})
	}
}
