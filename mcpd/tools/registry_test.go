package tools

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/toolkit"
)

// referenceCatalog is CodexPro 0.30's full list with each tool's tool-mode
// membership, independent of which tools are built yet.
func referenceCatalog() toolkit.Catalog {
	m, s, f := toolkit.Minimal, toolkit.Standard, toolkit.Full
	spec := []struct {
		name string
		sets toolkit.Sets
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
	c := make(toolkit.Catalog, len(spec))
	for i, t := range spec {
		c[i] = toolkit.Tool{Name: t.name, Sets: t.sets}
	}
	return c
}

// allConfigs is every combination of the settings Visible reads.
func allConfigs() []toolkit.Config {
	var out []toolkit.Config
	for _, tm := range []string{"minimal", "standard", "full"} {
		for _, wm := range []string{"workspace", "handoff", "off"} {
			for _, bm := range []string{"safe", "full", "off"} {
				for _, ct := range []bool{false, true} {
					for _, cs := range []string{"off", "metadata", "read"} {
						for _, an := range []bool{true, false} {
							out = append(out, toolkit.Config{ToolMode: tm, WriteMode: wm, BashMode: bm, ConnectionTest: ct, CodexSessions: cs, Analysis: an})
						}
					}
				}
			}
		}
	}
	return out
}

// TestRegistrationMatrix pins the advertised tool set of the built catalog
// for every combination of modes; the snapshot is reviewed like a tool schema
// (UPDATE_TOOLSNAPS=1).
func TestRegistrationMatrix(t *testing.T) {
	var b strings.Builder
	for _, tm := range []string{"minimal", "standard", "full"} {
		for _, wm := range []string{"workspace", "handoff", "off"} {
			for _, bm := range []string{"safe", "off"} {
				for _, ct := range []bool{false, true} {
					for _, cs := range []string{"off", "read"} {
						cfg := toolkit.Config{ToolMode: tm, WriteMode: wm, BashMode: bm, ConnectionTest: ct, CodexSessions: cs, Analysis: true}
						names := toolkit.Names(All().Visible(cfg))
						fmt.Fprintf(&b, "tool=%s write=%s bash=%s connection_test=%v codex_sessions=%s (%d): %s\n",
							tm, wm, bm, ct, cs, len(names), strings.Join(names, " "))
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
	if err != nil {
		t.Fatalf("%s: %v (rerun with UPDATE_TOOLSNAPS=1 and review)", path, err)
	}
	if d := lineDiff(string(want), b.String()); d != "" {
		t.Fatalf("registration matrix differs from %s (rerun with UPDATE_TOOLSNAPS=1 and review):\n%s", path, d)
	}
}

func cfgName(c toolkit.Config) string {
	return fmt.Sprintf("tool=%s write=%s bash=%s connection_test=%v codex_sessions=%s analysis=%v",
		c.ToolMode, c.WriteMode, c.BashMode, c.ConnectionTest, c.CodexSessions, c.Analysis)
}

// TestVisibilityInvariants states, over every tool of the catalog and every
// configuration, the promises SECURITY.md makes about modes. They read the
// kinds and traits, so they hold for a tool added tomorrow.
func TestVisibilityInvariants(t *testing.T) {
	for _, cfg := range allConfigs() {
		vis := All().Visible(cfg)
		has := map[string]bool{}
		for _, tl := range vis {
			has[tl.Name] = true
		}
		for _, tl := range vis {
			if cfg.ConnectionTest && !tl.Kind.ReadOnlyKind() {
				t.Errorf("%s: connection test advertises %s of kind %v, which is not read-only", cfgName(cfg), tl.Name, tl.Kind)
			}
			if cfg.WriteMode != "workspace" && tl.Kind == toolkit.LocalWrite {
				t.Errorf("%s: write mode %s advertises %s, which writes workspace files", cfgName(cfg), cfg.WriteMode, tl.Name)
			}
			if cfg.BashMode == "off" && tl.Kind == toolkit.Shell && !tl.Traits.Has(toolkit.Dispatches) {
				t.Errorf("%s: --bash off advertises %s, which runs commands", cfgName(cfg), tl.Name)
			}
			if tl.Traits.Has(toolkit.ReadsCodexSessions) && cfg.CodexSessions != "read" {
				t.Errorf("%s: codex sessions %s advertises %s, which reads session content", cfgName(cfg), cfg.CodexSessions, tl.Name)
			}
			if tl.Traits.Has(toolkit.ListsCodexSessions) && cfg.CodexSessions == "off" {
				t.Errorf("%s: codex sessions off advertises %s", cfgName(cfg), tl.Name)
			}
			if tl.Traits.Has(toolkit.NeedsAnalysis) && !cfg.Analysis {
				t.Errorf("%s: analysis off advertises %s", cfgName(cfg), tl.Name)
			}
		}
		// A dispatcher reaches only the advertised tools, so with bash off
		// nothing it can reach runs commands either.
		for _, tl := range vis {
			if cfg.BashMode == "off" && tl.Kind == toolkit.Shell && tl.Traits.Has(toolkit.Dispatches) {
				for _, other := range vis {
					if other.Kind == toolkit.Shell && !other.Traits.Has(toolkit.Dispatches) {
						t.Errorf("%s: %s can dispatch to %s, which runs commands", cfgName(cfg), tl.Name, other.Name)
					}
				}
			}
		}
		if cfg.WriteMode == "handoff" && !cfg.ConnectionTest {
			entry := false
			for _, tl := range vis {
				entry = entry || tl.Traits.Has(toolkit.HandoffEntry)
			}
			if !entry {
				t.Errorf("%s: handoff mode advertises no way to hand off", cfgName(cfg))
			}
		}
		if cfg.ToolMode == "full" && cfg.WriteMode == "workspace" && cfg.BashMode != "off" && !cfg.ConnectionTest && cfg.CodexSessions == "read" && cfg.Analysis && len(vis) != 30 {
			t.Errorf("full mode with codex sessions advertises %d tools, want CodexPro 0.30's 30", len(vis))
		}
	}
}

// effects is what a tool does, written down here independently of its
// declaration: the test oracle for TestDeclarationsMatchEffects.
type effects struct {
	writes, runs, dispatches, handoff, entry, listsSessions, readsSessions, analysis, card bool
}

// toolEffects says, per tool, what its handler does. A tool missing here
// fails the test, so a new tool gets its effects reviewed once.
var toolEffects = map[string]effects{
	"codexpro":               {runs: true, dispatches: true},
	"server_config":          {},
	"codexpro_self_test":     {handoff: true},
	"codexpro_inventory":     {},
	"load_skill":             {},
	"list_workspaces":        {},
	"open_current_workspace": {},
	"open_workspace":         {},
	"workspace_snapshot":     {},
	"inspect_workspace":      {analysis: true},
	"tree":                   {},
	"search":                 {},
	"read":                   {},
	"view_image":             {},
	"write":                  {writes: true, card: true},
	"edit":                   {writes: true, card: true},
	"apply_patch":            {writes: true, card: true},
	"import_file":            {writes: true},
	"bash":                   {runs: true},
	"git_status":             {},
	"git_diff":               {},
	"show_changes":           {},
	"read_handoff":           {},
	"wait_for_handoff":       {},
	"codex_context":          {},
	"export_pro_context":     {handoff: true, card: true},
	"handoff_to_agent":       {handoff: true, entry: true, card: true},
	"handoff_to_codex":       {handoff: true, card: true},
	"codex_sessions":         {listsSessions: true},
	"read_codex_session":     {readsSessions: true},
}

// TestDeclarationsMatchEffects: each tool's Kind and Traits say what it
// does. A writing tool declared with a read-only kind, or a tool that lost a
// visibility trait, fails here (and would otherwise be advertised where the
// invariants above forbid it).
func TestDeclarationsMatchEffects(t *testing.T) {
	seen := map[string]bool{}
	for _, tl := range All() {
		seen[tl.Name] = true
		want, ok := toolEffects[tl.Name]
		if !ok {
			t.Errorf("%s: no entry in toolEffects; say what the tool does", tl.Name)
			continue
		}
		check := func(what string, does, declared bool) {
			if does != declared {
				t.Errorf("%s %s = %v, but its declaration (kind %v, traits %07b) says %v", tl.Name, what, does, tl.Kind, tl.Traits, declared)
			}
		}
		check("writes workspace files", want.writes, tl.Kind == toolkit.LocalWrite)
		check("runs commands", want.runs, tl.Kind == toolkit.Shell)
		check("needs bash", want.runs && !want.dispatches, tl.Traits.Has(toolkit.NeedsBash))
		check("dispatches to other tools", want.dispatches, tl.Traits.Has(toolkit.Dispatches))
		check("writes handoff files", want.handoff, tl.Kind == toolkit.HandoffWrite)
		check("is the handoff entry", want.entry, tl.Traits.Has(toolkit.HandoffEntry))
		check("lists codex sessions", want.listsSessions, tl.Traits.Has(toolkit.ListsCodexSessions))
		check("reads codex sessions", want.readsSessions, tl.Traits.Has(toolkit.ReadsCodexSessions))
		check("needs analysis", want.analysis, tl.Traits.Has(toolkit.NeedsAnalysis))
		check("renders a card", want.card, tl.Traits.Has(toolkit.Card))
		changes := want.writes || want.runs || want.handoff
		check("changes nothing", !changes, tl.Kind.ReadOnlyKind())
	}
	for name := range toolEffects {
		if !seen[name] {
			t.Errorf("toolEffects lists %s, which is not in the catalog", name)
		}
	}
}

// TestCatalogFollowsReference: every built tool has CodexPro 0.30's name,
// tool-mode membership and position, so tools/list reads the same.
func TestCatalogFollowsReference(t *testing.T) {
	pos := map[string]int{}
	sets := map[string]toolkit.Sets{}
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
