package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"codexpro.dev/pkg/config"
	"codexpro.dev/tunnelctl"
)

// SetupCmd is `tunnelctl setup`: the questions a first connection needs,
// each checked the moment it is answered, saved as the workspace profile
// that `tunnelctl up` and mcpd both read.
type SetupCmd struct {
	Root string `help:"Suggested workspace root (default: current directory)." placeholder:"DIR"`
}

// wizard asks on out and reads answers from in, a line each. It works the
// same on a terminal and with answers piped in.
type wizard struct {
	in  *bufio.Reader
	out io.Writer
}

// ask returns the first answer check accepts, re-asking with the reason
// after a bad one. An empty line takes def. Input that ends before a good
// answer is an error naming the question.
func (w *wizard) ask(question, def string, check func(string) (string, error)) (string, error) {
	for {
		if def != "" {
			fmt.Fprintf(w.out, "%s [%s]: ", question, def)
		} else {
			fmt.Fprintf(w.out, "%s: ", question)
		}
		line, err := w.in.ReadString('\n')
		answer := strings.TrimSpace(line)
		if answer == "" {
			answer = def
		}
		if answer == "" && err != nil {
			fmt.Fprintln(w.out)
			return "", fmt.Errorf("setup stopped: no answer to %q (input ended)", question)
		}
		v, cerr := check(answer)
		if cerr == nil {
			return v, nil
		}
		fmt.Fprintf(w.out, "  %v\n  Try again.\n", cerr)
		if err != nil {
			return "", fmt.Errorf("setup stopped: %q: %w", question, cerr)
		}
	}
}

