package handoff

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/sandbox"
)

// Limits of the numeric settings (CodexPro 0.30's clamps; we refuse values
// outside them instead of silently changing them).
const (
	DefaultTimeout        = 10 * time.Minute
	MinTimeout            = time.Second
	MaxTimeout            = 24 * time.Hour
	DefaultMaxOutputBytes = 120000
	MinMaxOutputBytes     = 4000
	MaxMaxOutputBytes     = 2000000
	DefaultMaxReadBytes   = 180000
	DefaultMaxIters       = 3
	MaxMaxIters           = 25
	// maxArgBytes is below Linux's per-argument limit (MAX_ARG_STRLEN,
	// 128 KiB): a longer {{plan_text}} would fail with E2BIG at exec.
	maxArgBytes = 128<<10 - 1
)

// Options are the settings shared by execute, watch and loop.
type Options struct {
	Root           string // workspace; default the current directory
	ContextDir     string // default .ai-bridge
	Agent          string // codex | opencode | pi | custom | a trusted plugin name
	Model          string
	Command        string // custom argv template; wins over Agent
	DryRun         bool
	Yes            bool
	Timeout        time.Duration
	MaxOutputBytes int
	MaxReadBytes   int64
	InheritEnv     bool     // give agents the whole environment
	PassEnv        []string // names of variables to pass on top of the scrubbed set
	Sandbox        string   // off | auto | landlock | seatbelt, for the executor
	SandboxNet     bool
	SandboxRead    []string // extra read-only trees for a confined executor
	SandboxWrite   []string // extra writable trees (agent state such as ~/.codex)
	JSON           bool     // one JSON event per line on stdout
	BlockedGlobs   []string // CODEXPRO_BLOCKED_GLOBS: kept out of the implementation diff
	Home           string   // CODEXPRO_HOME; default ~/.codexpro
	BuiltinDir     string   // where built-in adapters live; default beside the executable
}

func (o *Options) normalize() error {
	if o.Agent == "" {
		o.Agent = bridge.DefaultAgent
		if o.Command != "" {
			o.Agent = bridge.CustomAgent
		}
	}
	agent, err := bridge.ValidateAgentID(o.Agent)
	if err != nil {
		return fmt.Errorf("--agent: %w", err)
	}
	o.Agent = agent
	if agent == bridge.CustomAgent && o.Command == "" {
		return fmt.Errorf("--agent custom requires --command <template>")
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Timeout < MinTimeout || o.Timeout > MaxTimeout {
		return fmt.Errorf("--timeout-ms %d: must be between %d and %d", o.Timeout.Milliseconds(), MinTimeout.Milliseconds(), MaxTimeout.Milliseconds())
	}
	if o.MaxOutputBytes == 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if o.MaxOutputBytes < MinMaxOutputBytes || o.MaxOutputBytes > MaxMaxOutputBytes {
		return fmt.Errorf("--max-output-bytes (CODEXPRO_MAX_OUTPUT_BYTES) %d: must be between %d and %d", o.MaxOutputBytes, MinMaxOutputBytes, MaxMaxOutputBytes)
	}
	if o.MaxReadBytes == 0 {
		o.MaxReadBytes = DefaultMaxReadBytes
	}
	if o.MaxReadBytes < MinMaxOutputBytes || o.MaxReadBytes > MaxMaxOutputBytes {
		return fmt.Errorf("CODEXPRO_MAX_READ_BYTES %d: must be between %d and %d", o.MaxReadBytes, MinMaxOutputBytes, MaxMaxOutputBytes)
	}
	if strings.HasPrefix(o.Model, "-") || strings.ContainsFunc(o.Model, func(r rune) bool { return r < 0x20 }) {
		return fmt.Errorf("--model (CODEXPRO_AGENT_MODEL) %q: must not start with '-' or contain control characters", o.Model)
	}
	switch o.Sandbox {
	case "":
		o.Sandbox = sandbox.ModeOff
	case sandbox.ModeOff, sandbox.ModeAuto, sandbox.ModeLandlock, sandbox.ModeSeatbelt:
	default:
		return fmt.Errorf("--sandbox %q: want off, auto, landlock or seatbelt", o.Sandbox)
	}
	for _, d := range append(append([]string{}, o.SandboxRead...), o.SandboxWrite...) {
		if !filepath.IsAbs(d) {
			return fmt.Errorf("--sandbox-read/--sandbox-write %q: must be an absolute path", d)
		}
	}
	ctx, err := bridge.ValidateContextDir(o.ContextDir)
	if err != nil {
		return err
	}
	o.ContextDir = ctx
	return o.resolvePaths()
}

func (o *Options) resolvePaths() error {
	root := o.Root
	if root == "" {
		root = "."
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return fmt.Errorf("--root %s: %w", root, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return fmt.Errorf("--root %s: %w", root, err)
	}
	if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
		return fmt.Errorf("--root %s: not a directory", root)
	}
	o.Root = real
	if o.Home == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("CODEXPRO_HOME is unset and the home directory is unknown: %w", err)
		}
		o.Home = filepath.Join(home, ".codexpro")
	}
	if o.BuiltinDir == "" {
		exe, err := os.Executable()
		if err == nil {
			exe, err = filepath.EvalSymlinks(exe)
		}
		if err != nil {
			return fmt.Errorf("locate the handoff binary for its built-in adapters: %w", err)
		}
		o.BuiltinDir = filepath.Dir(exe)
	}
	return nil
}

// agentEnv is the environment agents, tests and reviewers get: scrubbed
// unless --inherit-env, plus the variables named by --env, plus
// CODEXPRO_CODEX_BIN for the Codex adapter.
func (o *Options) agentEnv(extra ...string) []string {
	var pass []string
	for _, name := range append([]string{"CODEXPRO_CODEX_BIN"}, o.PassEnv...) {
		if v, ok := os.LookupEnv(name); ok {
			pass = append(pass, name+"="+v)
		}
	}
	return procx.Env(o.InheritEnv, append(pass, extra...)...)
}
