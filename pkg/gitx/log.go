package gitx

import (
	"context"
	"strconv"
	"strings"
)

// Log is `git log --oneline --decorate` for the last n commits that touch
// the workspace (not the rest of an enclosing repository).
func (r *Repo) Log(ctx context.Context, n int) (string, error) {
	specs, err := r.pathspecs(".")
	if err != nil {
		return "", err
	}
	n = min(max(n, 1), 30)
	args := append([]string{"log", "--max-count=" + strconv.Itoa(n), "--oneline", "--decorate", "--no-color", "--"}, specs...)
	out, err := r.run(ctx, args...)
	if err != nil {
		return "", err
	}
	text := strings.TrimRight(out.text, "\n")
	if out.truncated {
		text += "\n" + TruncationMarker
	}
	return text, nil
}