// Run asks, saves the profile and prints the ChatGPT steps.
func (c *SetupCmd) Run(e env) error {
	w := &wizard{in: bufio.NewReader(e.stdin), out: e.stdout}
	fmt.Fprintln(e.stdout, "CodexPro setup: a few questions, each checked as you answer; an empty line takes the [default].")
	def := c.Root
	if def == "" {
		def = "."
	}
	root, err := w.ask("Workspace root (the project ChatGPT may open)", mustAbs(def), realDir)
	if err != nil {
		return err
	}
	menv := func(k string) (string, bool) {
		if k == "HOME" || k == "CODEXPRO_HOME" {
			v := e.getenv(k)
			return v, v != ""
		}
		return "", false
	}
	store := config.NewProfileStore(e.home)
	p, _, err := store.Load(root)
	if err != nil {
		return err
	}
	given := config.Flags{"root": {root}, "transport": {"stdio"}, config.NoProfile: {"true"}}
	// setting checks one answer with mcpd's own loader, together with the
	// answers before it (write depends on mode).
	setting := func(name string) func(string) (string, error) {
		return func(v string) (string, error) {
			f := config.Flags{}
			for k, x := range given {
				f[k] = x
			}
			f[name] = []string{v}
			s, err := config.Load(f, menv)
			if err != nil {
				return "", err
			}
			if name == "write" && s.WriteMode != strings.ToLower(v) {
				return "", fmt.Errorf("--write=%q: %s mode writes only off or handoff", v, s.Mode)
			}
			given[name] = []string{strings.ToLower(v)}
			return strings.ToLower(v), nil
		}
	}
	if p.Mode, err = w.ask("Mode: agent (ChatGPT edits), handoff or pro (ChatGPT plans, a local agent edits)", or(p.Mode, "agent"), setting("mode")); err != nil {
		return err
	}
	writeDef := "handoff"
	if p.Mode == "agent" {
		writeDef = "workspace"
	}
	if p.Mode != "agent" && p.Write == "workspace" {
		p.Write = ""
	}
	if p.Write, err = w.ask("Write: off, handoff or workspace", or(p.Write, writeDef), setting("write")); err != nil {
		return err
	}
	if p.Bash, err = w.ask("Bash: off, safe (an allow-list) or full (any command)", or(p.Bash, "safe"), setting("bash")); err != nil {
		return err
	}
	s, err := config.Load(given, menv)
	if err != nil {
		return err
	}
	if err := tunnelctl.ExposureOf(s).Check(false); err != nil {
		fmt.Fprintf(e.stdout, "  Note: %v\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	if err := c.askTunnel(w, &p); err != nil {
		return err
	}
	p.Root = root
	if p.TokenFile == "" && p.LegacyToken == "" {
		if p.TokenFile, err = newTokenFile(store, root); err != nil {
			return err
		}
	}
	if _, err := store.Save(p); err != nil {
		return err
	}
	printNextSteps(e.stdout, store.Path(root), root, p)
	return nil
}

// askTunnel asks for the tunnel: a quick Cloudflare tunnel, a named one
// with its hostname and either a locally-managed tunnel name or a token
// file, ngrok with its reserved domain, or Tailscale Funnel.
func (c *SetupCmd) askTunnel(w *wizard, p *config.Profile) error {
	kindDef := "quick"
	switch p.Tunnel {
	case "cloudflare-named":
		kindDef = "named"
	case tunnelctl.ProviderNgrok, tunnelctl.ProviderTailscale:
		kindDef = p.Tunnel
	}
	kind, err := w.ask("Tunnel: quick (random trycloudflare.com URL, new on every start), named (your Cloudflare tunnel), "+
		"ngrok (your reserved ngrok domain) or tailscale (Funnel on this machine's tailnet name); the last three keep a stable URL", kindDef,
		func(v string) (string, error) {
			switch v = strings.ToLower(v); v {
			case "quick", "named", tunnelctl.ProviderNgrok, tunnelctl.ProviderTailscale:
				return v, nil
			}
			return "", fmt.Errorf("tunnel %q: want quick, named, ngrok or tailscale", v)
		})
	if err != nil {
		return err
	}
	if kind != "named" {
		host, config := "", ""
		if kind == tunnelctl.ProviderNgrok && p.Tunnel == tunnelctl.ProviderNgrok {
			host, config = p.Hostname, p.NgrokConfig
		}
		p.Tunnel, p.Hostname, p.TunnelName, p.CloudflareTokenFile, p.NgrokConfig = kind, "", "", "", config
		switch kind {
		case "quick":
			p.Tunnel = "cloudflare"
		case tunnelctl.ProviderNgrok:
			p.Hostname, err = w.ask("Reserved ngrok domain (e.g. name.ngrok-free.app; listed at https://dashboard.ngrok.com/domains)", host, tunnelctl.NormalizeHostname)
		}
		return err
	}
	p.Tunnel = "cloudflare-named"
	if p.Hostname, err = w.ask("Public hostname routed to the tunnel (e.g. mcp.example.com)", p.Hostname, tunnelctl.NormalizeHostname); err != nil {
		return err
	}
	name, err := w.ask("Cloudflare tunnel name (cloudflared tunnel run NAME; \"-\" to use a token file instead)", or(p.TunnelName, "-"), func(v string) (string, error) {
		if v == "-" || tunnelNameRE(v) {
			return v, nil
		}
		return "", fmt.Errorf("tunnel name %q: want letters, digits, dots, dashes or underscores (or - for a token file)", v)
	})
	if err != nil {
		return err
	}
	if name != "-" {
		p.TunnelName, p.CloudflareTokenFile = name, ""
		return nil
	}
	p.TunnelName = ""
	p.CloudflareTokenFile, err = w.ask("File holding the tunnel's token (mode 600)", p.CloudflareTokenFile, func(v string) (string, error) {
		abs, err := filepath.Abs(v)
		if err != nil {
			return "", err
		}
		_, err = tunnelctl.ReadSecretFile(abs, "token file")
		return abs, err
	})
	return err
}

func or(v, d string) string {
	if v != "" {
		return v
	}
	return d
}

func tunnelNameRE(v string) bool {
	if v == "" || len(v) > 128 {
		return false
	}
	for _, r := range v {
		if !(r == '-' || r == '_' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}

func mustAbs(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// newTokenFile gives the workspace a saved connector token (0600), so the
// URL stays the same from one start to the next.
func newTokenFile(store config.ProfileStore, root string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", errors.New("generate a token: " + err.Error())
	}
	return store.WriteToken(root, hex.EncodeToString(b))
}

// printNextSteps ends setup with what to do, exactly.
func printNextSteps(w io.Writer, path, root string, p config.Profile) {
	fmt.Fprintf(w, "\nSaved the setup of %s to %s (token in %s, mode 0600).\n", root, path, p.TokenFile)
	stable := "a quick tunnel: the URL changes on every start, so update the app's Server URL each time"
	switch p.Tunnel {
	case "cloudflare-named":
		stable = "named tunnel https://" + p.Hostname + ": the URL stays the same on every start"
	case tunnelctl.ProviderNgrok:
		stable = "ngrok on https://" + p.Hostname + ": the URL stays the same on every start; ngrok must be installed with its authtoken (ngrok config add-authtoken)"
	case tunnelctl.ProviderTailscale:
		stable = "Tailscale Funnel on this machine's tailnet name: the URL stays the same on every start; tailscale must be installed and up"
	}
	fmt.Fprintf(w, `
Next steps:
  1. Start the tunnel:   tunnelctl up --root %s
     (%s)
  2. In ChatGPT: Settings > Apps & Connectors > Advanced settings: turn on Developer mode.
  3. Settings > Apps & Connectors > Create:
       Name            CodexPro
       Connection      Server URL
       Server URL      the URL tunnelctl up prints (it was copied to the clipboard when possible)
       Authentication  No Authentication (the token is in the URL)
     then Create, and tick "I trust this application".
  4. In a new chat, choose Developer mode > CodexPro, and ask: "Read README.md and summarise it."
`, shellQuoteArg(root), stable)
}

// shellQuoteArg quotes a path for a command the user pastes, when needed.
func shellQuoteArg(s string) string {
	if strings.ContainsAny(s, " \t'\"$`\\!*?[]{}()<>|&;#~") {
		return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	}
	return s
}
