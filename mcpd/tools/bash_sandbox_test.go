package tools

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/sandbox"
)

// userHome builds a HOME like a developer's: a global git config with an
// identity and an alias, credentials in the usual places, and no build
// cache yet (GOCACHE and the XDG variables unset, so Go picks a directory
// under this HOME that does not exist).
func userHome(t *testing.T) string {
	t.Helper()
	// Not t.TempDir: `go env` under this HOME may leave a detached telemetry
	// uploader writing there, and a failed cleanup is not this test's subject.
	home, err := os.MkdirTemp("", "codexpro-user-home-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(home) })
	files := map[string]string{
		".gitconfig":           "[user]\n\tname = Sandbox Tester\n\temail = tester@example.com\n[alias]\n\tst = status\n[init]\n\tdefaultBranch = main\n",
		".config/git/ignore":   "*.swp\n",
		".ssh/id_rsa":          "PLANTED-SSH-KEY\n",
		".aws/credentials":     "[default]\naws_secret_access_key = PLANTED-AWS-SECRET\n",
		".git-credentials":     "https://user:PLANTED-GIT-CRED@example.com\n",
		".netrc":               "machine example.com password PLANTED-NETRC\n",
		".config/gh/hosts.yml": "github.com:\n  oauth_token: PLANTED-GH-TOKEN\n",
		".npmrc":               "//registry.npmjs.org/:_authToken=PLANTED-NPM-TOKEN\n",
	}
	for name, body := range files {
		p := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOENV", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("GOTOOLCHAIN", "local")
	return home
}

// TestBashDefaultSandboxRunsGitAndGoWithUserConfig is the acceptance test
// of the default sandbox: a user with ~/.gitconfig and no Go build cache
// yet runs git status, git log, go build and go test through bash
// (safe mode, --sandbox auto) and they work, with the git config applied; the
// credential files in the same HOME stay unreadable to a confined command.
func TestBashDefaultSandboxRunsGitAndGoWithUserConfig(t *testing.T) {
	if _, ok, why := sandbox.Available(); !ok {
		t.Skip("no OS sandbox here: " + why)
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	warm, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	home := userHome(t)
	e, root := newTestEnv(t, map[string]string{
		"go.mod":       "module tiny\n\ngo 1.26.0\n",
		"tiny.go":      "package tiny\n\nfunc Add(a, b int) int { return a + b }\n",
		"tiny_test.go": "package tiny\n\nimport \"testing\"\n\nfunc TestAdd(t *testing.T) {\n\tif Add(2, 3) != 5 {\n\t\tt.Fatal(\"bad\")\n\t}\n}\n",
	})
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"commit", "-qm", "first commit"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	cache := filepath.Join(home, ".cache", "go-build")
	if _, err := os.Stat(cache); err == nil {
		t.Fatal("the build cache exists before the test; it must start missing")
	}
	bc := toolkit.BashConfig{Sandbox: sandbox.ModeAuto}
	run := func(cmd, want string) {
		t.Helper()
		m := mustOK(t, callBash(e, bc, map[string]any{"command": cmd, "timeout_ms": 110_000}))
		if m["exitCode"] != 0.0 || !strings.Contains(m["stdout"].(string)+m["stderr"].(string), want) {
			t.Fatalf("%s under the default sandbox: exit %v, stdout %q, stderr %q", cmd, m["exitCode"], m["stdout"], m["stderr"])
		}
		if sb := m["sandbox"].(string); strings.Contains(sb, "unconfined") || sb == "" {
			t.Fatalf("%s ran unconfined: %s", cmd, sb)
		}
	}
	run("git status", "nothing to commit")
	run("git log", "Author: Sandbox Tester <tester@example.com>")
	run("git log --oneline", "first commit")
	// With no build cache yet: the sandbox creates GOCACHE before it starts
	// (it cannot allow a path that does not exist), and go uses it.
	run("go build ./...", "")
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("no build cache was created: %v", err)
	}
	// go test with an empty cache compiles the runtime and testing
	// packages (minutes on a loaded 2-core machine), so it runs against
	// the machine's warm cache, still under the fake HOME and the sandbox.
	t.Setenv("GOCACHE", strings.TrimSpace(string(warm)))
	run("go test -count=1 ./...", "ok")
	e.Cfg.BashMode = "full"
	for _, rel := range []string{".ssh/id_rsa", ".aws/credentials", ".git-credentials", ".netrc", ".config/gh/hosts.yml", ".npmrc"} {
		m := mustOK(t, callBash(e, bc, map[string]any{"command": "cat \"$HOME/" + rel + "\""}))
		if strings.Contains(m["stdout"].(string), "PLANTED") || m["exitCode"] == 0.0 {
			t.Errorf("confined command read ~/%s: %v", rel, m)
		}
	}
	// The same config is what makes git work: an alias from ~/.gitconfig.
	m := mustOK(t, callBash(e, bc, map[string]any{"command": "git st --short && git config user.name"}))
	if m["exitCode"] != 0.0 || !strings.Contains(m["stdout"].(string), "Sandbox Tester") {
		t.Fatalf("git did not read ~/.gitconfig under the sandbox: %v", m)
	}
}
