package main

import (
	"github.com/alecthomas/kong"

	"codexpro.dev/cmd/internal/clix"
	"codexpro.dev/pkg/config"
)

// CLI is the mcpd command line: serving is the default command, so plain
// `mcpd --root .` serves.
type CLI struct {
	Serve    ServeCmd    `cmd:"" default:"withargs" help:"Serve the workspace over MCP (the default command)."`
	Settings SettingsCmd `cmd:"" help:"Show, list, save, copy or delete the saved settings (profile) of a workspace."`
	Doctor   DoctorCmd   `cmd:"" help:"Check the set-up (binaries, port, profile, token file, git, cloudflared, Landlock) and say how to fix each problem."`
	Auth     AuthCmd     `cmd:"" help:"List or revoke the clients approved through OAuth (--auth oauth)."`
	Inspect  InspectCmd  `cmd:"" help:"Print the workspace map (languages, project types, entrypoints, important files, areas), as the inspect_workspace tool returns it."`
	Review   ReviewCmd   `cmd:"" help:"Show what changed in the workspace, as the show_changes tool shows it; --since-last shows only what is new since the last review."`

	Completion clix.Completion  `cmd:"" help:"Print the shell completion script (bash, zsh or fish; default your login shell); add eval \"$(mcpd completion)\" to your shell start-up."`
	VersionCmd struct{}         `cmd:"" name:"version" help:"Print the version."`
	Version    kong.VersionFlag `short:"V" help:"Print the version and exit."`
}

// newCLI builds the command line with the declared settings' flags.
func newCLI() *CLI {
	c := &CLI{}
	c.Serve.Declared = declare(config.Serve)
	c.Doctor.Declared = declare(config.Serve)
	c.Settings.Set.Declared = declare(config.Saved)
	return c
}

// Declared embeds the flags of the declared settings of one scope into a
// command. The flags carry no env tags: config.Load reads the CODEXPRO_*
// variables itself, so an invalid value can name both the flag and the
// variable.
type Declared struct {
	kong.Plugins
	decl  *clix.SettingFlags
	given config.Flags
}

func declare(scope config.Scope) Declared {
	d := clix.NewSettingFlags(scope)
	return Declared{Plugins: d.Plugins(), decl: d, given: config.Flags{}}
}

// capture records which of the flags the command line gave.
func (d *Declared) capture(kctx *kong.Context) { d.given = d.decl.Given(kctx) }

// flag is the value given for a setting, "" when it was not given.
func (d *Declared) flag(name string) string {
	v := d.given[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// ServeCmd serves with the settings from flags, CODEXPRO_* variables and the
// workspace profile, in that order.
type ServeCmd struct {
	Declared  `embed:""`
	NoProfile bool `help:"Ignore the workspace's saved profile for this run."`
}

// flags hands the parsed command line to config.Load.
func (c *ServeCmd) flags() config.Flags {
	return withNoProfile(c.given, c.NoProfile)
}

// withNoProfile adds the no-profile switch to a copy of given.
func withNoProfile(given config.Flags, noProfile bool) config.Flags {
	f := config.Flags{}
	for k, v := range given {
		f[k] = v
	}
	if noProfile {
		f[config.NoProfile] = []string{"true"}
	}
	return f
}
