package tools

// All returns every tool mcpd implements, in the reference's FULL order, so
// tools/list reads the same as the Node server's. Each domain file adds its
// constructors here.
func All() Catalog {
	return Catalog{
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
