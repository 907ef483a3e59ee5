package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadHandoff(t *testing.T) {
	e, root := newTestEnv(t, nil)
	r := callTool(t, e, "read_handoff", nil)
	m := mustOK(t, r)
	if m["file_count"] != 0.0 || !strings.Contains(resultText(r), "No .ai-bridge handoff context exists yet") {
		t.Fatalf("empty: %v %s", m, resultText(r))
	}
	if _, err := os.Stat(filepath.Join(root, ".ai-bridge")); err == nil {
		t.Fatal("read_handoff created the context directory")
	}

	outside := filepath.Join(t.TempDir(), "secret.md")
	if err := os.WriteFile(outside, []byte("outside text"), 0o644); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("log line\n", 12_000) // > 80,000 bytes
	e, root = newTestEnv(t, map[string]string{
		".ai-bridge/current-plan.md":           "# Plan\ntoken " + plantedSecret + "\n",
		".ai-bridge/decisions.md":              "",
		".ai-bridge/execution-log.jsonl":       long,
		".ai-bridge/implementation-diff.patch": "a\x00b",
	})
	if err := os.Symlink(outside, filepath.Join(root, ".ai-bridge", "agent-status.md")); err != nil {
		t.Fatal(err)
	}
	r = callTool(t, e, "read_handoff", nil)
	m = mustOK(t, r)
	text := resultText(r)
	want := []any{".ai-bridge/current-plan.md", ".ai-bridge/agent-status.md", ".ai-bridge/implementation-diff.patch",
		".ai-bridge/decisions.md", ".ai-bridge/execution-log.jsonl"}
	if got := m["files"].([]any); len(got) != len(want) || got[0] != want[0] || got[4] != want[4] {
		t.Fatalf("files = %v", got)
	}
	for _, s := range []string{"--- .ai-bridge/current-plan.md ---\n1 | # Plan\n2 | token [REDACTED_SECRET]",
		"--- .ai-bridge/agent-status.md ---\n[unreadable: Path resolves outside workspace root through a symlink",
		"--- .ai-bridge/implementation-diff.patch ---\n[unreadable: Refusing to read binary file",
		"--- .ai-bridge/decisions.md ---\n(empty)", "...[truncated at 80000 bytes]"} {
		if !strings.Contains(text, s) {
			t.Fatalf("text lacks %q", s)
		}
	}
	if strings.Contains(text, "outside text") || strings.Contains(text, plantedSecret) || strings.Contains(text, "| ...[truncated") {
		t.Fatal("read_handoff leaked")
	}
	p := m["preview"].(string)
	if strings.Count(p, "\n") != 40 || !strings.HasSuffix(p, previewCutMarker) {
		t.Fatalf("preview has %d lines: %q", strings.Count(p, "\n"), p[len(p)-60:])
	}
}

func TestCodexContext(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{
		"AGENTS.md":                   "root rules",
		"pkg/AGENTS.md":               "pkg rules",
		"pkg/agents.md":               "same name other case",
		"pkg/deep/AGENTS.override.md": strings.Repeat("o", 3000),
		"pkg/deep/main.go":            "package main",
		"other/AGENTS.md":             "other rules",
		".ai-bridge/current-plan.md":  "plan",
	})
	gitCommitAll(t, root)
	writeFiles(t, root, map[string]string{"pkg/deep/main.go": "package main // edited"})

	r := callTool(t, e, "codex_context", map[string]any{"target_path": "pkg/deep/main.go", "include_diff": true})
	m := mustOK(t, r)
	files := m["agents_files"].([]any)
	if len(files) != 3 || files[0] != "AGENTS.md" || files[1] != "pkg/AGENTS.md" || files[2] != "pkg/deep/AGENTS.override.md" {
		t.Fatalf("agents_files = %v", files)
	}
	text := resultText(r)
	for _, s := range []string{"## AGENTS Instructions", "### pkg/AGENTS.md\n\npkg rules", "## AI Bridge Context",
		"## Git Status", " M pkg/deep/main.go", "## Git Diff", "+package main // edited"} {
		if !strings.Contains(text, s) {
			t.Fatalf("text lacks %q:\n%s", s, text)
		}
	}
	if strings.Contains(text, "other rules") || m["included_git_diff"] != true || len(m["ai_context_files"].([]any)) != 1 {
		t.Fatalf("codex_context = %v", m)
	}

	r = callTool(t, e, "codex_context", map[string]any{"target_path": "pkg/deep", "max_agent_bytes": 1000,
		"include_git": false, "include_ai_bridge": false})
	m = mustOK(t, r)
	if m["included_git_status"] != false || strings.Contains(resultText(r), "## AI Bridge Context") ||
		!strings.Contains(resultText(r), "[skipped: max_agent_bytes reached]") && !strings.Contains(resultText(r), "truncated at") {
		t.Fatalf("budgeted codex_context:\n%s", resultText(r))
	}
	if len(resultText(r)) > 2000 {
		t.Fatalf("max_agent_bytes 1000 gave %d bytes of text", len(resultText(r)))
	}
	mustFail(t, callTool(t, e, "codex_context", map[string]any{"target_path": "../x"}), "escapes")
	mustFail(t, callTool(t, e, "codex_context", map[string]any{"max_agent_bytes": 10}), "max_agent_bytes must be between 1000 and 200000")
}
