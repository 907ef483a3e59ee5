package tools

import (
	"context"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/redact"
	"codexpro.dev/pkg/workspace"
)

// redactDiff redacts a git diff of w the way its files would be redacted
// whole (redact.Diff): a hunk inside a key block whose BEGIN line lies
// outside it, or below an "api_key:" whose value it shows, carries the
// redacted lines. The whole sides are the index (HEAD for a staged diff)
// and the working file (the index for a staged diff).
func redactDiff(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, staged bool, text string) string {
	repo := gitRepo(e, w)
	repo.MaxOutput = scanLimitBytes
	return redact.Diff(text, func(rel string, old bool) (string, bool) {
		if _, blocked := w.Blocked(rel); blocked {
			return "", false
		}
		if !old && !staged {
			data, _, err := w.ReadFile(rel, scanLimitBytes)
			return string(data), err == nil
		}
		rev := "" // the index
		if old && staged {
			rev = "HEAD"
		}
		content, err := repo.Blob(ctx, rev, rel)
		return content, err == nil
	})
}
