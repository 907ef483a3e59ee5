package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/alecthomas/kong"

	"codexpro.dev/cmd/internal/clix"
	"codexpro.dev/handoff"
	"codexpro.dev/pkg/config"
)

// CLI is the handoff command line.
type CLI struct {
	Execute    ExecuteCmd       `cmd:"" aliases:"execute-handoff,run-handoff" help:"Run the agent once on the current plan."`
	Watch      WatchCmd         `cmd:"" aliases:"watch-handoff" help:"Run the agent whenever a new plan is written."`
	Loop       LoopCmd          `cmd:"" aliases:"loop-handoff" help:"Run executor, tests and reviewer until the reviewer passes the work."`
	Plugins    PluginsCmd       `cmd:"" help:"List, trust or untrust agent adapter plugins."`
	ProBundle  ProBundleCmd     `cmd:"" name:"pro-bundle" aliases:"bundle" help:"Write .ai-bridge/pro-context.md (as export_pro_context does) for a ChatGPT Pro conversation; --copy puts it on the clipboard."`
	ProApply   ProApplyCmd      `cmd:"" name:"pro-apply" aliases:"apply" help:"Write ChatGPT Pro's plan (--file or --stdin) to .ai-bridge/current-plan.md, ready for handoff execute or loop."`
	Completion clix.Completion  `cmd:"" help:"Print the shell completion script: handoff completion bash|zsh|fish (default: $SHELL); add eval \"$(handoff completion zsh)\" to your shell start-up."`
	Version    kong.VersionFlag `short:"V" help:"Print the version."`
}

// ioSet is bound into every command.
type ioSet handoff.IO

// CommonFlags are execute's flags, shared by watch and loop.
type CommonFlags struct {
	Root           string   `type:"path" placeholder:"DIR" help:"Workspace root (CODEXPRO_ROOT; default: the current directory)."`
	Agent          string   `placeholder:"NAME" help:"Agent adapter: codex, opencode, pi, custom, or a trusted plugin (default ${default_agent}; custom with --command)."`
	Model          string   `env:"CODEXPRO_AGENT_MODEL" help:"Model passed to the agent."`
	Command        string   `placeholder:"TEMPLATE" help:"Custom agent argv template; wins over --agent. Placeholders {{plan_file}} {{plan_text}} {{model}} {{root}} are substituted inside each argument after splitting, never through a shell."`
	DryRun         bool     `help:"Print the exact commands and change nothing."`
	Yes            bool     `short:"y" aliases:"force,no-confirm" help:"Do not ask for confirmation."`
	TimeoutMs      int64    `aliases:"timeout" default:"600000" help:"Agent timeout in ms (1000-86400000); the whole process tree is killed."`
	MaxOutputBytes string   `placeholder:"BYTES" help:"Output kept per stream, 4000-2000000 (CODEXPRO_MAX_OUTPUT_BYTES; default 120000)."`
	MaxReadBytes   string   `hidden:"" help:"Largest plan accepted (CODEXPRO_MAX_READ_BYTES)."`
	ContextDir     string   `placeholder:"DIR" help:"Context directory (CODEXPRO_CONTEXT_DIR; default .ai-bridge)."`
	InheritEnv     *bool    `negatable:"" help:"Give agents, tests and reviewers handoff's whole environment (CODEXPRO_INHERIT_ENV; default: a scrubbed one)."`
	Env            []string `name:"env" placeholder:"NAME" help:"Pass this environment variable to agents, tests and reviewers (repeatable), e.g. --env OPENAI_API_KEY."`
	Sandbox        string   `placeholder:"MODE" help:"Confine the executor: auto (what this OS has), landlock (Linux), seatbelt (macOS) or off (CODEXPRO_SANDBOX; default auto, as mcpd)."`
	SandboxNet     *bool    `negatable:"" help:"Let a confined executor open network connections (CODEXPRO_SANDBOX_NET)."`
	SandboxRead    []string `type:"path" placeholder:"DIR" help:"Extra directory a confined executor may read (repeatable)."`
	SandboxWrite   []string `type:"path" placeholder:"DIR" help:"Extra directory a confined executor may write, e.g. ~/.codex (repeatable)."`
	JSON           bool     `name:"json" help:"Emit one JSON event per line on stdout."`
	BlockedGlobs   []string `sep:"," placeholder:"GLOB" help:"Extra blocked globs kept out of the implementation diff, added to the built-in list (CODEXPRO_BLOCKED_GLOBS)."`
	Home           string   `hidden:"" help:"CodexPro home (CODEXPRO_HOME; default ~/.codexpro)."`
}

