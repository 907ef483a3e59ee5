package main

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// freePort returns a port nothing listens on right now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}

func doctorApp(t *testing.T) *testApp {
	t.Helper()
	ta := newTestApp(t, nil) // PATH is an empty dir: no git, cloudflared, clipboard or opener
	ta.exeDir = t.TempDir()  // nothing beside mcpd
	ta.landlock = func() (int, bool, string) { return 0, false, "test kernel without Landlock" }
	return ta
}

func findings(t *testing.T, out string) map[string]finding {
	t.Helper()
	var rep struct {
		OK       bool      `json:"ok"`
		Findings []finding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("doctor --json: %v\n%s", err, out)
	}
	m := map[string]finding{}
	for _, f := range rep.Findings {
		if f.Status != "ok" && f.Fix == "" {
			t.Errorf("%s is %s without a fix: %s", f.Check, f.Status, f.Detail)
		}
		if _, seen := m[f.Check]; !seen {
			m[f.Check] = f
		}
	}
	return m
}

// On a clean machine (no profile, nothing installed) doctor passes with
// warnings, each with its fix.
func TestDoctorCleanMachine(t *testing.T) {
	ta := doctorApp(t)
	root := realDir(t)
	if code := ta.exec("doctor", "--root", root, "--port", freePort(t), "--json"); code != 0 {
		t.Fatalf("exit %d on a clean machine:\n%s%s", code, ta.out.String(), ta.errOut.String())
	}
	got := findings(t, ta.out.String())
	want := map[string]string{
		"settings": "ok", "profile": "ok", "port": "ok", "git": "warn", "cloudflared": "warn",
		"landlock": "warn", "clipboard": "warn", "browser": "warn", "handoff": "warn", "tunnelctl": "warn", "handoff agents": "warn",
		"ngrok": "warn", "tailscale": "warn",
	}
	for check, status := range want {
		if got[check].Status != status {
			t.Errorf("%s: %+v, want status %s", check, got[check], status)
		}
	}
	if !strings.Contains(got["git"].Fix, "apt-get install git") || !strings.Contains(got["cloudflared"].Fix, "tunnelctl install") {
		t.Errorf("fixes: git %q, cloudflared %q", got["git"].Fix, got["cloudflared"].Fix)
	}
	if !strings.Contains(got["ngrok"].Fix, "https://ngrok.com/download") || !strings.Contains(got["tailscale"].Fix, "https://tailscale.com/download") {
		t.Errorf("fixes: ngrok %q, tailscale %q", got["ngrok"].Fix, got["tailscale"].Fix)
	}
	if code := ta.exec("doctor", "--root", root, "--port", freePort(t)); code != 0 || !strings.Contains(ta.out.String(), "Ready with") {
		t.Fatalf("text report: exit %d\n%s", code, ta.out.String())
	}
}

// A token file others can read and a busy port are blockers, each named
// with its fix, and doctor exits 1.
func TestDoctorTokenFileAndBusyPort(t *testing.T) {
	ta := doctorApp(t)
	root := realDir(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("loose-token-0123456789abcdef0123456789\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)

	code := ta.exec("doctor", "--root", root, "--port", port, "--token-file", tokenFile)
	out := ta.out.String()
	if code != exitRuntime {
		t.Fatalf("exit %d, want %d:\n%s", code, exitRuntime, out)
	}
	for _, want := range []string{
		"FAIL  token file", "mode 0644 lets other users read the token", "fix: chmod 600 " + tokenFile,
		"FAIL  port", "127.0.0.1:" + port + " is not free", "--port 0 picks a free one",
		"blocker(s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}

	ta.exec("doctor", "--root", root, "--port", port, "--token-file", tokenFile, "--json")
	got := findings(t, ta.out.String())
	if got["token file"].Status != "fail" || got["port"].Status != "fail" || got["settings"].Status != "fail" {
		t.Fatalf("json findings %+v", got)
	}
}

// A broken profile is a blocker that names the file and the way out, and
// doctor still runs every other check.
func TestDoctorMalformedProfile(t *testing.T) {
	ta := doctorApp(t)
	root := realDir(t)
	store := ta.store()
	if err := os.MkdirAll(store.Dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(store.Path(root), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := ta.exec("doctor", "--root", root, "--port", freePort(t), "--json"); code != exitRuntime {
		t.Fatalf("exit %d", code)
	}
	got := findings(t, ta.out.String())
	if p := got["profile"]; p.Status != "fail" || !strings.Contains(p.Detail, store.Path(root)) || !strings.Contains(p.Fix, "settings delete") {
		t.Fatalf("profile finding %+v", p)
	}
	if got["git"].Status == "" || got["port"].Status != "ok" {
		t.Fatal("doctor stopped at the broken profile")
	}
}

// Sibling binaries are found beside mcpd; one that is not a Go build of
// this project is reported with the fix.
func TestDoctorSiblingBinaries(t *testing.T) {
	ta := doctorApp(t)
	for _, name := range []string{"handoff", "tunnelctl", "handoff-agent-codex"} {
		if err := os.WriteFile(filepath.Join(ta.exeDir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ta.exec("doctor", "--root", realDir(t), "--port", "0", "--json")
	got := findings(t, ta.out.String())
	for _, name := range []string{"handoff", "tunnelctl", "handoff-agent-codex"} {
		if f := got[name]; f.Status != "warn" || !strings.Contains(f.Detail, "no build info") || !strings.Contains(f.Fix, "make build") {
			t.Errorf("%s: %+v", name, f)
		}
	}
	if _, ok := got["handoff agents"]; ok {
		t.Error("reported missing agents although one is there")
	}

	// A copy of this very binary carries the same build stamp: a match.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ta.exeDir, "tunnelctl"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	ta.exec("doctor", "--root", realDir(t), "--port", "0", "--json")
	if f := findings(t, ta.out.String())["tunnelctl"]; f.Status != "ok" {
		t.Fatalf("same build reported as %+v", f)
	}
}

// TestDoctorProviders: ngrok from NGROK_BIN and tailscale from PATH are
// reported with their path and the version each prints; nothing is
// downloaded.
func TestDoctorProviders(t *testing.T) {
	ta := doctorApp(t)
	dir := ta.vars["PATH"]
	script := func(name, out string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("#!/bin/sh\n[ \"$1\" = version ] && echo '"+out+"'\n"), 0o755)
		return p
	}
	ngrok := script("my-ngrok", "ngrok version 3.22.1")
	tailscale := script("tailscale", "1.90.6")
	ta.vars["NGROK_BIN"] = ngrok
	ta.exec("doctor", "--root", realDir(t), "--port", freePort(t), "--json")
	got := findings(t, ta.out.String())
	if f := got["ngrok"]; f.Status != "ok" || f.Detail != ngrok+" (ngrok version 3.22.1)" {
		t.Errorf("ngrok: %+v", f)
	}
	if f := got["tailscale"]; f.Status != "ok" || f.Detail != tailscale+" (1.90.6)" {
		t.Errorf("tailscale: %+v", f)
	}
}
