// Package gitx runs the git CLI pinned to one workspace: a fixed working
// directory, a scrubbed environment, no pager, no colour, no external diff
// or textconv drivers, a timeout and an output cap. Status and diff output
// never name a blocked path or a path outside the workspace: blocked globs
// become exclude pathspecs, and the output is filtered again after git ran.
package gitx

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"codexpro.dev/pkg/procx"
)

// Default limits, used when a Repo leaves them zero.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultMaxOutput = 120_000
)

// Repo is a workspace as git sees it. Dir is the workspace root (a real
// path); it may be the top of a repository or any directory inside one.
type Repo struct {
	Dir string
	// Exclude globs (workspace-relative, as in the blocklist) are passed to
	// git as :(exclude,icase,glob) pathspecs.
	Exclude []string
	// Blocked reports whether a workspace-relative path must never be
	// shown; it filters git's output after the pathspecs did.
	Blocked func(rel string) bool
	// MaxOutput caps the bytes read from git's stdout (DefaultMaxOutput if 0).
	MaxOutput int
	// Timeout bounds one git run (DefaultTimeout if 0).
	Timeout time.Duration
	// AllUntracked lists every untracked file instead of collapsing a new
	// directory into one "dir/" entry (git's --untracked-files=all).
	AllUntracked bool
	// Git is the git binary ("git" from PATH if empty).
	Git string
}

// RunError is git failing to give an answer: not installed, not a
// repository, timed out, or a non-zero exit. Tools report it as a field
// (status_error, diff_error) rather than failing the call.
type RunError struct {
	Msg     string
	Stopped bool // the caller's context ended (cancelled, deadline) before git finished
}

func (e *RunError) Error() string { return e.Msg }

// PathError is a path argument gitx refuses to pass to git.
type PathError struct{ Path, Reason string }

func (e *PathError) Error() string {
	return fmt.Sprintf("Refusing git path %q: %s", e.Path, e.Reason)
}

// NotRepository reports whether err says the workspace is not in a git
// repository.
func NotRepository(err error) bool {
	var re *RunError
	return errors.As(err, &re) && strings.Contains(strings.ToLower(re.Msg), "not a git repository")
}

// baseArgs pin git's behaviour regardless of the user's or the repository's
// configuration: nothing here may start another program or change output
// formats we parse.
var baseArgs = []string{
	"--no-pager",
	"-c", "core.quotePath=false",
	"-c", "core.fsmonitor=false",
	"-c", "color.ui=false",
	"-c", "diff.noprefix=false",
	"-c", "diff.mnemonicPrefix=false",
	"-c", "diff.external=",
	"-c", "status.relativePaths=true",
}

// output is what one git run produced.
type output struct {
	text      string
	truncated bool
}

// run starts git through procx: its own process group (a filter or helper
// git starts dies with it), the timeout, and an output cap. Output past
// the cap is dropped rather than failing the call, and a run far past it
// is killed early.
func (r *Repo) run(ctx context.Context, args ...string) (output, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	limit := r.MaxOutput
	if limit <= 0 {
		limit = DefaultMaxOutput
	}
	git := r.Git
	if git == "" {
		git = "git"
	}
	argv := append([]string{git, "-C", r.Dir}, baseArgs...)
	res, err := procx.Run(ctx, procx.Spec{Argv: append(argv, args...), Dir: r.Dir, Env: Env(),
		Timeout: timeout, MaxOutput: limit})
	// procx appends its own marker to a cut stream; callers parse the raw
	// bytes and add TruncationMarker themselves.
	out := output{text: res.Stdout}
	if len(out.text) > limit {
		out.text, out.truncated = out.text[:limit], true
	}
	switch {
	case ctx.Err() != nil:
		// Whatever git printed before it was stopped is not an answer: a
		// status cut short would read as a clean tree.
		return output{}, &RunError{Msg: "git stopped: " + ctx.Err().Error(), Stopped: true}
	case err != nil:
		return output{}, &RunError{Msg: "git unavailable or failed: " + err.Error()}
	case res.TimedOut:
		return output{}, &RunError{Msg: fmt.Sprintf("git timed out after %s", timeout)}
	case out.truncated || res.Flooded:
		return out, nil
	case res.ExitCode != 0:
		if msg := strings.TrimSpace(res.Stderr); msg != "" {
			return output{}, &RunError{Msg: msg}
		}
		return output{}, &RunError{Msg: fmt.Sprintf("git exited with status %d", res.ExitCode)}
	}
	return out, nil
}

// Env is the environment git runs with: procx's scrubbed one (never GIT_*
// variables of the parent, which could point git at another repository or
// config), no prompts, no locks taken by read-only commands, no pager, and
// stable English messages.
func Env() []string {
	return procx.Env(false, "LC_ALL=C", "LANG=C", "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0",
		"NO_COLOR=1", "GIT_PAGER=cat", "PAGER=cat")
}
