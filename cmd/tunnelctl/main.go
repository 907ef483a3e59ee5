// Command tunnelctl exposes mcpd on public HTTPS through a supervised
// tunnel (Cloudflare, ngrok or Tailscale Funnel): it finds the provider's
// program (installing only cloudflared), starts mcpd and the tunnel, prints
// the ChatGPT connector URL and restarts either when it dies.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"codexpro.dev/cmd/internal/clix"

	"github.com/alecthomas/kong"
	"github.com/rs/zerolog"

	"codexpro.dev/pkg/config"
	"codexpro.dev/pkg/tty"
	"codexpro.dev/tunnelctl"
)

const (
	exitOK    = 0
	exitError = 1
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv, os.Stdin)
	stop()
	os.Exit(code)
}

// env is everything a command needs from the outside world.
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	log            zerolog.Logger
	home           string
}

// VersionFlag prints the build version.
type VersionFlag = kong.VersionFlag

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string, stdin io.Reader) (code int) {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	cli := newCLI()
	kctx, code, exited, err := clix.Parse(cli, args, kong.Name("tunnelctl"),
		kong.Description("Expose mcpd on public HTTPS through a supervised tunnel: Cloudflare, ngrok or Tailscale Funnel."),
		kong.UsageOnError(), kong.Vars{"version": version()}, kong.Writers(stdout, stderr))
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "tunnelctl: %v\n", err)
		return exitError
	case exited:
		return code
	}
	cli.Up.capture(kctx)
	home, err := tunnelctl.Home(getenv)
	if err != nil {
		return fail(stderr, err)
	}
	e := env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, log: newLogger(stderr), home: home}
	if err := kctx.Run(e); err != nil && !errors.Is(err, context.Canceled) {
		return fail(stderr, err)
	}
	return exitOK
}

func fail(stderr io.Writer, err error) int {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(stderr, "tunnelctl: %s\n", line)
	}
	return exitError
}

// newLogger writes readable lines to a terminal and JSON otherwise.
func newLogger(w io.Writer) zerolog.Logger {
	if tty.IsTerminal(w) {
		w = zerolog.ConsoleWriter{Out: w, TimeFormat: time.TimeOnly}
	}
	return zerolog.New(w).With().Timestamp().Logger()
}

// Run starts the tunnel and supervises it until Ctrl+C.
func (c *UpCmd) Run(e env) error {
	o, err := c.options(e)
	if err != nil {
		return err
	}
	// On a terminal, single keys (c, o, s, q) act at once: raw mode, with
	// output turned back into whole lines.
	if in, ok := e.stdin.(*os.File); ok && !c.Headless && tty.IsTerminal(in) && tty.IsTerminal(e.stdout) {
		if restore, err := tty.Raw(in); err == nil {
			defer restore()
			o.Keys, o.Stdout = in, tty.CRLF(e.stdout)
			o.Log = o.Log.Output(zerolog.ConsoleWriter{Out: tty.CRLF(e.stderr), TimeFormat: time.TimeOnly})
		}
	}
	return tunnelctl.Up(e.ctx, o)
}

