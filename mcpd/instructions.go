package mcpd

import (
	"fmt"
	"strings"

	"codexpro.dev/mcpd/toolkit"
)

// Instructions is the text sent in initialize: how to work with this server
// in its current modes: workflow, edit and bash lines for those modes, then
// the modes themselves (the same structure as CodexPro 0.30's).
func Instructions(c toolkit.Config) string {
	lines := []string{
		"CodexPro connects you to explicitly allowed local development workspaces.",
		"Preferred workflow:",
		"1. Start with open_current_workspace (or open_workspace for another allowed folder).",
		"2. Follow AGENTS.md in the workspace if it exists.",
		"3. Inspect with tree, search and read. Do not use bash for git status, git diff, cat, sed, grep, rg, find, ls or file reading.",
		"4. " + editLine(c),
		"5. " + bashLine(c),
		"6. Keep tool calls minimal and targeted; prefer line ranges for large files.",
		fmt.Sprintf("Current modes: tool=%s, bash=%s, write=%s.", c.ToolMode, c.BashMode, c.WriteMode),
	}
	return strings.Join(lines, "\n")
}

func editLine(c toolkit.Config) string {
	switch {
	case c.ConnectionTest:
		return "This is a connection test: the tools are read-only."
	case c.WriteMode == "workspace":
		return "Edit with write, edit or apply_patch, then call show_changes once to review the diff."
	case c.WriteMode == "handoff":
		return "Source writes are disabled: write a plan with handoff_to_agent (or handoff_to_codex) for a local agent to implement."
	}
	return "Writes are disabled (write mode off); handoff and context files may still be written."
}

func bashLine(c toolkit.Config) string {
	switch c.BashMode {
	case "off":
		return "Bash is disabled."
	case "full":
		return "Bash runs any command in the workspace; use it for verification (tests, builds, linters)."
	}
	return "Bash is in safe mode: verification commands only (tests, builds, linters, read-only git)."
}