// options reads the settings handoff shares with mcpd through pkg/config
// (the same variables, parser and defaults: CODEXPRO_INHERIT_ENV=on works,
// 0x50 is refused, --sandbox defaults to auto), the flags winning.
func (c *CommonFlags) options() (handoff.Options, error) {
	given := config.Flags{}
	for name, v := range map[string]string{"root": c.Root, "max-output-bytes": c.MaxOutputBytes,
		"max-read-bytes": c.MaxReadBytes, "context-dir": c.ContextDir, "sandbox": c.Sandbox, "home": c.Home} {
		if v != "" {
			given[name] = []string{v}
		}
	}
	for name, b := range map[string]*bool{"inherit-env": c.InheritEnv, "sandbox-net": c.SandboxNet} {
		if b != nil {
			given[name] = []string{strconv.FormatBool(*b)}
		}
	}
	if c.BlockedGlobs != nil {
		given["blocked-globs"] = c.BlockedGlobs
	}
	s, err := config.LoadShared(given, os.LookupEnv)
	if err != nil {
		return handoff.Options{}, exitCode{2, err}
	}
	return handoff.Options{
		Root: s.Root, ContextDir: s.ContextDir, Agent: c.Agent, Model: c.Model, Command: c.Command,
		DryRun: c.DryRun, Yes: c.Yes, Timeout: ms(c.TimeoutMs), MaxOutputBytes: int(s.MaxOutputBytes),
		MaxReadBytes: s.MaxReadBytes, InheritEnv: s.InheritEnv, PassEnv: c.Env, Sandbox: s.Sandbox,
		SandboxNet: s.SandboxNet, SandboxRead: c.SandboxRead, SandboxWrite: c.SandboxWrite, JSON: c.JSON, BlockedGlobs: s.BlockedGlobs, Home: s.Home,
	}, nil
}

func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// ExecuteCmd is `handoff execute`.
type ExecuteCmd struct {
	CommonFlags `embed:""`
}

// Run executes the plan once; the exit code is the agent's.
func (c *ExecuteCmd) Run(ctx context.Context, io *ioSet) error {
	o, err := c.options()
	if err != nil {
		return err
	}
	code, err := handoff.Execute(ctx, o, handoff.IO(*io))
	return exitCode{code, err}
}

// WatchCmd is `handoff watch`.
type WatchCmd struct {
	CommonFlags    `embed:""`
	Once           bool   `help:"Handle the current plan once and exit."`
	PollIntervalMs int64  `aliases:"poll-interval" default:"2000" help:"Poll interval in ms (250-60000)."`
	DebounceMs     int64  `default:"500" help:"The plan must stay unchanged this long before it runs (0-30000 ms)."`
	StateFile      string `placeholder:"FILE" help:"Watcher state file, relative to the root (default <context-dir>/watch-handoff-state.json)."`
}

// Run watches the plan.
func (c *WatchCmd) Run(ctx context.Context, io *ioSet) error {
	o, err := c.options()
	if err != nil {
		return err
	}
	code, err := handoff.Watch(ctx, handoff.WatchOptions{Options: o, Once: c.Once,
		PollInterval: ms(c.PollIntervalMs), Debounce: ms(c.DebounceMs), StateFile: c.StateFile}, handoff.IO(*io))
	return exitCode{code, err}
}

// LoopCmd is `handoff loop`.
type LoopCmd struct {
	CommonFlags                `embed:""`
	Reviewer                   string `required:"" aliases:"review-command" placeholder:"TEMPLATE" help:"Reviewer argv template. It passes the work by printing CODEXPRO_REVIEW=PASS (or FAIL) as its last such stdout line, or by writing PASS/FAIL to $HANDOFF_VERDICT_FILE; to ask for another iteration it rewrites the plan."`
	RunTests                   string `placeholder:"TEMPLATE" help:"Test argv template run after the executor."`
	MaxIters                   int    `aliases:"max-iterations" default:"3" help:"Iterations (1-25)."`
	ReviewTimeoutMs            int64  `default:"600000" help:"Reviewer timeout in ms."`
	TestTimeoutMs              int64  `default:"600000" help:"Test timeout in ms."`
	RequireHumanConfirmation   bool   `help:"Ask on the terminal before every follow-up plan (refused without a terminal)."`
	AllowReviewPassOnFailure   bool   `help:"Accept a PASS after a failed executor or failed tests."`
	AllowImplicitReviewVerdict bool   `help:"Infer a verdict when the reviewer gives none."`
	RequireCleanGitStart       bool   `help:"Refuse to start when the workspace has changes outside the context directory."`
	StopIfNoFilesChanged       bool   `help:"Stop with FAIL when an iteration changes no file."`
	StopIfSameDiff             bool   `help:"Stop with FAIL when an iteration ends in the same state as the previous one."`
}

