package gitx

import (
	"context"
	"path/filepath"
	"strings"

	"codexpro.dev/pkg/procx"
)

// SafeRun runs one safe-mode git command (spec.Argv as bashpolicy decided
// it, spec's sandbox and limits as the caller set them) and returns only
// what may leave mcpd. The environment drops the parent's GIT_* variables
// (which could point git at another repository or config) and adds
// SafeEnv; every filter driver the repository's config names is turned off
// by name, found by a config listing run through the same spec first; and
// stdout passes Filter, stderr FilterMessages, before any byte of either is
// returned.
func (r *Repo) SafeRun(ctx context.Context, spec procx.Spec, o Output) (procx.Result, error) {
	prefix, err := r.placeIn(ctx)
	if err != nil {
		return procx.Result{ExitCode: 128, Stderr: r.FilterMessages(o, err.Error()+"\n")}, nil
	}
	spec.Env = safeEnv(spec.Env)
	list := spec
	list.Argv = append(append([]string{spec.Argv[0]}, SafeConfig()...), "config", "--null", "--name-only", "--list")
	names, err := procx.Run(ctx, list)
	if err != nil {
		return procx.Result{}, err
	}
	overrides, ok := DriverOverrides(names.Stdout)
	if !ok || names.ExitCode != 0 || names.Truncated || names.Flooded || names.TimedOut {
		return procx.Result{ExitCode: 1, Stderr: r.FilterMessages(o, names.Stderr) +
			"[codexpro] git was not run: its config could not be checked for filter drivers to turn off"}, nil
	}
	spec.Argv = append(append([]string{spec.Argv[0]}, overrides...), spec.Argv[1:]...)
	res, err := procx.Run(ctx, spec)
	if err != nil {
		return res, err
	}
	res.Stdout = r.filter(o, prefix, procx.StripMarker(res.Stdout), res.Truncated)
	res.Stderr = r.FilterMessages(o, res.Stderr)
	return res, nil
}

// safeEnv is env without GIT_* variables, plus SafeEnv.
func safeEnv(env []string) []string {
	out := make([]string, 0, len(env)+len(SafeEnv()))
	for _, kv := range env {
		if !strings.HasPrefix(strings.ToUpper(kv), "GIT_") {
			out = append(out, kv)
		}
	}
	return append(out, SafeEnv()...)
}

// placeIn returns the workspace's place in its repository ("" at the top,
// else "dir/sub/"), and refuses a repository whose work tree does not
// contain the workspace: a core.worktree in the repository's own config
// can point git at any other directory, whose files the filter would take
// for the workspace's.
func (r *Repo) placeIn(ctx context.Context) (string, error) {
	out, err := r.run(ctx, "rev-parse", "--show-toplevel", "--show-prefix")
	if err != nil {
		return "", err
	}
	top, prefix, _ := strings.Cut(strings.TrimRight(out.text, "\n"), "\n")
	rel, err := filepath.Rel(filepath.FromSlash(top), r.Dir)
	if top == "" || err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", &RunError{Msg: "[codexpro] git was not run: the repository's work tree (core.worktree) does not contain the workspace"}
	}
	return prefix, nil
}
