package toolkit

// Catalog is every tool mcpd knows, in CodexPro 0.30's full order; Visible
// picks the ones a configuration advertises.
type Catalog []Tool

// Visible returns the tools a configuration advertises, in catalog order.
// The rules read only each tool's own declaration (Kind, Traits, Sets), in
// this order:
//   - a connection test advertises read-only kinds only;
//   - --bash off hides tools that need bash;
//   - a write mode other than workspace hides every LocalWrite tool;
//   - the codex session tools follow the codex sessions setting alone;
//   - analysis off hides tools that need it;
//   - write mode handoff advertises the handoff entry in every tool mode;
//   - otherwise the tool mode decides (Sets).
func (c Catalog) Visible(cfg Config) []Tool {
	var out []Tool
	for _, t := range c {
		if visible(t, cfg) {
			out = append(out, t)
		}
	}
	return out
}

func visible(t Tool, cfg Config) bool {
	switch {
	case cfg.ConnectionTest && !t.Kind.ReadOnlyKind():
		return false
	case t.Traits.Has(NeedsBash) && cfg.BashMode == "off":
		return false
	case t.Kind == LocalWrite && cfg.WriteMode != "workspace":
		return false
	case t.Traits.Has(ReadsCodexSessions):
		return cfg.CodexSessions == "read"
	case t.Traits.Has(ListsCodexSessions):
		return cfg.CodexSessions == "metadata" || cfg.CodexSessions == "read"
	case t.Traits.Has(NeedsAnalysis) && !cfg.Analysis:
		return false
	case t.Traits.Has(HandoffEntry) && cfg.WriteMode == "handoff":
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