func (c *UpCmd) options(e env) (tunnelctl.Options, error) {
	if c.NoAuth {
		return tunnelctl.Options{}, errors.New("--no-auth is refused: a public tunnel always needs a token")
	}
	if c.CloudflareToken != "" {
		return tunnelctl.Options{}, errors.New("--cloudflare-token is refused: a token on the command line is visible to every local user; use --cloudflare-token-file FILE (mode 600) or CLOUDFLARE_TUNNEL_TOKEN")
	}
	root, err := realDir(c.root(e.getenv))
	if err != nil {
		return tunnelctl.Options{}, err
	}
	// mcpd's own loader validates every mode, the profile and the token
	// (flag, variable, profile token file, else a fresh one) before
	// anything starts, with mcpd's own messages.
	s, err := tunnelctl.McpdSettings(c.withRoot(root, c.TokenFile), e.getenv)
	if err != nil {
		return tunnelctl.Options{}, err
	}
	x := tunnelctl.ExposureOf(s)
	if err := x.Check(c.PublicShell); err != nil {
		return tunnelctl.Options{}, err
	}
	if err := c.useProfileTunnel(s); err != nil {
		return tunnelctl.Options{}, err
	}
	if err := c.dropCloudflareVariables(e.getenv); err != nil {
		return tunnelctl.Options{}, err
	}
	if c.Port != 0 {
		if err := tunnelctl.PortFree(c.Port); err != nil {
			return tunnelctl.Options{}, err
		}
	}
	o := tunnelctl.Options{Root: root, McpdArgs: c.McpdFlags.args(root), Port: c.Port,
		Token: s.Token, TokenSource: s.TokenSource, Exposure: x,
		Provider: c.Provider, NgrokBin: c.Ngrok, NgrokConfig: c.NgrokConfig, TailscaleBin: c.Tailscale, BinFrom: binFrom(c, e.getenv),
		Resolver: c.CloudflaredFlags.resolver(e), Named: c.Named, TunnelName: c.TunnelName,
		ReadyTimeout: c.ReadyTimeout, Headless: c.Headless, CopyURL: !c.NoCopyURL,
		Home: e.home, Stdout: e.stdout, Log: e.log}
	if o.McpdBin, err = findMcpd(c.Mcpd); err != nil {
		return o, err
	}
	if c.Hostname != "" {
		if o.Hostname, err = tunnelctl.NormalizeHostname(c.Hostname); err != nil {
			return o, err
		}
	}
	if o.Provider != "" && o.Provider != tunnelctl.ProviderCloudflare {
		return o, nil // Cloudflare's variables are not for another provider; its flags are refused by Up
	}
	o.TunnelToken, err = tunnelToken(c.CloudflareTokenFile, e.getenv)
	return o, err
}

// useProfileTunnel fills the tunnel choice from the saved profile (as
// `tunnelctl setup` or CodexPro 0.30 wrote it) where no flag chose: the
// provider, and that provider's hostname and files. Flags always win, and
// a profile made for another provider lends nothing.
func (c *UpCmd) useProfileTunnel(s config.Settings) error {
	if c.Quick && c.Named {
		return errors.New("--quick and --named contradict each other: pass one")
	}
	c.Provider = strings.ToLower(strings.TrimSpace(c.Provider))
	if (c.Quick || c.Named) && c.Provider != "" && c.Provider != tunnelctl.ProviderCloudflare {
		return fmt.Errorf("--quick and --named choose a Cloudflare tunnel, not --provider %s: drop one of them", c.Provider)
	}
	if c.Quick || c.Named {
		c.Provider = tunnelctl.ProviderCloudflare
	}
	if c.Quick || s.ProfilePath == "" {
		return nil
	}
	p, ok, err := config.NewProfileStore(s.Home).Load(s.Root)
	if err != nil || !ok {
		return err
	}
	saved, named := "", false
	switch p.Tunnel {
	case "", "cloudflare", "none":
	case "cloudflare-named":
		saved, named = tunnelctl.ProviderCloudflare, true
	case tunnelctl.ProviderNgrok, tunnelctl.ProviderTailscale:
		saved = p.Tunnel
	default:
		return fmt.Errorf("the saved profile %s chooses the %s tunnel, which tunnelctl does not run: choose another with tunnelctl setup, or pass --provider", s.ProfilePath, p.Tunnel)
	}
	if c.Provider == "" {
		c.Provider = saved
	}
	if saved == "" || c.Provider != saved {
		return nil
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&c.Hostname, p.Hostname)
	switch saved {
	case tunnelctl.ProviderNgrok:
		fill(&c.NgrokConfig, p.NgrokConfig)
	case tunnelctl.ProviderCloudflare:
		c.Named = named
		if c.TunnelName == "" && c.CloudflareTokenFile == "" {
			fill(&c.TunnelName, p.TunnelName)
			fill(&c.CloudflareTokenFile, p.CloudflareTokenFile)
		}
	}
	return nil
}

