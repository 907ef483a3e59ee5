package tools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/internal/wstest"
)

func TestExportProContext(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{
		"README.md":                "# Demo\n",
		"go.mod":                   "module demo\n",
		"src/app.go":               "package app\n\nconst key = \"" + plantedSecret + "\"\n",
		"src/other.go":             "package app\n",
		".github/workflows/ci.yml": "on: push\n",
		".env":                     "TOKEN=abc\n",
	})
	gitInit(t, root)
	wstest.WriteFile(t, filepath.Join(root, "src", "other.go"), "package app\n\nfunc Changed() {}\n")
	e.Cfg.WriteMode = "off" // a handoff-class write: allowed in every write mode
	s := mustOK(t, callTool(t, e, "export_pro_context", map[string]any{
		"title": "Review pack", "selected_paths": []any{"src/app.go", ".env"}, "extra_globs": []any{".github/**/*.yml"}}))
	data, err := os.ReadFile(filepath.Join(root, ".ai-bridge", "pro-context.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	included := strings.Join(toStrings(s["files_included"]), ",")
	if included != "src/app.go,README.md,go.mod,.github/workflows/ci.yml,src/other.go" {
		t.Errorf("files_included = %s", included)
	}
	for _, want := range []string{"# Review pack", "## Repository Tree", "## Git Status", "## Git Diff", "func Changed", "### src/app.go",
		"## Existing AI Bridge Context", "[REDACTED_SECRET]", "## Skipped Files"} {
		if !strings.Contains(text, want) {
			t.Errorf("bundle lacks %q", want)
		}
	}
	for _, leak := range []string{plantedSecret, "TOKEN=abc", "### .env"} {
		if strings.Contains(text, leak) {
			t.Errorf("bundle leaks %q", leak)
		}
	}
	if skipped := strings.Join(toStrings(s["files_skipped"]), ","); !strings.Contains(skipped, ".env") || !strings.Contains(skipped, "blocked") {
		t.Errorf("files_skipped = %s", skipped)
	}
	// A second export never includes the first bundle.
	s2 := mustOK(t, callTool(t, e, "export_pro_context", map[string]any{"selected_paths": []any{".ai-bridge/pro-context.md"}}))
	if strings.Contains(strings.Join(toStrings(s2["files_included"]), ","), "pro-context.md") {
		t.Error("bundle includes itself")
	}
}

func TestExportProContextBounds(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"README.md": strings.Repeat("é long line of text\n", 3000)})
	s := mustOK(t, callTool(t, e, "export_pro_context", map[string]any{"max_total_bytes": 20000}))
	data, _ := os.ReadFile(filepath.Join(root, ".ai-bridge", "pro-context.md"))
	if len(data) > 20000 || s["truncated"] != true || !strings.Contains(string(data), "[truncated to 20000 bytes]") {
		t.Fatalf("bundle of %d bytes, truncated=%v", len(data), s["truncated"])
	}
	mustFail(t, callTool(t, e, "export_pro_context", map[string]any{"max_files": 81}), "max_files must be between")
	mustFail(t, callTool(t, e, "export_pro_context", map[string]any{"extra_globs": []any{"[bad"}}), "not a valid glob")
	mustFail(t, callTool(t, e, "export_pro_context", map[string]any{"title": "a\nb"}), "one line")
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, len(list))
	for i, x := range list {
		out[i], _ = x.(string)
	}
	return out
}
