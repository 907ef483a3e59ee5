package tools

// Catalog is every tool mcpd knows, in CodexPro 0.30's full order; Visible
// picks the ones a configuration advertises.
type Catalog []Tool

// connectionTestHidden are tools a connection test never shows: anything that
// writes, runs commands or dispatches to other tools.
var connectionTestHidden = map[string]bool{
	"codexpro": true, "codexpro_self_test": true, "write": true, "edit": true,
	"apply_patch": true, "import_file": true, "bash": true, "export_pro_context": true,
	"handoff_to_agent": true, "handoff_to_codex": true,
}

var workspaceWriteTools = map[string]bool{"write": true, "edit": true, "apply_patch": true, "import_file": true}

// Visible applies the registration rules in this order: connection test,
// bash off, write mode, codex sessions, analysis, forced handoff_to_agent,
// then tool-mode membership.
func (c Catalog) Visible(cfg Config) []Tool {
	var out []Tool
	for _, t := range c {
		if c.visible(t, cfg) {
			out = append(out, t)
		}
	}
	return out
}

func (c Catalog) visible(t Tool, cfg Config) bool {
	switch {
	case cfg.ConnectionTest && connectionTestHidden[t.Name]:
		return false
	case t.Name == "bash" && cfg.BashMode == "off":
		return false
	case workspaceWriteTools[t.Name] && cfg.WriteMode != "workspace":
		return false
	case t.Name == "codex_sessions":
		return cfg.CodexSessions == "metadata" || cfg.CodexSessions == "read"
	case t.Name == "read_codex_session":
		return cfg.CodexSessions == "read"
	case t.Name == "inspect_workspace" && !cfg.Analysis:
		return false
	case t.Name == "handoff_to_agent" && cfg.WriteMode == "handoff":
		return true
	}
	return t.Sets&setFor(cfg.ToolMode) != 0
}

func setFor(mode string) Sets {
	switch mode {
	case "minimal":
		return Minimal
	case "full":
		return Full
	}
	return Standard
}

// Names lists tool names in order.
func Names(ts []Tool) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}
