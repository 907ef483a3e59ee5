package tools

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/server"

	"codexpro.dev/mcpd/toolkit"
)

// gitCommitAll makes dir a repository with everything in it committed.
func gitCommitAll(t *testing.T, dir string) {
	t.Helper()
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A", "-f"}, {"commit", "-q", "-m", "init"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(name)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sessionCtx is a context carrying an MCP session, as the HTTP and stdio
// transports give every call.
func sessionCtx(id string) context.Context {
	return server.NewMCPServer("t", "0").WithContext(context.Background(), server.NewInProcessSession(id, nil))
}

func callToolCtx(t *testing.T, ctx context.Context, e *toolkit.Env, name string, args map[string]any) map[string]any {
	t.Helper()
	for _, tl := range All() {
		if tl.Name == name {
			return mustOK(t, toolkit.Call(ctx, e, tl, args))
		}
	}
	t.Fatalf("no tool %q", name)
	return nil
}

func TestGitToolsNeverShowBlockedFiles(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"app.go": "package app\n", ".env": "KEY=old\n", "secrets.pem": "old\n", "cfg/.ENV.prod": "A=1\n"})
	gitCommitAll(t, root)
	writeFiles(t, root, map[string]string{"app.go": "package app\n// changed\n", ".env": "KEY=leaked-env\n",
		"secrets.pem": "leaked-pem\n", "cfg/.ENV.prod": "A=leaked-prod\n"})

	st := mustOK(t, callTool(t, e, "git_status", nil))
	if got := st["changed_files"].([]any); len(got) != 1 || got[0] != " M app.go" || st["changed"] != true {
		t.Fatalf("changed_files = %v", got)
	}
	d := mustOK(t, callTool(t, e, "git_diff", nil))
	for _, r := range []map[string]any{st, d} {
		for _, leak := range []string{"leaked", ".env", ".ENV", "secrets.pem"} {
			if strings.Contains(fmt.Sprint(r), leak) {
				t.Fatalf("%q shown: %v", leak, r)
			}
		}
	}
	if d["additions"] != 1.0 || d["deletions"] != 0.0 || !strings.Contains(d["diff"].(string), "+// changed") {
		t.Fatalf("git_diff = %v", d)
	}
	mustFail(t, callTool(t, e, "git_diff", map[string]any{"path": ".env"}), "blocked")
	mustFail(t, callTool(t, e, "git_status", map[string]any{"path": "secrets.pem"}), "blocked")
}

func TestGitToolsRefuseOptionInjection(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"a.txt": "a\n"})
	gitCommitAll(t, root)
	out := filepath.Join(t.TempDir(), "x")
	for _, tool := range []string{"git_status", "git_diff"} {
		mustFail(t, callTool(t, e, tool, map[string]any{"path": "--output=" + out}), "must not start with '-'")
		mustFail(t, callTool(t, e, tool, map[string]any{"path": "../x"}), "escapes")
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("git wrote the --output file")
	}
}

// A workspace opened inside a larger repository sees only its own changes,
// with paths relative to itself.
func TestGitToolsNestedWorkspace(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"outside.txt": "a\n", "ws/in.txt": "a\n"})
	gitCommitAll(t, root)
	writeFiles(t, root, map[string]string{"outside.txt": "outside-change\n", "ws/in.txt": "inside-change\n"})
	ws := mustOK(t, callTool(t, e, "open_workspace", map[string]any{"root": "ws"}))
	id := ws["workspace_id"].(string)

	st := mustOK(t, callTool(t, e, "git_status", map[string]any{"workspace_id": id}))
	if got := st["changed_files"].([]any); len(got) != 1 || got[0] != " M in.txt" {
		t.Fatalf("nested status = %v", got)
	}
	d := mustOK(t, callTool(t, e, "git_diff", map[string]any{"workspace_id": id}))
	if strings.Contains(d["diff"].(string), "outside") || !strings.Contains(d["diff"].(string), "a/in.txt") {
		t.Fatalf("nested diff:\n%s", d["diff"])
	}
	if strings.Contains(ws["git_status"].(string), "outside") {
		t.Fatalf("open_workspace git status leaks: %s", ws["git_status"])
	}
}

func TestGitToolsOutsideRepository(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"a.txt": "a\n"})
	st := mustOK(t, callTool(t, e, "git_status", nil))
	if !strings.Contains(st["status_error"].(string), "not a git repository") || st["changed"] != false {
		t.Fatalf("git_status = %v", st)
	}
	d := mustOK(t, callTool(t, e, "git_diff", nil))
	if !strings.Contains(d["diff_error"].(string), "not a git repository") {
		t.Fatalf("git_diff = %v", d)
	}
}

func TestGitDiffOptions(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"big.txt": strings.Repeat("old line\n", 2000), "b.txt": "b\n"})
	gitCommitAll(t, root)
	writeFiles(t, root, map[string]string{"big.txt": strings.Repeat("new line\n", 2000), "b.txt": "B\n"})
	e.Cfg.MaxOutputBytes = 3000

	d := mustOK(t, callTool(t, e, "git_diff", nil))
	if d["truncated"] != true || !strings.Contains(d["diff"].(string), "git output truncated") ||
		d["additions"] != 2001.0 || d["deletions"] != 2001.0 {
		t.Fatalf("huge diff: truncated=%v +%v -%v", d["truncated"], d["additions"], d["deletions"])
	}
	r := callTool(t, e, "git_diff", map[string]any{"include_diff": false})
	d = mustOK(t, r)
	if d["diff"] != "" || d["additions"] != 2001.0 || !strings.Contains(resultText(r), "Raw diff omitted by include_diff=false") {
		t.Fatalf("include_diff=false: %v", d)
	}
	d = mustOK(t, callTool(t, e, "git_diff", map[string]any{"path": "b.txt"}))
	if files := d["changed_files"].([]any); len(files) != 1 || files[0] != "b.txt" || d["path"] != "b.txt" {
		t.Fatalf("path-scoped diff = %v", d)
	}
	d = mustOK(t, callTool(t, e, "git_diff", map[string]any{"staged": true}))
	if d["changed"] != false || d["staged"] != true {
		t.Fatalf("staged diff = %v", d)
	}
}
