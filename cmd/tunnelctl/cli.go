package main

import (
	"time"

	"codexpro.dev/cmd/internal/clix"
)

// CLI is the tunnelctl command line.
type CLI struct {
	Up         UpCmd           `cmd:"" help:"Serve a workspace through mcpd and a Cloudflare tunnel, print the connector URL, keep both alive."`
	Install    InstallCmd      `cmd:"" help:"Download the pinned cloudflared release into $CODEXPRO_HOME/bin after verifying its SHA-256."`
	Status     StatusCmd       `cmd:"" help:"Show running tunnels: URL (token redacted), pids, uptime, restarts, last health."`
	Down       DownCmd         `cmd:"" help:"Stop the tunnel serving a workspace."`
	Completion clix.Completion `cmd:"" help:"Print the shell completion script for your login shell (bash, zsh or fish); add eval \"$(tunnelctl completion)\" to your shell start-up."`
	Version    VersionFlag     `help:"Print the version and exit."`
}

// CloudflaredFlags choose the cloudflared binary (resolution order in docs/cloudflared.md).
type CloudflaredFlags struct {
	Cloudflared          string `help:"cloudflared binary to use instead of searching PATH and $CODEXPRO_HOME/bin." env:"CLOUDFLARED_BIN" placeholder:"PATH"`
	InstallCloudflared   bool   `help:"Download the pinned cloudflared again, ignoring PATH and $CODEXPRO_HOME/bin."`
	NoInstallCloudflared bool   `help:"Never download cloudflared; fail if none is found."`
	ReleaseBaseURL       string `help:"Download base for cloudflared releases (a mirror). The pinned SHA-256 still applies." placeholder:"URL"`
}

// McpdFlags pass through to mcpd unchanged; mcpd validates them.
type McpdFlags struct {
	Root           string   `help:"Workspace root (default: current directory)." type:"path" default:"." placeholder:"DIR"`
	AllowRoot      []string `help:"Another allowed root for mcpd; repeatable." placeholder:"DIR" sep:"none"`
	AllowHome      bool     `help:"Let mcpd open workspaces anywhere under your home directory."`
	Mode           string   `help:"mcpd --mode: agent, handoff or pro." placeholder:"MODE"`
	Write          string   `help:"mcpd --write: off, handoff or workspace." placeholder:"MODE"`
	ToolMode       string   `help:"mcpd --tool-mode: minimal, standard or full." placeholder:"MODE"`
	Bash           string   `help:"mcpd --bash: off, safe or full." placeholder:"MODE"`
	NoBash         bool     `help:"mcpd --no-bash."`
	BashTranscript string   `help:"mcpd --bash-transcript: compact or full." placeholder:"MODE"`
	BashSession    string   `help:"mcpd --bash-session label." placeholder:"ID"`
	Sandbox        string   `help:"mcpd --sandbox: auto, landlock or off." placeholder:"MODE"`
	CodexSessions  string   `help:"mcpd --codex-sessions: off, metadata or read." placeholder:"MODE"`
	LogLevel       string   `help:"mcpd --log-level." placeholder:"LEVEL"`
}

// UpCmd is `tunnelctl up`.
type UpCmd struct {
	McpdFlags        `embed:""`
	CloudflaredFlags `embed:""`

	TokenFile string `help:"Connector token for mcpd from this file (mode 600, at least 24 bytes); else CODEXPRO_HTTP_TOKEN; else a fresh one." type:"path" placeholder:"FILE"`
	Port      int    `help:"mcpd loopback port (default: a free one)." placeholder:"PORT"`
	Mcpd      string `help:"mcpd binary (default: beside tunnelctl, else on PATH)." placeholder:"PATH"`

	Named               bool          `help:"Use your own Cloudflare named tunnel instead of a quick trycloudflare.com tunnel."`
	Hostname            string        `help:"Public host of the named tunnel, e.g. mcp.example.com." placeholder:"HOST"`
	TunnelName          string        `help:"Locally-managed named tunnel to run (cloudflared tunnel run NAME)." env:"CLOUDFLARE_TUNNEL_NAME" placeholder:"NAME"`
	CloudflareTokenFile string        `help:"Remotely-managed tunnel token from this file (mode 600); or set CLOUDFLARE_TUNNEL_TOKEN." env:"CLOUDFLARE_TUNNEL_TOKEN_FILE" type:"path" placeholder:"FILE"`
	ReadyTimeout        time.Duration `help:"How long a named tunnel may take until https://HOST/healthz answers." default:"60s"`

	Headless  bool `help:"No clipboard or app-field block: print CODEXPRO_READY <url> on stdout for scripts."`
	NoCopyURL bool `name:"no-copy-url" help:"Do not copy the connector URL to the clipboard."`

	NoAuth          bool   `hidden:"" help:"Refused: a public tunnel always needs a token."`
	CloudflareToken string `hidden:"" help:"Refused: tokens never go on a command line."`
}

// InstallCmd is `tunnelctl install`.
type InstallCmd struct {
	ReleaseBaseURL string `help:"Download base for cloudflared releases (a mirror). The pinned SHA-256 still applies." placeholder:"URL"`
}

// StatusCmd is `tunnelctl status`.
type StatusCmd struct{}

// DownCmd is `tunnelctl down`.
type DownCmd struct {
	Root string `help:"Workspace root whose tunnel to stop (default: current directory)." type:"path" default:"." placeholder:"DIR"`
}

// args renders the pass-through flags for mcpd.
func (f McpdFlags) args(root string) []string {
	a := []string{"--root", root}
	for _, r := range f.AllowRoot {
		a = append(a, "--allow-root", r)
	}
	if f.AllowHome {
		a = append(a, "--allow-home")
	}
	if f.NoBash {
		a = append(a, "--no-bash")
	}
	for _, kv := range [][2]string{{"--mode", f.Mode}, {"--write", f.Write}, {"--tool-mode", f.ToolMode}, {"--bash", f.Bash},
		{"--bash-transcript", f.BashTranscript}, {"--bash-session", f.BashSession}, {"--sandbox", f.Sandbox},
		{"--codex-sessions", f.CodexSessions}, {"--log-level", f.LogLevel}} {
		if kv[1] != "" {
			a = append(a, kv[0], kv[1])
		}
	}
	return a
}
