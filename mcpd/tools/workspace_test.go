package tools

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

func TestServerConfig(t *testing.T) {
	e, _ := newTestEnv(t, nil)
	for _, mode := range []string{"full", "minimal"} {
		e.Cfg.ToolMode = mode
		r := callTool(t, e, "server_config", nil)
		m := mustOK(t, r)
		want := toolkit.Names(All().Visible(e.Cfg))
		got := m["registeredTools"].([]any)
		if len(got) != len(want) || m["registeredToolCount"] != float64(len(want)) || m["toolMode"] != "full" {
			t.Fatalf("%s: registered %v, want %v", mode, got, want)
		}
		if mode == "minimal" && slices.Contains(got, any("git_status")) {
			t.Fatal("minimal mode lists git_status")
		}
		if !strings.HasPrefix(resultText(r), "# CodexPro Server Config\n\n{") {
			t.Fatalf("text = %q", resultText(r))
		}
	}
	if _, ok := e.Cfg.Public["registeredTools"]; ok {
		t.Fatal("server_config changed the shared public settings")
	}
}

func TestAgentsDiscovery(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "AGENTS.md")
	if err := os.WriteFile(outside, []byte("outside rules"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		files map[string]string
		setup func(root string) error
		want  string
	}{
		{"standard", map[string]string{"AGENTS.md": "x"}, nil, "AGENTS.md"},
		{"override wins", map[string]string{"AGENTS.md": "x", "AGENTS.override.md": "y"}, nil, "AGENTS.override.md"},
		{"lowercase", map[string]string{"agents.md": "x"}, nil, "agents.md"},
		{"other case", map[string]string{"Agents.MD": "x"}, nil, "Agents.MD"},
		{"hidden", map[string]string{".agents.md": "x"}, nil, ".agents.md"},
		{"none", map[string]string{"README.md": "x"}, nil, ""},
		{"directory named AGENTS.md", map[string]string{"AGENTS.md/x": "x"}, nil, ""},
		{"symlink out of the workspace", nil, func(root string) error { return os.Symlink(outside, filepath.Join(root, "AGENTS.md")) }, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, root := newTestEnv(t, c.files)
			if c.setup != nil {
				if err := c.setup(root); err != nil {
					t.Fatal(err)
				}
			}
			r := callTool(t, e, "open_current_workspace", nil)
			m := mustOK(t, r)
			if m["agents_path"] != c.want || m["agents_loaded"] != (c.want != "") {
				t.Fatalf("agents_path = %v, want %q", m["agents_path"], c.want)
			}
			if c.want == "" && !strings.Contains(resultText(r), "AGENTS.md: none loaded") {
				t.Fatalf("text = %s", resultText(r))
			}
		})
	}
}

func TestOpenCurrentWorkspace(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"AGENTS.md": "rules", "src/a.go": "package a"})
	r := callTool(t, e, "open_current_workspace", map[string]any{"include_skills": true})
	m := mustOK(t, r)
	text := resultText(r)
	for _, want := range []string{"# Workspace", "ID: " + m["workspace_id"].(string), "AGENTS.md: AGENTS.md (read this file",
		"## Git status", "not a git repository", "## Recent commits", "no MCP session", "Skills: none found."} {
		if !strings.Contains(text, want) {
			t.Fatalf("text lacks %q:\n%s", want, text)
		}
	}
	if m["selected_workspace_id"] != "" || m["tool_mode"] != "full" || len(m["skills"].([]any)) != 0 {
		t.Fatalf("open_current_workspace = %v", m)
	}
	if _, err := os.Stat(filepath.Join(root, ".ai-bridge")); err == nil {
		t.Fatal("open_current_workspace created the context directory")
	}
	mustFail(t, callTool(t, e, "open_current_workspace", map[string]any{"max_depth": 9}), "max_depth must be between 1 and 8, got 9")
}

func TestOpenWorkspaceSelectsForTheSession(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"top.txt": "top", "sub/only-in-sub.txt": "sub"})
	ctx := sessionCtx("s1")
	m := callToolCtx(t, ctx, e, "open_workspace", map[string]any{"path": "sub"})
	subID := workspace.ID(filepath.Join(root, "sub"))
	if m["workspace_id"] != subID || m["selected_workspace_id"] != subID {
		t.Fatalf("open_workspace = %v", m)
	}
	if got := callToolCtx(t, ctx, e, "read", map[string]any{"path": "only-in-sub.txt"}); got["workspace_id"] != subID {
		t.Fatalf("read after open_workspace used %v", got["workspace_id"])
	}
	// Another session keeps the default.
	if got := callToolCtx(t, sessionCtx("s2"), e, "read", map[string]any{"path": "top.txt"}); got["workspace_id"] != workspace.ID(root) {
		t.Fatalf("other session moved to %v", got["workspace_id"])
	}
	l := callToolCtx(t, ctx, e, "list_workspaces", nil)
	if l["selected_workspace_id"] != subID || l["count"] != 2.0 {
		t.Fatalf("list_workspaces = %v", l)
	}
	callToolCtx(t, ctx, e, "open_current_workspace", nil)
	if got := callToolCtx(t, ctx, e, "read", map[string]any{"path": "top.txt"}); got["workspace_id"] != workspace.ID(root) {
		t.Fatal("open_current_workspace did not restore the default")
	}
}

