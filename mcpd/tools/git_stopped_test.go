package tools

import (
	"context"
	"strings"
	"testing"
	"time"

	"codexpro.dev/mcpd/toolkit"
)

// A git that is stopped (the request cancelled, as a closing stdin once
// did) or fails never reads as a clean tree: every git tool that reports
// change state gives an error result, not changed:false.
func TestStoppedGitIsAnErrorNotACleanTree(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"a.txt": "one\n"})
	gitCommitAll(t, root)
	writeFiles(t, root, map[string]string{"a.txt": "changed\n"})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	for _, ctx := range []context.Context{cancelled, expired} {
		for _, name := range []string{"git_status", "git_diff", "show_changes"} {
			for _, tl := range All() {
				if tl.Name != name {
					continue
				}
				r := toolkit.Call(ctx, e, tl, nil)
				text := resultText(r)
				if !r.IsError || !strings.Contains(text, "git stopped") || strings.Contains(string(r.RawStructuredContent), `"changed":false`) {
					t.Fatalf("%s with %v: want an error naming the stopped git, got error=%v %s %s", name, ctx.Err(), r.IsError, text, r.RawStructuredContent)
				}
			}
		}
	}
	// Not a repository stays an answer, reported in the result.
	e2, _ := newTestEnv(t, map[string]string{"a.txt": "one\n"})
	if st := mustOK(t, callTool(t, e2, "git_status", nil)); !strings.Contains(st["status_error"].(string), "not a git repository") {
		t.Fatalf("outside a repository: %v", st)
	}
}
