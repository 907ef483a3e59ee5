package main

import (
	"codexpro.dev/cmd/internal/clix"
	"github.com/alecthomas/kong"

	"codexpro.dev/pkg/config"
)

// CLI is the mcpd command line: serving is the default command, so plain
// `mcpd --root .` serves.
type CLI struct {
	Serve    ServeCmd    `cmd:"" default:"withargs" help:"Serve the workspace over MCP (the default command)."`
	Settings SettingsCmd `cmd:"" help:"Show, list, save, copy or delete the saved settings (profile) of a workspace."`
	Doctor   DoctorCmd   `cmd:"" help:"Check the set-up (binaries, port, profile, token file, git, cloudflared, Landlock) and say how to fix each problem."`

	Completion clix.Completion  `cmd:"" help:"Print the shell completion script for your login shell (bash, zsh or fish); add eval \"$(mcpd completion)\" to your shell start-up."`
	Version    kong.VersionFlag `help:"Print the version and exit."`
}

// ServeCmd serves with the settings from flags, CODEXPRO_* variables and the
// workspace profile, in that order.
type ServeCmd struct {
	ServeFlags `embed:""`
	NoProfile  bool `help:"Ignore the workspace's saved profile for this run."`
}

// ServeFlags are the settings' flags. Fields carry no env tags: config.Load
// reads the CODEXPRO_* variables itself so an invalid value can name both
// the flag and the variable. Empty strings and nil pointers mean "not given".
type ServeFlags struct {
	Root      string   `help:"Default workspace root (CODEXPRO_ROOT; default: current directory)." placeholder:"DIR"`
	AllowRoot []string `help:"Another directory whose subdirectories may be opened as workspaces; repeatable (CODEXPRO_ALLOWED_ROOTS, ':'-separated)." placeholder:"DIR" sep:"none"`
	AllowHome bool     `help:"Allow workspaces anywhere under your home directory (CODEXPRO_ALLOW_HOME=1)."`

	Transport string `help:"http or stdio (CODEXPRO_TRANSPORT; default http)." placeholder:"http|stdio"`
	Host      string `help:"HTTP bind host; anything but loopback requires a token (CODEXPRO_HOST; default 127.0.0.1)." placeholder:"HOST"`
	Port      string `help:"HTTP port, 0 picks a free one (CODEXPRO_PORT; default 8787)." placeholder:"PORT"`
	TokenFile string `help:"Read the bearer token from this file (mode 600, at least 24 bytes); or set CODEXPRO_HTTP_TOKEN." placeholder:"FILE"`
	NoAuth    bool   `help:"Serve HTTP without a token; loopback hosts only."`

	Mode     string `help:"agent, handoff or pro (CODEXPRO_MODE; default agent)." placeholder:"MODE"`
	Write    string `help:"off, handoff or workspace; handoff/pro modes allow only off or handoff (CODEXPRO_WRITE_MODE)." placeholder:"MODE"`
	ToolMode string `help:"minimal, standard or full (CODEXPRO_TOOL_MODE; default standard)." placeholder:"MODE"`
	Bash     string `help:"off, safe or full (CODEXPRO_BASH_MODE; default safe)." placeholder:"MODE"`
	NoBash   bool   `help:"Same as --bash off."`

	BashTranscript     string `help:"compact or full bash result text (CODEXPRO_BASH_TRANSCRIPT; default compact)." placeholder:"MODE"`
	BashSession        string `help:"Session label that bash calls must carry (CODEXPRO_BASH_SESSION_ID)." placeholder:"ID"`
	RequireBashSession *bool  `help:"Refuse bash calls without the session label (CODEXPRO_REQUIRE_BASH_SESSION)." negatable:""`
	Sandbox            string `help:"auto, landlock or off: confinement of child processes (CODEXPRO_SANDBOX; default auto)." placeholder:"MODE"`
	SandboxNet         *bool  `help:"Let sandboxed child processes use the network (CODEXPRO_SANDBOX_NET; default off)." negatable:""`

	ConnectionTest *bool  `help:"Read-only connector check: writes and bash off, request logging on (CODEXPRO_CONNECTION_TEST)." negatable:""`
	ToolCards      *bool  `help:"Attach ChatGPT tool-card widgets to results (CODEXPRO_TOOL_CARDS)." negatable:""`
	CodexSessions  string `help:"off, metadata or read: expose local Codex CLI sessions (CODEXPRO_CODEX_SESSIONS; default off)." placeholder:"MODE"`
	CodexDir       string `help:"Codex CLI home (CODEXPRO_CODEX_DIR; default ~/.codex)." placeholder:"DIR"`
	WidgetDomain   string `help:"https origin of the tool-card widgets (CODEXPRO_WIDGET_DOMAIN)." placeholder:"ORIGIN"`
	LogLevel       string `help:"trace, debug, info, warn or error (CODEXPRO_LOG_LEVEL; default info)." placeholder:"LEVEL"`
}

// flags hands the parsed command line to config.Load.
func (c *ServeFlags) flags() config.Flags {
	return config.Flags{
		Root: c.Root, AllowRoots: c.AllowRoot, AllowHome: c.AllowHome,
		Transport: c.Transport, Host: c.Host, Port: c.Port, TokenFile: c.TokenFile, NoAuth: c.NoAuth,
		Mode: c.Mode, Write: c.Write, ToolMode: c.ToolMode, Bash: c.Bash, NoBash: c.NoBash,
		BashTranscript: c.BashTranscript, BashSession: c.BashSession, RequireBashSession: c.RequireBashSession,
		Sandbox: c.Sandbox, SandboxNet: c.SandboxNet,
		ConnectionTest: c.ConnectionTest, ToolCards: c.ToolCards,
		CodexSessions: c.CodexSessions, CodexDir: c.CodexDir,
		WidgetDomain: c.WidgetDomain, LogLevel: c.LogLevel,
	}
}
