package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeCloudflared answers --version like cloudflared, then logs the tunnel
// token from its environment, as a careless build might, and waits.
const fakeCloudflared = `#!/bin/sh
case "$1" in --version|version|-v) echo "cloudflared version 2026.7.2 (e2e fake)"; exit 0;; esac
echo "INF Starting tunnel token=$TUNNEL_TOKEN" >&2
echo "ERR Unauthorized: Invalid tunnel secret $TUNNEL_TOKEN" >&2
exec sleep 60
`

// TestTunnelTokensNeverLeak runs the built tunnelctl with a named tunnel
// whose cloudflared prints the tunnel token and never gets ready. tunnelctl
// must fail with cloudflared's output redacted; its output and the runtime
// files it leaves under the suite's HOME go to the run log, where the leak
// scan looks for the tunnel token and the connector token.
func TestTunnelTokensNeverLeak(t *testing.T) {
	s := needSuite(t)
	tunnelctl := filepath.Join(filepath.Dir(s.mcpd), "tunnelctl")
	if _, err := os.Stat(tunnelctl); err != nil {
		t.Fatalf("no tunnelctl beside mcpd (run make build): %v", err)
	}
	dir := t.TempDir()
	cfToken := "eyJhIjoi" + newToken(t) // shaped like a Cloudflare tunnel token
	connector := newToken(t)
	s.log.secret("the Cloudflare tunnel token", cfToken)
	s.log.secret("tunnelctl's connector token", connector)
	files := map[string]string{"cf-token": cfToken, "connector-token": connector, "cloudflared": fakeCloudflared}
	for name, body := range files {
		mode := os.FileMode(0o600)
		if name == "cloudflared" {
			mode = 0o755
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), mode); err != nil {
			t.Fatal(err)
		}
	}
	root := newGitWorkspace(t, map[string]string{"README.md": "# tunnel\n"})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tunnelctl, "up", "--root", root, "--named", "--hostname", "named.example.invalid",
		"--cloudflare-token-file", filepath.Join(dir, "cf-token"), "--token-file", filepath.Join(dir, "connector-token"),
		"--cloudflared", filepath.Join(dir, "cloudflared"), "--no-install-cloudflared", "--ready-timeout", "3s",
		"--headless", "--no-copy-url", "--mcpd", s.mcpd)
	cmd.Env = s.mcpdEnv()
	out, err := cmd.CombinedOutput()
	s.log.add("tunnelctl up (named tunnel that never gets ready)", out)
	if err == nil {
		t.Fatalf("tunnelctl up succeeded with a tunnel that never got ready:\n%s", out)
	}
	if !strings.Contains(string(out), "did not become ready") || !strings.Contains(string(out), "Invalid tunnel secret "+redacted) {
		t.Errorf("tunnelctl's failure does not show cloudflared's redacted output:\n%s", out)
	}
	for what, v := range map[string]string{"the tunnel token": cfToken, "the connector token": connector} {
		if strings.Contains(string(out), v) {
			t.Errorf("tunnelctl printed %s", what)
		}
	}
}
