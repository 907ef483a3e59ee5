package main

import (
	"time"

	"github.com/alecthomas/kong"

	"codexpro.dev/cmd/internal/clix"
	"codexpro.dev/pkg/config"
)

// CLI is the tunnelctl command line.
type CLI struct {
	Up         UpCmd           `cmd:"" help:"Serve a workspace through mcpd and a public HTTPS tunnel (Cloudflare, ngrok or Tailscale Funnel), print the connector URL, keep both alive."`
	Setup      SetupCmd        `cmd:"" help:"Answer a few questions (root, mode, write, bash, tunnel) and save them as the workspace's profile, then see the exact ChatGPT steps."`
	Install    InstallCmd      `cmd:"" help:"Download the pinned cloudflared release into $CODEXPRO_HOME/bin after verifying its SHA-256."`
	Status     StatusCmd       `cmd:"" help:"Show running tunnels: URL (token redacted), pids, uptime, restarts, last health."`
	Down       DownCmd         `cmd:"" help:"Stop the tunnel serving a workspace."`
	Completion clix.Completion `cmd:"" help:"Print the shell completion script: tunnelctl completion bash|zsh|fish (default: $SHELL); add eval \"$(tunnelctl completion zsh)\" to your shell start-up."`
	Version    VersionFlag     `short:"V" help:"Print the version and exit."`
}

// CloudflaredFlags choose the cloudflared binary (resolution order in docs/cloudflared.md).
type CloudflaredFlags struct {
	Cloudflared          string `help:"cloudflared binary to use instead of searching PATH and $CODEXPRO_HOME/bin." env:"CLOUDFLARED_BIN" placeholder:"PATH"`
	InstallCloudflared   bool   `help:"Download the pinned cloudflared again, ignoring PATH and $CODEXPRO_HOME/bin."`
	NoInstallCloudflared bool   `help:"Never download cloudflared; fail if none is found."`
	ReleaseBaseURL       string `help:"Download base for cloudflared releases (a mirror). The pinned SHA-256 still applies." placeholder:"URL"`
}

// McpdFlags are mcpd's settings of the tunnel scope (root, modes, bash,
// sandbox, log level), declared once in pkg/config: tunnelctl validates
// them with mcpd's loader and passes the given ones through unchanged.
type McpdFlags struct {
	kong.Plugins
	decl  *clix.SettingFlags
	given config.Flags
}

func mcpdFlags() McpdFlags {
	d := clix.NewSettingFlags(config.Tunnel)
	return McpdFlags{Plugins: d.Plugins(), decl: d, given: config.Flags{}}
}

// newCLI builds the command line with the declared flags in place.
func newCLI() *CLI {
	c := &CLI{}
	c.Up.McpdFlags = mcpdFlags()
	return c
}

// UpCmd is `tunnelctl up`.
type UpCmd struct {
	McpdFlags        `embed:""`
	CloudflaredFlags `embed:""`

	TokenFile string `help:"Connector token for mcpd from this file (mode 600, at least 24 bytes); else CODEXPRO_HTTP_TOKEN; else the saved profile's token file; else a fresh one (the URL then changes on every start)." type:"path" placeholder:"FILE"`
	Port      int    `help:"mcpd loopback port (default: a free one)." placeholder:"PORT"`
	Mcpd      string `help:"mcpd binary (default: beside tunnelctl, else on PATH)." placeholder:"PATH"`

	Provider            string        `help:"Who carries the public HTTPS: cloudflare, ngrok (your reserved domain) or tailscale (Funnel on this machine's tailnet name). Default: the saved profile's choice, else cloudflare." placeholder:"NAME"`
	Named               bool          `help:"Cloudflare: use your own named tunnel instead of a quick trycloudflare.com tunnel (default: the saved profile's choice, else quick)."`
	Quick               bool          `help:"Cloudflare: use a quick trycloudflare.com tunnel even when the saved profile names another tunnel."`
	Hostname            string        `help:"Public host: the named tunnel's (mcp.example.com), the reserved ngrok domain (name.ngrok-free.app), or for tailscale this machine's tailnet name, optionally with :8443 or :10000." placeholder:"HOST"`
	TunnelName          string        `help:"Locally-managed named tunnel to run (cloudflared tunnel run NAME)." env:"CLOUDFLARE_TUNNEL_NAME" placeholder:"NAME"`
	CloudflareTokenFile string        `help:"Remotely-managed tunnel token from this file (mode 600); or set CLOUDFLARE_TUNNEL_TOKEN." env:"CLOUDFLARE_TUNNEL_TOKEN_FILE" type:"path" placeholder:"FILE"`
	ReadyTimeout        time.Duration `help:"How long a named tunnel, ngrok or Funnel may take until https://HOST/healthz answers." default:"60s"`
	Ngrok               string        `help:"ngrok binary (default: ngrok on PATH; never downloaded)." env:"NGROK_BIN" placeholder:"PATH"`
	NgrokConfig         string        `help:"ngrok config file passed to ngrok as --config (its authtoken stays there); default: ngrok's own." type:"path" placeholder:"FILE"`
	Tailscale           string        `help:"tailscale binary (default: tailscale on PATH; never downloaded)." env:"TAILSCALE_BIN" placeholder:"PATH"`

	PublicShell bool `name:"i-understand-public-shell" help:"Publish an unconfined shell anyway: --bash full, or --write workspace with bash on and no sandbox. Anyone with the URL can then run any command as you."`

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
type StatusCmd struct {
	JSON bool `name:"json" help:"Print the tunnels as a JSON array (tokens redacted)."`
}

// DownCmd is `tunnelctl down`.
type DownCmd struct {
	Root string `help:"Workspace root whose tunnel to stop (default: current directory)." type:"path" default:"." placeholder:"DIR"`
}

// capture records the mcpd flags the command line gave.
func (f *McpdFlags) capture(kctx *kong.Context) { f.given = f.decl.Given(kctx) }

// root is --root (or CODEXPRO_ROOT, as mcpd reads it), default ".".
func (f McpdFlags) root(getenv func(string) string) string {
	if v := f.given["root"]; len(v) > 0 {
		return v[len(v)-1]
	}
	if r := getenv("CODEXPRO_ROOT"); r != "" {
		return r
	}
	return "."
}

// withRoot is the given flags with the real root and the token file, for
// config.Load and for mcpd's command line.
func (f McpdFlags) withRoot(root, tokenFile string) config.Flags {
	out := config.Flags{}
	for k, v := range f.given {
		out[k] = v
	}
	out["root"] = []string{root}
	if tokenFile != "" {
		out["token-file"] = []string{tokenFile}
	}
	return out
}

// args renders the pass-through flags for mcpd (the token never: it
// travels in mcpd's environment).
func (f McpdFlags) args(root string) []string {
	return clix.Args(f.withRoot(root, ""), f.decl.Settings())
}
