package main

import (
	"context"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"github.com/rs/zerolog"

	"codexpro.dev/cmd/internal/clix"

	"codexpro.dev/pkg/config"
)

// parsed parses args as tunnelctl does, without running anything.
func parsed(t *testing.T, args ...string) *CLI {
	t.Helper()
	cli := newCLI()
	kctx, _, exited, err := clix.Parse(cli, args, kong.Name("tunnelctl"), kong.Vars{"version": "test"})
	if err != nil || exited {
		t.Fatalf("parse %q: exited=%v err=%v", args, exited, err)
	}
	cli.Up.capture(kctx)
	return cli
}

func env2(getenv func(string) string) env {
	home, _ := filepath.Abs(getenv("CODEXPRO_HOME"))
	return env{ctx: context.Background(), stdout: io.Discard, stderr: io.Discard, getenv: getenv, log: zerolog.Nop(), home: home}
}

func netListen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func portOf(ln net.Listener) string { return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port) }

// savedProfile writes a profile for root with a token file, as `tunnelctl
// setup` or `mcpd settings set` would, and returns the token.
func savedProfile(t *testing.T, home, root string, p config.Profile) string {
	t.Helper()
	store := config.NewProfileStore(home)
	const token = "profile-token-0123456789abcdef0123456789abcdef"
	path, err := store.WriteToken(root, token)
	if err != nil {
		t.Fatal(err)
	}
	p.Root, p.TokenFile = root, path
	if _, err := store.Save(p); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestUpTokenPrecedence(t *testing.T) {
	home, root := t.TempDir(), t.TempDir()
	root, _ = filepath.EvalSymlinks(root)
	profileTok := savedProfile(t, home, root, config.Profile{})
	envTok := "env-token-0123456789abcdef0123456789abcdef"
	fileTok := "file-token-0123456789abcdef0123456789abcdef"
	file := secretFile(t, fileTok, 0o600)
	base := map[string]string{"CODEXPRO_HOME": home, "HOME": home}
	withEnv := map[string]string{"CODEXPRO_HOME": home, "HOME": home, "CODEXPRO_HTTP_TOKEN": envTok}
	cases := []struct {
		name      string
		env       map[string]string
		args      []string
		want, src string
	}{
		{"flag before profile", base, []string{"--token-file", file}, fileTok, "file"},
		{"variable before profile", withEnv, nil, envTok, "env"},
		{"profile token file", base, nil, profileTok, "profile"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cli := parsed(t, append([]string{"up", "--mcpd", fakes.Mcpd, "--root", root}, tc.args...)...)
			o, err := cli.Up.options(env2(func(k string) string { return tc.env[k] }))
			if err != nil {
				t.Fatal(err)
			}
			if o.Token != tc.want || o.TokenSource != tc.src {
				t.Errorf("token from %q, want %q from %s", o.TokenSource, tc.src, tc.name)
			}
		})
	}
	t.Run("flag and variable together are refused, as mcpd refuses them", func(t *testing.T) {
		cli := parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root, "--token-file", file)
		if _, err := cli.Up.options(env2(func(k string) string { return withEnv[k] })); err == nil || !strings.Contains(err.Error(), "use one of them") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("fresh without any", func(t *testing.T) {
		cli := parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", t.TempDir())
		o, err := cli.Up.options(env2(func(k string) string { return base[k] }))
		if err != nil || o.TokenSource != "generated" || len(o.Token) < 24 {
			t.Fatalf("source %q len %d err %v", o.TokenSource, len(o.Token), err)
		}
	})
}

// TestUpProfileChoosesNamedTunnel: the profile's named tunnel is used
// unless a flag says otherwise, so the URL is the same on every start.
func TestUpProfileChoosesNamedTunnel(t *testing.T) {
	home, root := t.TempDir(), t.TempDir()
	root, _ = filepath.EvalSymlinks(root)
	savedProfile(t, home, root, config.Profile{Tunnel: "cloudflare-named", Hostname: "mcp.example.com", TunnelName: "codexpro", Bash: "off"})
	getenv := func(k string) string { return map[string]string{"CODEXPRO_HOME": home, "HOME": home}[k] }
	cli := parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root)
	o, err := cli.Up.options(env2(getenv))
	if err != nil {
		t.Fatal(err)
	}
	if !o.Named || o.Hostname != "mcp.example.com" || o.TunnelName != "codexpro" || o.Exposure.Bash != "off" {
		t.Fatalf("named=%v host=%q name=%q bash=%q; want the profile's named tunnel and modes", o.Named, o.Hostname, o.TunnelName, o.Exposure.Bash)
	}
	quick := parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root, "--quick")
	if o, err = quick.Up.options(env2(getenv)); err != nil || o.Named {
		t.Fatalf("--quick: named=%v err=%v", o.Named, err)
	}
}

