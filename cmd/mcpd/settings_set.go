package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"codexpro.dev/pkg/config"
)

// SettingsSetCmd saves the given settings into the workspace's profile. The
// names are mcpd's own flags; each value is checked as mcpd would check it.
type SettingsSetCmd struct {
	RootFlag `embed:""`

	Host     string `help:"HTTP bind host." placeholder:"HOST"`
	Port     string `help:"HTTP port." placeholder:"PORT"`
	Mode     string `help:"agent, handoff or pro." placeholder:"MODE"`
	Write    string `help:"off, handoff or workspace." placeholder:"MODE"`
	ToolMode string `help:"minimal, standard or full." placeholder:"MODE"`
	Bash     string `help:"off, safe or full." placeholder:"MODE"`

	BashTranscript     string   `help:"compact or full." placeholder:"MODE"`
	BashSession        string   `help:"Session label bash calls must carry." placeholder:"ID"`
	RequireBashSession *bool    `help:"Refuse bash calls without the session label." negatable:""`
	Sandbox            string   `help:"auto, landlock or off." placeholder:"MODE"`
	SandboxNet         *bool    `help:"Let sandboxed children use the network." negatable:""`
	CodexSessions      string   `help:"off, metadata or read." placeholder:"MODE"`
	CodexDir           string   `help:"Codex CLI home." placeholder:"DIR"`
	ToolCards          *bool    `help:"Attach ChatGPT tool-card widgets." negatable:""`
	WidgetDomain       string   `help:"https origin of the tool-card widgets." placeholder:"ORIGIN"`
	Hostname           string   `help:"Public tunnel hostname accepted in the Host header." placeholder:"HOST"`
	AllowRoot          []string `help:"Another allowed root; repeatable; replaces the saved list." placeholder:"DIR" sep:"none"`

	TokenFile string `help:"Use the token in this file (mode 600, at least 24 bytes) on every start." placeholder:"FILE"`
	NewToken  bool   `help:"Generate a fresh token into the profile's token file (0600)."`
}

func (c *SettingsSetCmd) given() bool {
	return c.Host != "" || c.Port != "" || c.Mode != "" || c.Write != "" || c.ToolMode != "" || c.Bash != "" ||
		c.BashTranscript != "" || c.BashSession != "" || c.RequireBashSession != nil || c.Sandbox != "" ||
		c.SandboxNet != nil || c.CodexSessions != "" || c.CodexDir != "" || c.ToolCards != nil ||
		c.WidgetDomain != "" || c.Hostname != "" || c.AllowRoot != nil || c.TokenFile != "" || c.NewToken
}

// check validates the given values with config.Load, so a bad value is
// reported exactly as mcpd would report it (naming the flag). Only HOME and
// CODEXPRO_HOME are passed: ambient CODEXPRO_* variables must neither fail
// nor leak into the saved profile (CodexPro 0.30 persisted them).
func (c *SettingsSetCmd) check(root string, env func(string) (string, bool)) (config.Settings, error) {
	only := func(k string) (string, bool) {
		if k == "HOME" || k == "CODEXPRO_HOME" {
			return env(k)
		}
		return "", false
	}
	s, err := config.Load(config.Flags{
		Root: root, AllowRoots: c.AllowRoot, Transport: "stdio", Host: c.Host, Port: c.Port, TokenFile: c.TokenFile,
		Mode: c.Mode, Write: c.Write, ToolMode: c.ToolMode, Bash: c.Bash,
		BashTranscript: c.BashTranscript, BashSession: c.BashSession, RequireBashSession: c.RequireBashSession,
		Sandbox: c.Sandbox, SandboxNet: c.SandboxNet, CodexSessions: c.CodexSessions, CodexDir: c.CodexDir,
		ToolCards: c.ToolCards, WidgetDomain: c.WidgetDomain, NoProfile: true,
	}, only)
	if err != nil {
		return s, err
	}
	if c.TokenFile != "" && c.NewToken {
		return s, errors.New("--token-file and --new-token both set the token: give one of them")
	}
	if c.Hostname != "" {
		if _, ok := config.NormalizeHostname(c.Hostname); !ok {
			return s, fmt.Errorf("--hostname=%q: want a host name such as my-tunnel.example.com (optionally with :port)", c.Hostname)
		}
	}
	return s, nil
}

