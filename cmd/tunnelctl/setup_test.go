package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/pkg/config"
)

// TestSetupWithScriptedAnswers: answers piped in (one of them bad, asked
// again with mcpd's reason) end in the expected profile and the ChatGPT
// steps.
func TestSetupWithScriptedAnswers(t *testing.T) {
	home := t.TempDir()
	root, _ := filepath.EvalSymlinks(t.TempDir())
	answers := strings.Join([]string{root, "yolo", "handoff", "", "off", "named", "https://MCP.example.com/mcp", "codexpro"}, "\n") + "\n"
	var out, errb bytes.Buffer
	getenv := func(k string) string { return map[string]string{"CODEXPRO_HOME": home, "HOME": home}[k] }
	code := run(context.Background(), []string{"setup"}, &out, &errb, getenv, strings.NewReader(answers))
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), `--mode="yolo": want one of agent, handoff, pro`) || !strings.Contains(out.String(), "Try again.") {
		t.Errorf("the bad answer was not refused with mcpd's message:\n%s", out.String())
	}
	p, ok, err := config.NewProfileStore(home).Load(root)
	if err != nil || !ok {
		t.Fatalf("profile: %v %v", ok, err)
	}
	if p.Mode != "handoff" || p.Write != "handoff" || p.Bash != "off" || p.Tunnel != "cloudflare-named" ||
		p.Hostname != "mcp.example.com" || p.TunnelName != "codexpro" || p.CloudflareTokenFile != "" {
		t.Errorf("profile = %+v", p)
	}
	if fi, err := os.Stat(p.TokenFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file %s: %v %v", p.TokenFile, fi, err)
	}
	for _, want := range []string{"tunnelctl up --root " + root, "the URL stays the same on every start", "Settings > Apps & Connectors > Create", "Authentication  No Authentication"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the steps lack %q:\n%s", want, out.String())
		}
	}
}

// TestSetupChoosesNgrokOrTailscale: ngrok asks for the reserved domain;
// tailscale asks nothing more and clears the other providers' fields; the
// steps say the URL stays the same.
func TestSetupChoosesNgrokOrTailscale(t *testing.T) {
	home := t.TempDir()
	root, _ := filepath.EvalSymlinks(t.TempDir())
	getenv := func(k string) string { return map[string]string{"CODEXPRO_HOME": home, "HOME": home}[k] }
	for _, tc := range []struct {
		answers    []string
		tunnel     string
		host, step string
	}{
		{[]string{root, "agent", "", "safe", "ngrok", "https://Name.ngrok-free.app/mcp"}, "ngrok", "name.ngrok-free.app", "ngrok on https://name.ngrok-free.app"},
		{[]string{root, "agent", "", "safe", "tailscale"}, "tailscale", "", "Tailscale Funnel"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), []string{"setup"}, &out, &errb, getenv, strings.NewReader(strings.Join(tc.answers, "\n")+"\n")); code != 0 {
			t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
		}
		p, _, _ := config.NewProfileStore(home).Load(root)
		if p.Tunnel != tc.tunnel || p.Hostname != tc.host || p.TunnelName != "" || p.CloudflareTokenFile != "" {
			t.Errorf("%s: profile = %+v", tc.tunnel, p)
		}
		if !strings.Contains(out.String(), tc.step) || !strings.Contains(out.String(), "the URL stays the same on every start") {
			t.Errorf("%s: steps:\n%s", tc.tunnel, out.String())
		}
	}
}

func TestSetupStopsWhenInputEndsOnABadAnswer(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string { return map[string]string{"CODEXPRO_HOME": home, "HOME": home}[k] }
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"setup"}, &out, &errb, getenv, strings.NewReader(t.TempDir()+"\nagent\nworkspace\nsometimes"))
	if code == 0 || !strings.Contains(errb.String(), "setup stopped") || !strings.Contains(errb.String(), `--bash="sometimes"`) {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	if list, _ := config.NewProfileStore(home).List(); len(list) != 0 {
		t.Errorf("a stopped setup saved a profile: %+v", list)
	}
}
