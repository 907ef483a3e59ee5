package handoff

import (
	"context"
	"fmt"
	"strings"
	"time"

	"codexpro.dev/pkg/procx"
)

// gitTimeout bounds every git call handoff makes.
const gitTimeout = 60 * time.Second

// git runs git in the workspace with repository-configured helpers that
// could execute code (fsmonitor, external diff, textconv) switched off, and
// paths printed verbatim instead of C-quoted.
type git struct {
	root string
	env  []string
	max  int
}

func (g git) run(ctx context.Context, args ...string) (string, error) {
	argv := append([]string{"git", "-c", "core.fsmonitor=false", "-c", "core.quotePath=false",
		"-c", "diff.external=", "--no-pager", "--no-optional-locks"}, args...)
	res, err := procx.Run(ctx, procx.Spec{Argv: argv, Dir: g.root, Env: g.env, Timeout: gitTimeout, MaxOutput: g.max})
	if err != nil {
		return "", fmt.Errorf("git %s: %w", args[0], err)
	}
	if res.Truncated {
		return "", fmt.Errorf("git %s: output exceeded %d bytes", args[0], g.max)
	}
	if res.ExitCode != 0 {
		return "", fmt.Errorf("git %s exited %d: %s", args[0], res.ExitCode, strings.TrimSpace(res.Stderr))
	}
	return res.Stdout, nil
}

// prefix is the workspace's path inside its repository ("" at the top),
// with a trailing slash, for mapping repository paths to workspace ones.
func (g git) prefix(ctx context.Context) (string, error) {
	out, err := g.run(ctx, "rev-parse", "--show-prefix")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

func excludeContext(contextDir string) string { return ":(exclude)" + contextDir }
