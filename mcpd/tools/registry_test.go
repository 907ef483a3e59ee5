package tools

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// referenceCatalog is CodexPro 0.30's full list with each tool's tool-mode
// membership, independent of which tools are built yet.
func referenceCatalog() Catalog {
	m, s, f := Minimal, Standard, Full
	spec := []struct {
		name string
		sets Sets
	}{
		{"codexpro", m | s | f}, {"server_config", m | s | f}, {"codexpro_self_test", m | s | f},
		{"codexpro_inventory", f}, {"load_skill", s | f}, {"list_workspaces", f},
		{"open_current_workspace", m | s | f}, {"open_workspace", m | s | f}, {"workspace_snapshot", f},
		{"inspect_workspace", s | f}, {"tree", s | f}, {"search", s | f}, {"read", m | s | f},
		{"view_image", s | f}, {"write", m | s | f}, {"edit", m | s | f}, {"apply_patch", m | s | f},
		{"import_file", m | s | f}, {"bash", m | s | f}, {"git_status", f}, {"git_diff", f},
		{"show_changes", m | s | f}, {"read_handoff", s | f}, {"wait_for_handoff", s | f},
		{"codex_context", f}, {"export_pro_context", s | f}, {"handoff_to_agent", s | f},
		{"handoff_to_codex", f}, {"codex_sessions", m | s | f}, {"read_codex_session", m | s | f},
	}
	c := make(Catalog, len(spec))
	for i, t := range spec {
		c[i] = Tool{Name: t.name, Sets: t.sets}
	}
	return c
}

// TestRegistrationMatrix pins the advertised tool set for every combination
// of modes; the snapshot is reviewed like a tool schema (UPDATE_TOOLSNAPS=1).
func TestRegistrationMatrix(t *testing.T) {
	var b strings.Builder
	for _, tm := range []string{"minimal", "standard", "full"} {
		for _, wm := range []string{"workspace", "handoff", "off"} {
			for _, bm := range []string{"safe", "off"} {
				for _, ct := range []bool{false, true} {
					for _, cs := range []string{"off", "read"} {
						cfg := Config{ToolMode: tm, WriteMode: wm, BashMode: bm, ConnectionTest: ct, CodexSessions: cs, Analysis: true}
						names := Names(referenceCatalog().Visible(cfg))
						fmt.Fprintf(&b, "tool=%s write=%s bash=%s connection_test=%v codex_sessions=%s (%d): %s\n",
							tm, wm, bm, ct, cs, len(names), strings.Join(names, " "))
						checkMatrixRules(t, cfg, names)
					}
				}
			}
		}
	}
	path := filepath.Join("testdata", "matrix.txt")
	if os.Getenv("UPDATE_TOOLSNAPS") == "1" {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil || string(want) != b.String() {
		t.Fatalf("registration matrix differs from %s (rerun with UPDATE_TOOLSNAPS=1 and review): %v", path, err)
	}
}

// checkMatrixRules states the promises SECURITY.md makes about modes.
func checkMatrixRules(t *testing.T, cfg Config, names []string) {
	t.Helper()
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	if cfg.WriteMode != "workspace" {
		for _, w := range []string{"write", "edit", "apply_patch", "import_file"} {
			if has[w] {
				t.Errorf("%+v advertises %s", cfg, w)
			}
		}
	}
	if cfg.ConnectionTest {
		for n := range connectionTestHidden {
			if has[n] {
				t.Errorf("connection test advertises %s", n)
			}
		}
	}
	if cfg.BashMode == "off" && has["bash"] {
		t.Errorf("bash off advertises bash")
	}
	if cfg.WriteMode == "handoff" && !cfg.ConnectionTest && !has["handoff_to_agent"] {
		t.Errorf("handoff mode hides handoff_to_agent in %s", cfg.ToolMode)
	}
	if cfg.ToolMode == "full" && cfg.WriteMode == "workspace" && cfg.BashMode == "safe" && !cfg.ConnectionTest && cfg.CodexSessions == "read" && len(names) != 30 {
		t.Errorf("full mode with codex sessions advertises %d tools, want CodexPro 0.30's 30", len(names))
	}
}

// TestCatalogFollowsReference: every built tool has CodexPro 0.30's name,
// tool-mode membership and position, so tools/list reads the same.
func TestCatalogFollowsReference(t *testing.T) {
	pos := map[string]int{}
	sets := map[string]Sets{}
	for i, r := range referenceCatalog() {
		pos[r.Name], sets[r.Name] = i, r.Sets
	}
	last := -1
	for _, tl := range All() {
		p, ok := pos[tl.Name]
		if !ok {
			t.Errorf("%s is not a reference tool name", tl.Name)
			continue
		}
		if tl.Sets != sets[tl.Name] {
			t.Errorf("%s: tool modes %b, reference %b", tl.Name, tl.Sets, sets[tl.Name])
		}
		if p < last {
			t.Errorf("%s is out of CodexPro 0.30's order", tl.Name)
		}
		last = p
	}
}
