// Package gitx runs the git CLI pinned to one workspace: a fixed working
// directory, a scrubbed environment, no pager, no colour, no external diff
// or textconv drivers, a timeout and an output cap. Status and diff output
// never name a blocked path or a path outside the workspace: blocked globs
// become exclude pathspecs, and the output is filtered again after git ran.
package gitx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Default limits, used when a Repo leaves them zero.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultMaxOutput = 120_000
	maxStderr        = 16 << 10
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
	// Git is the git binary ("git" from PATH if empty).
	Git string
}

// RunError is git failing to give an answer: not installed, not a
// repository, timed out, or a non-zero exit. Tools report it as a field
// (status_error, diff_error) rather than failing the call.
type RunError struct{ Msg string }

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

func (r *Repo) run(ctx context.Context, args ...string) (output, error) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	limit := r.MaxOutput
	if limit <= 0 {
		limit = DefaultMaxOutput
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()

	git := r.Git
	if git == "" {
		git = "git"
	}
	argv := append([]string{"-C", r.Dir}, baseArgs...)
	cmd := exec.CommandContext(runCtx, git, append(argv, args...)...)
	cmd.Dir = r.Dir
	cmd.Env = Env()
	cmd.WaitDelay = 2 * time.Second
	stdout := &capWriter{max: limit, full: stop}
	stderr := &capWriter{max: maxStderr}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	switch {
	case stdout.over:
		// We stopped git ourselves once the cap was reached.
		return output{text: stdout.buf.String(), truncated: true}, nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return output{}, &RunError{Msg: fmt.Sprintf("git timed out after %s", timeout)}
	case ctx.Err() != nil:
		return output{}, &RunError{Msg: "git stopped: " + ctx.Err().Error()}
	case err != nil:
		return output{}, runError(err, stderr.buf.String())
	}
	return output{text: stdout.buf.String()}, nil
}

func runError(err error, stderr string) error {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return &RunError{Msg: "git unavailable or failed: " + err.Error()}
	}
	if msg := strings.TrimSpace(stderr); msg != "" {
		return &RunError{Msg: msg}
	}
	return &RunError{Msg: fmt.Sprintf("git exited with status %d", exit.ExitCode())}
}

// Env is the environment git runs with: only what it needs to find itself
// and the user's global config, never GIT_* variables of the parent (which
// could point git at another repository or config), no prompts, no locks
// taken by read-only commands, and stable English messages.
func Env() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "USER", "LOGNAME", "TMPDIR", "TZ", "SYSTEMROOT"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return append(env, "LC_ALL=C", "LANG=C", "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0",
		"NO_COLOR=1", "GIT_PAGER=cat", "PAGER=cat")
}

// capWriter keeps the first max bytes and calls full once more arrive, so
// a huge diff costs a bounded amount of memory and time.
type capWriter struct {
	buf  bytes.Buffer
	max  int
	over bool
	full func()
}

func (w *capWriter) Write(p []byte) (int, error) {
	room := w.max - w.buf.Len()
	if len(p) <= room {
		w.buf.Write(p)
		return len(p), nil
	}
	w.buf.Write(p[:max(room, 0)])
	if !w.over {
		w.over = true
		if w.full != nil {
			w.full()
		}
	}
	return len(p), nil
}
