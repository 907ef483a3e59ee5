package tools

// CodexPro 0.30's registration matrix, written out
// independently of each tool's Sets so the self-test can catch a tool
// advertised in the wrong mode.
var (
	minimalToolNames = []string{"codexpro", "server_config", "codexpro_self_test", "open_current_workspace", "open_workspace",
		"read", "write", "edit", "apply_patch", "import_file", "bash", "show_changes"}
	standardExtraNames = []string{"inspect_workspace", "tree", "search", "load_skill", "view_image", "read_handoff",
		"wait_for_handoff", "export_pro_context", "handoff_to_agent"}
	fullToolNames = []string{"codexpro", "server_config", "codexpro_self_test", "codexpro_inventory", "load_skill",
		"list_workspaces", "open_current_workspace", "open_workspace", "workspace_snapshot", "inspect_workspace", "tree",
		"search", "read", "view_image", "write", "edit", "apply_patch", "import_file", "bash", "git_status", "git_diff",
		"show_changes", "read_handoff", "wait_for_handoff", "codex_context", "export_pro_context", "handoff_to_agent",
		"handoff_to_codex"}
)

// expectedToolNames applies the registration filters in order and
// returns the names in FULL order, sessions appended.
func expectedToolNames(c Config) []string {
	member := map[string]bool{}
	base := fullToolNames
	switch c.ToolMode {
	case "minimal":
		base = minimalToolNames
	case "standard", "":
		base = append(append([]string{}, minimalToolNames...), standardExtraNames...)
	}
	for _, n := range base {
		member[n] = true
	}
	if c.WriteMode == "handoff" {
		member["handoff_to_agent"] = true
	}
	hide := func(names ...string) {
		for _, n := range names {
			delete(member, n)
		}
	}
	if c.ConnectionTest {
		hide("codexpro", "codexpro_self_test", "write", "edit", "apply_patch", "import_file", "bash",
			"export_pro_context", "handoff_to_agent", "handoff_to_codex")
	}
	if c.BashMode == "off" {
		hide("bash")
	}
	if c.WriteMode != "workspace" {
		hide("write", "edit", "apply_patch", "import_file")
	}
	if !c.Analysis {
		hide("inspect_workspace")
	}
	var out []string
	for _, n := range fullToolNames {
		if member[n] {
			out = append(out, n)
		}
	}
	if c.CodexSessions == "metadata" || c.CodexSessions == "read" {
		out = append(out, "codex_sessions")
	}
	if c.CodexSessions == "read" {
		out = append(out, "read_codex_session")
	}
	return out
}