// Run runs the loop; the exit code is 0 only for PASS.
func (c *LoopCmd) Run(ctx context.Context, io *ioSet) error {
	o, err := c.options()
	if err != nil {
		return err
	}
	res, err := handoff.Loop(ctx, handoff.LoopOptions{
		Options: o, Reviewer: c.Reviewer, Tests: c.RunTests, MaxIters: c.MaxIters,
		ReviewTimeout: ms(c.ReviewTimeoutMs), TestTimeout: ms(c.TestTimeoutMs),
		RequireHumanConfirmation: c.RequireHumanConfirmation, AllowReviewPassOnFailure: c.AllowReviewPassOnFailure,
		AllowImplicitReviewVerdict: c.AllowImplicitReviewVerdict, RequireCleanGitStart: c.RequireCleanGitStart,
		StopIfNoFilesChanged: c.StopIfNoFilesChanged, StopIfSameDiff: c.StopIfSameDiff,
	}, handoff.IO(*io))
	switch {
	case err != nil:
		return exitCode{1, err}
	case res.Verdict == "PASS" || (res.Verdict == "" && c.DryRun):
		return nil
	case res.Verdict == "":
		return nil // cancelled at the confirmation prompt
	}
	return exitCode{1, nil}
}

// PluginsCmd manages adapter plugins.
type PluginsCmd struct {
	List    PluginsListCmd    `cmd:"" default:"1" help:"List built-in and third-party adapters and their trust status."`
	Trust   PluginsTrustCmd   `cmd:"" help:"Pin the SHA-256 of a third-party adapter in $CODEXPRO_HOME/plugins so it may run."`
	Untrust PluginsUntrustCmd `cmd:"" help:"Remove a pin."`
	Home    string            `hidden:"" help:"CodexPro home (CODEXPRO_HOME; default ~/.codexpro)."`
}

// home is --home, else CODEXPRO_HOME read as mcpd reads it (~ expands),
// else ~/.codexpro.
func (p *PluginsCmd) home() (string, error) {
	if p.Home != "" {
		return p.Home, nil
	}
	return config.HomeOf(os.LookupEnv)
}

// PluginsListCmd is `handoff plugins list`.
type PluginsListCmd struct {
	JSON bool `name:"json" help:"Print JSON."`
}

// Run lists plugins.
func (c *PluginsListCmd) Run(p *PluginsCmd, io *ioSet) error {
	home, err := p.home()
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate the handoff binary: %w", err)
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	list, err := handoff.ListPlugins(filepath.Dir(exe), home)
	if err != nil {
		return err
	}
	return printPlugins(io.Stdout, list, c.JSON)
}

func printPlugins(w io.Writer, list []handoff.PluginInfo, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(list)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tSTATUS\tPATH")
	for _, pi := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", pi.Name, pi.Kind, pi.Status, pi.Path)
	}
	return tw.Flush()
}

// PluginsTrustCmd is `handoff plugins trust`.
type PluginsTrustCmd struct {
	Name   string `arg:"" help:"Plugin name (the binary is $CODEXPRO_HOME/plugins/handoff-agent-<name>)."`
	SHA256 string `name:"sha256" placeholder:"HEX" help:"Refuse unless the binary has this SHA-256 (e.g. the one its author published)."`
}

// Run pins the plugin.
func (c *PluginsTrustCmd) Run(p *PluginsCmd, io *ioSet) error {
	home, err := p.home()
	if err != nil {
		return err
	}
	pin, err := handoff.TrustPlugin(home, c.Name, c.SHA256, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "trusted %s\n  path:   %s\n  sha256: %s\nhandoff will refuse it again if the binary changes.\n", c.Name, pin.Path, pin.SHA256)
	return nil
}

// PluginsUntrustCmd is `handoff plugins untrust`.
type PluginsUntrustCmd struct {
	Name string `arg:"" help:"Plugin name."`
}

// Run removes the pin.
func (c *PluginsUntrustCmd) Run(p *PluginsCmd, io *ioSet) error {
	home, err := p.home()
	if err != nil {
		return err
	}
	if err := handoff.UntrustPlugin(home, c.Name); err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "untrusted %s\n", c.Name)
	return nil
}