// TestUpProfileChoosesProvider: a profile saved for ngrok (as CodexPro
// 0.30 writes it) chooses ngrok with its domain and config; another
// --provider takes nothing from it; --named with ngrok is refused.
func TestUpProfileChoosesProvider(t *testing.T) {
	home, root := t.TempDir(), t.TempDir()
	root, _ = filepath.EvalSymlinks(root)
	savedProfile(t, home, root, config.Profile{Tunnel: "ngrok", Hostname: "name.ngrok-free.app", NgrokConfig: "/etc/ngrok.yml"})
	getenv := func(k string) string { return map[string]string{"CODEXPRO_HOME": home, "HOME": home}[k] }
	o, err := parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root).Up.options(env2(getenv))
	if err != nil || o.Provider != "ngrok" || o.Hostname != "name.ngrok-free.app" || o.NgrokConfig != "/etc/ngrok.yml" {
		t.Fatalf("provider %q host %q config %q err %v; want the profile's ngrok", o.Provider, o.Hostname, o.NgrokConfig, err)
	}
	o, err = parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root, "--provider", "tailscale").Up.options(env2(getenv))
	if err != nil || o.Provider != "tailscale" || o.Hostname != "" || o.NgrokConfig != "" {
		t.Fatalf("--provider tailscale: provider %q host %q config %q err %v", o.Provider, o.Hostname, o.NgrokConfig, err)
	}
	// Cloudflare's variables do not stop another provider; its flags do.
	t.Setenv("CLOUDFLARE_TUNNEL_NAME", "cf")
	cfEnv := func(k string) string {
		return map[string]string{"CODEXPRO_HOME": home, "HOME": home, "CLOUDFLARE_TUNNEL_NAME": "cf", "CLOUDFLARE_TUNNEL_TOKEN": "cf-tunnel-secret-0123456789"}[k]
	}
	if o, err = parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root).Up.options(env2(cfEnv)); err != nil || o.TunnelName != "" || o.TunnelToken != "" {
		t.Fatalf("ngrok with CLOUDFLARE_TUNNEL_* set: name %q token set %v err %v", o.TunnelName, o.TunnelToken != "", err)
	}
	t.Setenv("CLOUDFLARE_TUNNEL_NAME", "")
	if _, err = parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root, "--cloudflare-token-file", "/tmp/x").Up.options(env2(getenv)); err == nil ||
		!strings.Contains(err.Error(), "--cloudflare-token-file is for --provider cloudflare, not ngrok") {
		t.Fatalf("--cloudflare-token-file with the ngrok profile: %v", err)
	}
	if _, err = parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", root, "--provider", "ngrok", "--named").Up.options(env2(getenv)); err == nil ||
		!strings.Contains(err.Error(), "--quick and --named choose a Cloudflare tunnel") {
		t.Fatalf("--provider ngrok --named: %v", err)
	}
}

func TestUpPublicShellOverride(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string { return map[string]string{"CODEXPRO_HOME": home, "HOME": home}[k] }
	cli := parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", t.TempDir(), "--bash", "full", "--i-understand-public-shell")
	o, err := cli.Up.options(env2(getenv))
	if err != nil || o.Exposure.Bash != "full" {
		t.Fatalf("the override must let bash full through: bash=%q err=%v", o.Exposure.Bash, err)
	}
}

func TestUpBusyPortNamesTheFix(t *testing.T) {
	home := t.TempDir()
	getenv := func(k string) string { return map[string]string{"CODEXPRO_HOME": home, "HOME": home}[k] }
	ln, err := netListen()
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cli := parsed(t, "up", "--mcpd", fakes.Mcpd, "--root", t.TempDir(), "--port", portOf(ln))
	_, err = cli.Up.options(env2(getenv))
	if err == nil || !strings.Contains(err.Error(), "is busy") || !strings.Contains(err.Error(), "--port 0") {
		t.Fatalf("err = %v; want the busy port named with the fix", err)
	}
}
