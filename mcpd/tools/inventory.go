package tools

import (
	"context"
	"fmt"
	"strings"

	"codexpro.dev/mcpd/skills"
	"codexpro.dev/mcpd/toolkit"
)

// widgetURI is the tool-card resource, named as CodexPro 0.30 names it.
const widgetURI = "ui://widget/codexpro-tool-card-v10.html"

type inventoryIn struct {
	toolkit.WorkspaceArg
	IncludeGlobalSkills *bool `json:"include_global_skills,omitempty" jsonschema:"Include user and plugin skills (default true)"`
	IncludeMCPServers   *bool `json:"include_mcp_servers,omitempty" jsonschema:"Include configured MCP server names (default true)"`
	MaxSkills           int   `json:"max_skills,omitempty" jsonschema:"Most skills to list (1 to 500; default 120)"`
}

type inventoryOut struct {
	WorkspaceID    string         `json:"workspace_id"`
	Root           string         `json:"root"`
	BashMode       string         `json:"bash_mode"`
	WriteMode      string         `json:"write_mode"`
	ToolMode       string         `json:"tool_mode"`
	Skills         []skills.Skill `json:"skills"`
	SkillCount     int            `json:"skill_count"`
	MCPServers     []MCPServer    `json:"mcp_servers"`
	MCPServerCount int            `json:"mcp_server_count"`
	WidgetURI      string         `json:"widget_uri"`
	Warnings       []string       `json:"warnings,omitempty"`
}

// InventoryTool lists the skills and MCP servers this workspace can use.
// MCP servers are listed by name only.
func InventoryTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "codexpro_inventory", Title: "CodexPro inventory", Kind: toolkit.ReadOnly, Sets: toolkit.Full,
		Description: "List the skills (workspace .codex/skills, .agents/skills, skills; user ~/.codex/skills, ~/.agents/skills; plugin skills) " +
			"and the names of configured MCP servers. Load a skill's text with load_skill.",
	}, inventory)
}

func inventory(ctx context.Context, e *toolkit.Env, in inventoryIn) (inventoryOut, string, error) {
	w := in.Workspace()
	max, err := intArg("max_skills", in.MaxSkills, skills.DefaultLimit, 1, skills.MaxAllowed)
	if err != nil {
		return inventoryOut{}, "", err
	}
	all, warnings := skills.Discover(w, skillDirs(e), boolArg(in.IncludeGlobalSkills, true), max)
	active := skills.Active(all)
	out := inventoryOut{WorkspaceID: w.ID, Root: w.Root, BashMode: e.Cfg.BashMode, WriteMode: e.Cfg.WriteMode,
		ToolMode: e.Cfg.ToolMode, Skills: nonNil(active), SkillCount: len(active), MCPServers: []MCPServer{},
		WidgetURI: widgetURI, Warnings: warnings}
	if boolArg(in.IncludeMCPServers, true) {
		out.MCPServers = nonNil(mcpServers(e, w, boolArg(in.IncludeGlobalSkills, true)))
	}
	out.MCPServerCount = len(out.MCPServers)
	return out, inventoryText(out), nil
}

func inventoryText(out inventoryOut) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# CodexPro Inventory\n\nWorkspace: %s\nModes: tool=%s, bash=%s, write=%s\n\n## Skills (%d)\n",
		out.Root, out.ToolMode, out.BashMode, out.WriteMode, out.SkillCount)
	for _, s := range out.Skills {
		fmt.Fprintf(&b, "- %s [%s] %s", s.Name, s.Source, s.Path)
		if s.Description != "" {
			fmt.Fprintf(&b, " — %s", s.Description)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\n## MCP servers (%d)\n", out.MCPServerCount)
	for _, s := range out.MCPServers {
		fmt.Fprintf(&b, "- %s (%s)\n", s.Name, s.Source)
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(&b, "\nWarning: %s", w)
	}
	return strings.TrimRight(b.String(), "\n")
}

// nonNil makes an empty list marshal as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
