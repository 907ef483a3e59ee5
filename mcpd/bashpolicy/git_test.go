package bashpolicy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRun runs a decided git argv in the workspace root.
func gitRun(t *testing.T, p Policy, cmd string) (string, error) {
	t.Helper()
	d, err := p.Decide(cmd, ".")
	if err != nil {
		t.Fatalf("%s refused: %v", cmd, err)
	}
	argv := d.Steps[0]
	c := exec.Command(argv[0], argv[1:]...)
	c.Dir = p.Root
	c.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
	out, err := c.CombinedOutput()
	return string(out), err
}

// TestGitHistoryOfBlockedFilesStaysHidden runs the decided argv against a
// real repository whose history contains a committed .env.
func TestGitHistoryOfBlockedFilesStaysHidden(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	p := newPolicy(t)
	setup := [][]string{
		{"init", "-q"},
		{"add", "-f", "."},
		{"-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init"},
	}
	for _, args := range setup {
		c := exec.Command("git", args...)
		c.Dir = p.Root
		c.Env = append(os.Environ(), "HOME="+t.TempDir())
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	for _, cmd := range []string{"git log -p", "git show", "git show HEAD", "git diff HEAD~0 HEAD", "git ls-files", "git log --stat"} {
		out, err := gitRun(t, p, cmd)
		if err != nil {
			t.Fatalf("%s failed: %v\n%s", cmd, err, out)
		}
		if strings.Contains(out, "SECRET=1") || strings.Contains(out, ".env") || strings.Contains(out, "id_rsa") {
			t.Fatalf("%s printed a blocked file:\n%s", cmd, out)
		}
	}
	if out, _ := gitRun(t, p, "git show HEAD:main.go"); !strings.Contains(out, "package main") {
		t.Fatalf("git show HEAD:main.go did not print the file: %s", out)
	}
	blob, err := exec.Command("git", "-C", p.Root, "rev-parse", "HEAD:.env").Output()
	if err != nil {
		t.Fatal(err)
	}
	out, err := gitRun(t, p, "git show "+strings.TrimSpace(string(blob)))
	if err == nil || strings.Contains(out, "SECRET=1") {
		t.Fatalf("git show <blob id of .env> printed it (err %v):\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(p.Root, ".env")); err != nil {
		t.Fatal(err)
	}
}

func TestChainAndMessage(t *testing.T) {
	p := newPolicy(t)
	d, err := p.Decide("go vet ./... && go test ./...", ".")
	if err != nil || len(d.Steps) != 2 || d.Steps[1][1] != "test" {
		t.Fatalf("chain: %v %v", d.Steps, err)
	}
	_, err = p.Decide("git branch -D main", ".")
	want := `bash safe mode refused "git branch -D main": git branch may only list branches (-D changes refs or config)`
	if err == nil || err.Error() != want {
		t.Fatalf("message = %v\nwant      %s", err, want)
	}
}

func TestZeroPolicyFailsClosed(t *testing.T) {
	if _, err := (Policy{}).Decide("ls src", "."); err == nil || !strings.Contains(err.Error(), "no workspace guard") {
		t.Fatalf("zero Policy accepted a path: %v", err)
	}
}

func TestProgramOnPathInsideWorkspace(t *testing.T) {
	p := newPolicy(t)
	bin := filepath.Join(p.Root, "tools")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte("#!/bin/sh\necho planted\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	_, err := p.Decide("git status", ".")
	if err == nil || !strings.Contains(err.Error(), "inside the workspace through PATH") {
		t.Fatalf("planted git on PATH accepted: %v", err)
	}
}
