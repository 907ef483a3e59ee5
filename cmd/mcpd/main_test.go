package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"codexpro.dev/pkg/config"
)

// runCLI runs the command line with a fake environment and a fake server
// that records the settings it was given.
func runCLI(t *testing.T, env map[string]string, args ...string) (code int, stderr string, got *config.Settings) {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	env["HOME"] = t.TempDir()
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	var out, errOut bytes.Buffer
	serve := func(_ context.Context, s config.Settings, _ zerolog.Logger) error {
		got = &s
		return nil
	}
	code = run(context.Background(), args, &out, &errOut, lookup, serve)
	return code, errOut.String(), got
}

func TestBadValuesNameTheSetting(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"port word", nil, []string{"--port", "abc"}, []string{`mcpd: --port="abc": want an integer from 0 to 65535 (env CODEXPRO_PORT)`}},
		{"bash enum", nil, []string{"--bash=yolo"}, []string{`mcpd: --bash="yolo"`, "off, safe, full"}},
		{"env number", map[string]string{"CODEXPRO_MAX_READ_BYTES": "abc"}, nil, []string{`mcpd: CODEXPRO_MAX_READ_BYTES="abc": want an integer from 4000 to 2000000`}},
		{"missing root", nil, []string{"--root", "/does/not/exist"}, []string{`mcpd: --root "/does/not/exist": directory does not exist`}},
		{"public bind without token", nil, []string{"--host", "0.0.0.0"}, []string{"mcpd: CODEXPRO_HTTP_TOKEN is required", "not loopback"}},
		{"no-auth public", nil, []string{"--host", "0.0.0.0", "--no-auth"}, []string{"mcpd: --no-auth is only allowed on a loopback host"}},
		{"two problems, two lines", map[string]string{"CODEXPRO_TOOL_MODE": "max"}, []string{"--mode", "x"}, []string{"mcpd: --mode=", "\nmcpd: CODEXPRO_TOOL_MODE="}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr, got := runCLI(t, tc.env, append([]string{"--root", t.TempDir()}, tc.args...)...)
			if code != exitSettings || got != nil {
				t.Fatalf("exit %d (served: %v), want %d without serving; stderr:\n%s", code, got != nil, exitSettings, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q\nmissing %q", stderr, w)
				}
			}
		})
	}
}

func TestUsageErrorsKeepKongExitCode(t *testing.T) {
	code, stderr, got := runCLI(t, nil, "--no-such-flag")
	if code != 80 || got != nil || !strings.Contains(stderr, "unknown flag --no-such-flag") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), []string{"--version"}, &out, &bytes.Buffer{}, func(string) (string, bool) { return "", false }, nil)
	if code != 0 || strings.TrimSpace(out.String()) == "" {
		t.Fatalf("--version: exit %d, output %q", code, out.String())
	}
}

func TestFlagsReachSettings(t *testing.T) {
	root, other := t.TempDir(), t.TempDir()
	code, stderr, s := runCLI(t, map[string]string{"CODEXPRO_TOOL_CARDS": "1", "CODEXPRO_BASH_MODE": "full"},
		"--root", root, "--allow-root", other, "--port", "0", "--no-bash", "--tool-mode", "full",
		"--mode", "handoff", "--no-tool-cards", "--bash-session", "codex-main", "--require-bash-session",
		"--transport", "stdio", "--log-level", "debug")
	if code != 0 || s == nil {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	realOther, _ := filepath.EvalSymlinks(other)
	checks := map[string][2]any{
		"port":           {s.Port, 0},
		"bash":           {s.BashMode, "off"},
		"tool mode":      {s.ToolMode, "full"},
		"write":          {s.WriteMode, "handoff"},
		"tool cards":     {s.ToolCards, false},
		"session":        {s.BashSession, "codex-main"},
		"require":        {s.RequireBashSession, true},
		"transport":      {s.Transport, "stdio"},
		"log level":      {s.LogLevel, "debug"},
		"allowed roots":  {len(s.AllowedRoots), 2},
		"allow-root [1]": {s.AllowedRoots[1], realOther},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
}

func TestServeErrorExitsOne(t *testing.T) {
	env := func(k string) (string, bool) { return "", false }
	var errOut bytes.Buffer
	fail := func(context.Context, config.Settings, zerolog.Logger) error {
		return errors.New("listen tcp: address in use")
	}
	code := run(context.Background(), []string{"--root", t.TempDir()}, &bytes.Buffer{}, &errOut, env, fail)
	if code != exitRuntime || !strings.Contains(errOut.String(), "mcpd: listen tcp: address in use") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestBinaryStartupError builds mcpd and checks the real process: message
// on stderr, exit status 2, nothing on stdout (stdout belongs to stdio MCP).
func TestBinaryStartupError(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "mcpd")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "--root", t.TempDir(), "--transport", "stdio")
	cmd.Env = append(os.Environ(), "CODEXPRO_MAX_OUTPUT_BYTES=lots")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitSettings {
		t.Fatalf("run: %v, want exit status %d; stderr %s", err, exitSettings, stderr.String())
	}
	if want := `mcpd: CODEXPRO_MAX_OUTPUT_BYTES="lots": want an integer from 4000 to 2000000`; !strings.Contains(stderr.String(), want) {
		t.Fatalf("stderr %q, want %q", stderr.String(), want)
	}
	if stdout.Len() != 0 {
		t.Fatalf("stdout not empty: %q", stdout.String())
	}
}

// TestHelpVersionAndCompletion: `mcpd --help` shows the serve flags (plain
// mcpd serves), and `mcpd version`, `-V` and `completion zsh|fish` work.
func TestHelpVersionAndCompletion(t *testing.T) {
	runOut := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, &out, &errOut, func(string) (string, bool) { return "", false }, nil)
		return code, out.String() + errOut.String()
	}
	if code, out := runOut("--help"); code != 0 || !strings.Contains(out, "--bash-transcript") || !strings.Contains(out, "settings set") {
		t.Fatalf("--help: exit %d, serve flags or commands missing:\n%s", code, out)
	}
	for _, args := range [][]string{{"version"}, {"-V"}} {
		if code, out := runOut(args...); code != 0 || strings.TrimSpace(out) != version() {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
	for _, shell := range []string{"zsh", "fish", "bash"} {
		if code, out := runOut("completion", shell); code != 0 || !strings.Contains(out, "complete ") {
			t.Errorf("completion %s: exit %d, %q", shell, code, out)
		}
	}
}
