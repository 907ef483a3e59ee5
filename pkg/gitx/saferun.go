package gitx

import (
	"context"
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
	spec.Env = safeEnv(spec.Env)
	list := spec
	list.Argv = append(append([]string{spec.Argv[0]}, SafeConfig()...), "config", "--null", "--name-only", "--list")
	names, err := procx.Run(ctx, list)
	if err != nil {
		return procx.Result{}, err
	}
	if names.Truncated || names.Flooded || names.TimedOut {
		return procx.Result{ExitCode: 1, Stderr: "[codexpro] git was not run: its config could not be checked for filter drivers"}, nil
	}
	spec.Argv = append(append([]string{spec.Argv[0]}, DriverOverrides(names.Stdout)...), spec.Argv[1:]...)
	res, err := procx.Run(ctx, spec)
	if err != nil {
		return res, err
	}
	text, err := r.Filter(ctx, o, procx.StripMarker(res.Stdout), res.Truncated)
	if err != nil {
		text = ""
		res.Stderr += "\n[codexpro] git output withheld: it could not be checked file by file (" + err.Error() + ")"
	}
	res.Stdout = text
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