// dropCloudflareVariables forgets the Cloudflare settings that came from
// CLOUDFLARE_TUNNEL_* variables when another provider runs: a variable set
// for Cloudflare must not make an ngrok or Tailscale run fail, while the
// same setting given as a flag is a mistake, refused here or by Up.
func (c *UpCmd) dropCloudflareVariables(getenv func(string) string) error {
	if c.Provider == "" || c.Provider == tunnelctl.ProviderCloudflare {
		return nil
	}
	if c.TunnelName != "" && c.TunnelName == getenv("CLOUDFLARE_TUNNEL_NAME") {
		c.TunnelName = ""
	}
	if c.CloudflareTokenFile != "" {
		if env, err := filepath.Abs(getenv("CLOUDFLARE_TUNNEL_TOKEN_FILE")); err != nil || env != c.CloudflareTokenFile {
			return fmt.Errorf("--cloudflare-token-file is for --provider cloudflare, not %s: drop it or choose that provider", c.Provider)
		}
		c.CloudflareTokenFile = ""
	}
	return nil
}

// binFrom names NGROK_BIN or TAILSCALE_BIN when the binary of the chosen
// provider came from that variable rather than its flag.
func binFrom(c *UpCmd, getenv func(string) string) string {
	switch {
	case c.Provider == tunnelctl.ProviderNgrok && c.Ngrok != "" && c.Ngrok == getenv("NGROK_BIN"):
		return "NGROK_BIN"
	case c.Provider == tunnelctl.ProviderTailscale && c.Tailscale != "" && c.Tailscale == getenv("TAILSCALE_BIN"):
		return "TAILSCALE_BIN"
	}
	return ""
}

func tunnelToken(file string, getenv func(string) string) (string, error) {
	if file != "" {
		return tunnelctl.ReadSecretFile(file, "--cloudflare-token-file")
	}
	return strings.TrimSpace(getenv("CLOUDFLARE_TUNNEL_TOKEN")), nil
}

func realDir(p string) (string, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", fmt.Errorf("--root %s: %w", p, err)
	}
	if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("--root %s: not a directory", p)
	}
	return filepath.Abs(real)
}

// findMcpd prefers the mcpd built beside tunnelctl, so `make build` output works together.
func findMcpd(flag string) (string, error) {
	if flag != "" {
		if _, err := os.Stat(flag); err != nil {
			return "", fmt.Errorf("--mcpd %s: %w", flag, err)
		}
		return filepath.Abs(flag)
	}
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), "mcpd")
		if _, err := os.Stat(beside); err == nil {
			return beside, nil
		}
	}
	p, err := exec.LookPath("mcpd")
	if err != nil {
		return "", errors.New("mcpd was not found beside tunnelctl or on PATH: run make build, or pass --mcpd PATH")
	}
	return p, nil
}

func (f CloudflaredFlags) resolver(e env) tunnelctl.Resolver {
	name := "--cloudflared"
	if f.Cloudflared != "" && f.Cloudflared == e.getenv("CLOUDFLARED_BIN") {
		name = "CLOUDFLARED_BIN"
	}
	return tunnelctl.Resolver{Explicit: f.Cloudflared, ExplicitName: name,
		ForceInstall: f.InstallCloudflared, NoInstall: f.NoInstallCloudflared, Log: e.log,
		Installer: tunnelctl.Installer{BinDir: filepath.Join(e.home, "bin"), BaseURL: f.ReleaseBaseURL, Log: e.log}}
}

// Run installs the pinned cloudflared.
func (c *InstallCmd) Run(e env) error {
	in := tunnelctl.Installer{BinDir: filepath.Join(e.home, "bin"), BaseURL: c.ReleaseBaseURL, Log: e.log}
	p, err := in.Install(e.ctx)
	if err != nil {
		return err
	}
	v, err := tunnelctl.CheckVersion(e.ctx, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "installed %s (%s)\n", p, v)
	return nil
}

// Run prints the live state of every tunnel.
func (c *StatusCmd) Run(e env) error {
	if c.JSON {
		return tunnelctl.StatusJSON(e.ctx, e.stdout, e.home)
	}
	return tunnelctl.Status(e.ctx, e.stdout, e.home, time.Now())
}

// Run stops the tunnel of one workspace.
func (c *DownCmd) Run(e env) error {
	root, err := realDir(c.Root)
	if err != nil {
		return err
	}
	if err := tunnelctl.Down(e.ctx, e.home, root); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "stopped the tunnel for %s\n", root)
	return nil
}

func version() string { return clix.Version() }
