package tools

import (
	"slices"
	"sync"

	"codexpro.dev/mcpd/toolkit"
)

// All returns every tool mcpd implements, in CodexPro 0.30's full order, so
// tools/list reads the same as the Node server's. The catalog is built once
// per process: its schemas come from reflection and JSON encoding and cost
// milliseconds, which start-up and every server_config call would pay
// again (BenchmarkNewMCPServer). Callers get their own slice; the tools in
// it are values and their schemas are only read.
func All() toolkit.Catalog {
	built.once.Do(func() { built.c = build() })
	return slices.Clone(built.c)
}

// built is the catalog, computed on first use and never changed afterwards.
// (A sync.OnceValue initializer would form an initialization cycle:
// server_config lists the catalog.)
var built struct {
	once sync.Once
	c    toolkit.Catalog
}

// build lists the tools. Each domain file adds its constructors here.
func build() toolkit.Catalog {
	return toolkit.Catalog{
		SupertoolTool(),
		ServerConfigTool(),
		SelfTestTool(),
		InventoryTool(),
		LoadSkillTool(),
		ListWorkspacesTool(),
		OpenCurrentWorkspaceTool(),
		OpenWorkspaceTool(),
		WorkspaceSnapshotTool(),
		InspectWorkspaceTool(),
		TreeTool(),
		SearchTool(),
		ReadTool(),
		ViewImageTool(),
		WriteTool(),
		EditTool(),
		PatchTool(),
		ImportFileTool(),
		BashTool(),
		GitStatusTool(),
		GitDiffTool(),
		ShowChangesTool(),
		ReadHandoffTool(),
		WaitForHandoffTool(),
		CodexContextTool(),
		ExportProContextTool(),
		HandoffToAgentTool(),
		HandoffToCodexTool(),
		CodexSessionsTool(),
		ReadCodexSessionTool(),
	}
}
