package tools

import (
	"context"
	"crypto/subtle"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"codexpro.dev/mcpd/bashpolicy"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/sandbox"
	"codexpro.dev/pkg/workspace"
)

const (
	defaultBashTimeoutMs = 30_000
	minBashTimeoutMs     = 1_000
	// redactSlack is read past the output cap so a secret cut by the cap is
	// still whole when redaction looks at it; the cap is applied after.
	redactSlack = 512
)

type bashIn struct {
	toolkit.WorkspaceArg
	Command   string `json:"command" jsonschema:"The command. Safe mode: one allowlisted command or an && chain, run without a shell"`
	SessionID string `json:"session_id,omitempty" jsonschema:"This server's bash session label when it was started with --bash-session"`
	Cwd       string `json:"cwd,omitempty" jsonschema:"Working directory relative to the workspace root; default ."`
	TimeoutMs int    `json:"timeout_ms,omitempty" jsonschema:"Timeout in milliseconds (1000 to CODEXPRO_MAX_BASH_TIMEOUT_MS); default 30000"`
}

type bashOut struct {
	WorkspaceID   string     `json:"workspace_id"`
	Root          string     `json:"root"`
	Command       string     `json:"command"`
	Cwd           string     `json:"cwd"`
	Mode          string     `json:"mode"`
	Argv          [][]string `json:"argv,omitempty"`
	ExitCode      int        `json:"exitCode"`
	Signal        string     `json:"signal"`
	DurationMs    int64      `json:"durationMs"`
	Stdout        string     `json:"stdout"`
	Stderr        string     `json:"stderr"`
	Truncated     bool       `json:"truncated"`
	TimedOut      bool       `json:"timedOut"`
	Flooded       bool       `json:"flooded"`
	Sandbox       string     `json:"sandbox"`
	BashSessionID *string    `json:"bash_session_id"`
}

// BashTool runs commands in the workspace: in safe mode only what
// bashpolicy accepts, as argv without a shell; in full mode anything,
// through bash -c. Children run through procx (own process group,
// scrubbed environment, timeout, output cap) and, where Landlock is
// available and --sandbox allows, confined by pkg/sandbox.
func BashTool() toolkit.Tool {
	toolchain := sync.OnceValues(sandbox.Toolchains)
	return toolkit.Define(toolkit.Spec{
		Name: "bash", Title: "Run command", Kind: toolkit.Shell, Sets: toolkit.AllSets, Traits: toolkit.NeedsBash,
		Description: "Run a command in the workspace and return exit code, stdout and stderr. " +
			"Safe mode (default) runs only verification commands (go test, npm test, pytest, cargo test, read-only git, ls, find, …) " +
			"parsed without a shell: no redirections, pipes, substitutions or variables, every path checked against the workspace guard. " +
			"A non-zero exit or timeout is a normal result, not an error.",
	}, func(ctx context.Context, e *toolkit.Env, in bashIn) (bashOut, string, error) {
		return runBash(ctx, e, e.Cfg.Bash, toolchain, in)
	})
}

func runBash(ctx context.Context, e *toolkit.Env, bc toolkit.BashConfig, toolchain func() (sandbox.Toolchain, error), in bashIn) (bashOut, string, error) {
	command := strings.TrimSpace(in.Command)
	if command == "" {
		return bashOut{}, "", toolkit.UserErrorf("command is required.")
	}
	label, err := checkBashSession(bc, in.SessionID)
	if err != nil {
		return bashOut{}, "", err
	}
	mode := e.Cfg.BashMode
	if mode != "safe" && mode != "full" {
		return bashOut{}, "", toolkit.UserErrorf("bash tool is disabled. Start with --bash safe or --bash full (CODEXPRO_BASH_MODE) to enable it.")
	}
	timeout, err := bashTimeout(in.TimeoutMs, bc.MaxTimeoutMs)
	if err != nil {
		return bashOut{}, "", err
	}
	w := in.Workspace()
	rel, err := bashCwd(w, in.Cwd)
	if err != nil {
		return bashOut{}, "", err
	}
	d, err := bashSteps(mode, command, rel, w, bc)
	if err != nil {
		return bashOut{}, "", err
	}
	out := bashOut{WorkspaceID: w.ID, Root: w.Root, Command: command, Cwd: rel, Mode: mode, BashSessionID: label}
	if mode == "safe" {
		out.Argv = d.Steps
	}
	run := bashRun{dir: filepath.Join(w.Root, filepath.FromSlash(rel)), root: w.Root, timeout: timeout,
		max: int(e.Cfg.MaxOutputBytes), bc: bc, toolchain: toolchain, redact: e.Redact, git: gitRepo(e, w)}
	if err := run.exec(ctx, d, &out); err != nil {
		return bashOut{}, "", err
	}
	return out, bashTranscript(bc.Transcript, out), nil
}

// checkBashSession applies --bash-session/--require-bash-session. The
// label guards against a call routed to the wrong server; it is not a
// secret, but refusals still do not repeat it, so a misrouted caller
// cannot learn it by guessing.
func checkBashSession(bc toolkit.BashConfig, given string) (*string, error) {
	if bc.Session == "" {
		return nil, nil
	}
	if given == "" {
		if bc.RequireSession {
			return nil, toolkit.UserErrorf("bash session id is required: pass session_id with the label this server was started with (--bash-session).")
		}
		return nil, nil
	}
	if subtle.ConstantTimeCompare([]byte(given), []byte(bc.Session)) != 1 {
		return nil, toolkit.UserErrorf("bash session id mismatch: session_id %q is not this server's --bash-session label; check which CodexPro server this call reached.", given)
	}
	return &given, nil
}

func bashTimeout(asked, maxMs int) (time.Duration, error) {
	if maxMs < minBashTimeoutMs {
		maxMs = defaultBashTimeoutMs
	}
	ms := asked
	if ms == 0 {
		ms = min(defaultBashTimeoutMs, maxMs)
	}
	if ms < minBashTimeoutMs || ms > maxMs {
		return 0, toolkit.UserErrorf("timeout_ms must be between %d and %d (CODEXPRO_MAX_BASH_TIMEOUT_MS), got %d.", minBashTimeoutMs, maxMs, asked)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// bashCwd resolves cwd through the guard (symlinks followed) and requires
// a directory.
func bashCwd(w *workspace.Workspace, cwd string) (string, error) {
	if cwd == "" {
		cwd = "."
	}
	fi, rel, err := w.Stat(cwd)
	if err != nil {
		return "", err
	}
	if !fi.IsDir() {
		return "", &workspace.Refusal{Rule: workspace.RuleNotDir, Path: cwd, Detail: "cwd must be a directory"}
	}
	return rel, nil
}

// bashSteps decides what to execute: the policy's argv lists (and how to
// filter each git step's output) in safe mode, one bash -c in full mode.
func bashSteps(mode, command, rel string, w *workspace.Workspace, bc toolkit.BashConfig) (bashpolicy.Decision, error) {
	if mode == "full" {
		return bashpolicy.Decision{Steps: [][]string{{bashBinary(), "-c", command}}}, nil
	}
	p := bashpolicy.Policy{Paths: w, Root: w.Root, Blocked: append(workspace.DefaultGlobs(), bc.BlockedGlobs...)}
	d, err := p.Decide(command, rel)
	if err != nil {
		return bashpolicy.Decision{}, toolkit.UserErrorf("%v", err)
	}
	return d, nil
}

func bashBinary() string {
	if fi, err := os.Stat("/bin/bash"); err == nil && !fi.IsDir() {
		return "/bin/bash"
	}
	return "bash"
}