func TestOpenWorkspaceRefusals(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"sub/a.txt": "a", "node_modules/pkg/index.js": "x", "sub/.git/config": "[core]", "file.txt": "f"})
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "out-link")); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"root": "sub", "path": "other"}, "accepts either root or path"},
		{map[string]any{"root": outside}, "outside allowed roots"},
		{map[string]any{"root": "out-link"}, "outside allowed roots"},
		{map[string]any{"root": root + "/.."}, "outside allowed roots"},
		{map[string]any{"root": "node_modules"}, "blocked"},
		{map[string]any{"root": "node_modules/pkg"}, "blocked"},
		{map[string]any{"root": "sub/.git"}, "blocked"},
		{map[string]any{"root": "missing"}, "Cannot open workspace root missing"},
		{map[string]any{"root": "file.txt"}, "not a directory"},
		{map[string]any{"max_files": 3001}, "max_files must be between 1 and 3000"},
	}
	for _, c := range cases {
		mustFail(t, callTool(t, e, "open_workspace", c.args), c.want)
	}
	// A refused blocked root must not stay reachable by its id.
	for _, dir := range []string{"node_modules", "sub/.git"} {
		if _, ok := e.Roots.ByID(workspace.ID(filepath.Join(root, dir))); ok {
			t.Fatalf("refused root %s was opened anyway", dir)
		}
	}
	m := mustOK(t, callTool(t, e, "open_workspace", map[string]any{"root": "sub", "path": "sub"}))
	if m["root"] != filepath.Join(root, "sub") {
		t.Fatalf("matching root and path: %v", m)
	}
}

func TestListWorkspacesSelectsDefault(t *testing.T) {
	e, root := newTestEnv(t, nil)
	ctx := sessionCtx("s1")
	m := callToolCtx(t, ctx, e, "list_workspaces", nil)
	ws := m["workspaces"].([]any)
	first := ws[0].(map[string]any)
	if m["selected_workspace_id"] != workspace.ID(root) || first["root"] != root || first["openedAt"] == nil || e.Selected(ctx) != workspace.ID(root) {
		t.Fatalf("list_workspaces = %v", m)
	}
}

func TestWorkspaceSnapshot(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{".ai-bridge/current-plan.md": "# Plan\nstep one\n", "sub/x.txt": "x"})
	ctx := sessionCtx("s1")
	callToolCtx(t, ctx, e, "open_workspace", map[string]any{"root": "sub"})
	m := callToolCtx(t, ctx, e, "workspace_snapshot", map[string]any{"workspace_id": workspace.ID(root)})
	if m["workspace_id"] != workspace.ID(root) || len(m["ai_context_files"].([]any)) != 1 {
		t.Fatalf("snapshot = %v", m)
	}
	if _, ok := m["selected_workspace_id"]; ok {
		t.Fatal("snapshot reports a selection")
	}
	if e.Selected(ctx) != workspace.ID(filepath.Join(root, "sub")) {
		t.Fatal("workspace_snapshot changed the session's selection")
	}
	r := callTool(t, e, "workspace_snapshot", nil)
	if !strings.Contains(resultText(r), "## AI handoff context\n\n--- .ai-bridge/current-plan.md ---\n1 | # Plan\n2 | step one") {
		t.Fatalf("snapshot text:\n%s", resultText(r))
	}
}

func TestSummaryTree(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"src/a.go": "a", "src/deep/x.go": "x", "src/deep/er/far.go": "f", ".env": "K=1", ".hidden/y": "y",
		"node_modules/m/i.js": "m", "b.txt": "b"})
	m := mustOK(t, callTool(t, e, "open_current_workspace", nil))
	if m["tree"] != "" {
		t.Fatalf("open_current_workspace shows a tree by default: %q", m["tree"])
	}
	r := callTool(t, e, "open_current_workspace", map[string]any{"include_tree": true, "max_depth": 1})
	tree := mustOK(t, r)["tree"].(string)
	if !strings.Contains(tree, "src/") || strings.Contains(tree, "a.go") || !strings.Contains(resultText(r), "## Files") {
		t.Fatalf("depth-1 tree:\n%s", tree)
	}
	tree = mustOK(t, callTool(t, e, "open_workspace", nil))["tree"].(string)
	for _, hidden := range []string{".env", ".hidden", "node_modules"} {
		if strings.Contains(tree, hidden) {
			t.Fatalf("tree shows %s:\n%s", hidden, tree)
		}
	}
	if !strings.Contains(tree, "x.go") || strings.Contains(tree, "far.go") {
		t.Fatalf("depth-3 tree:\n%s", tree)
	}
	tree = mustOK(t, callTool(t, e, "workspace_snapshot", map[string]any{"max_files": 2}))["tree"].(string)
	if !strings.Contains(tree, "tree truncated after 2 entries") {
		t.Fatalf("max_files 2:\n%s", tree)
	}
}