// apply copies the given (validated) values into p.
func (c *SettingsSetCmd) apply(p *config.Profile, s config.Settings) {
	set := func(dst *string, given, value string) {
		if given != "" {
			*dst = value
		}
	}
	norm := func(v string) string { return strings.ToLower(strings.TrimSpace(v)) }
	set(&p.Host, c.Host, s.Host)
	set(&p.Port, c.Port, strconv.Itoa(s.Port))
	set(&p.Mode, c.Mode, s.Mode)
	set(&p.Write, c.Write, norm(c.Write))
	set(&p.ToolMode, c.ToolMode, s.ToolMode)
	set(&p.Bash, c.Bash, s.BashMode)
	set(&p.BashTranscript, c.BashTranscript, s.BashTranscript)
	set(&p.BashSession, c.BashSession, s.BashSession)
	set(&p.Sandbox, c.Sandbox, s.Sandbox)
	set(&p.CodexSessions, c.CodexSessions, s.CodexSessions)
	set(&p.CodexDir, c.CodexDir, s.CodexDir)
	set(&p.WidgetDomain, c.WidgetDomain, s.WidgetDomain)
	if c.Hostname != "" {
		p.Hostname, _ = config.NormalizeHostname(c.Hostname)
	}
	for dst, v := range map[**bool]*bool{&p.RequireBashSession: c.RequireBashSession, &p.SandboxNet: c.SandboxNet, &p.ToolCards: c.ToolCards} {
		if v != nil {
			*dst = v
		}
	}
	if c.AllowRoot != nil {
		p.AllowedRoots = s.AllowedRoots[1:]
	}
}

func (a *app) settingsSet(c *SettingsSetCmd) error {
	root, store, err := a.workspaceStore(c.Root)
	if err != nil {
		return err
	}
	p, _, err := store.Load(root)
	if err != nil {
		return err
	}
	if !c.given() {
		if !a.tty {
			return errors.New("give at least one setting to save, for example: mcpd settings set --bash off (see mcpd settings set --help)")
		}
		a.promptSet(c, p)
	}
	s, err := c.check(root, a.env)
	if err != nil {
		return err
	}
	p.Root = root
	c.apply(&p, s)
	if err := setToken(c, &p, store); err != nil {
		return err
	}
	saved, err := store.Save(p)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Saved settings for %s to %s.\nThey apply the next time mcpd starts for this workspace; flags and CODEXPRO_* variables still win.\n", root, store.Path(root))
	fmt.Fprintf(a.stdout, "Token: saved in %s (mode 0600, not shown).\n", saved.TokenFile)
	return nil
}

// setToken points the profile at a token file: the one given, a fresh one
// when asked, or a fresh one when the profile has none yet, so the connector
// and admin URLs stay the same from one start to the next.
func setToken(c *SettingsSetCmd, p *config.Profile, store config.ProfileStore) error {
	switch {
	case c.TokenFile != "":
		abs, err := filepath.Abs(c.TokenFile)
		if err != nil {
			return fmt.Errorf("--token-file %s: %w", c.TokenFile, err)
		}
		p.TokenFile, p.LegacyToken = abs, ""
		return nil
	case !c.NewToken && (p.TokenFile != "" || p.LegacyToken != ""):
		return nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("generate a token: %w", err)
	}
	path, err := store.WriteToken(p.Root, hex.EncodeToString(b))
	if err != nil {
		return err
	}
	p.TokenFile, p.LegacyToken = path, ""
	return nil
}

func (a *app) settingsUse(c *SettingsUseCmd) error {
	root, store, err := a.workspaceStore(c.Root)
	if err != nil {
		return err
	}
	from := c.FromRoot
	if from == "" {
		if !a.tty {
			return errors.New("use --from-root DIR in non-interactive shells")
		}
		if from, err = a.pickProfile(store, root); err != nil || from == "" {
			return err
		}
	}
	fromRoot, _, err := a.workspaceStore(from)
	if err != nil {
		return fmt.Errorf("--from-root: %w", err)
	}
	src, ok, err := store.Load(fromRoot)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("--from-root %s: no saved settings for that workspace (see mcpd settings list)", fromRoot)
	}
	// Copy the choices, not the identity: this root gets its own token,
	// and allowed roots stay per workspace.
	src.Root, src.AllowedRoots, src.TokenFile, src.LegacyToken = root, nil, "", ""
	if err := setToken(&SettingsSetCmd{}, &src, store); err != nil {
		return err
	}
	if _, err := store.Save(src); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "Copied the settings of %s to %s (%s), with a new token.\n", fromRoot, root, store.Path(root))
	return nil
}
