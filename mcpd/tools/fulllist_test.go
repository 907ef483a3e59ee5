package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"codexpro.dev/mcpd/toolkit"
)

// fullReferenceNames is CodexPro 0.30's tools/list in full tool mode, agent
// write mode, safe bash, codex sessions on read: its full list plus the two
// session tools, in order.
var fullReferenceNames = []string{
	"codexpro", "server_config", "codexpro_self_test", "codexpro_inventory", "load_skill", "list_workspaces",
	"open_current_workspace", "open_workspace", "workspace_snapshot", "inspect_workspace", "tree", "search", "read",
	"view_image", "write", "edit", "apply_patch", "import_file", "bash", "git_status", "git_diff", "show_changes",
	"read_handoff", "wait_for_handoff", "codex_context", "export_pro_context", "handoff_to_agent", "handoff_to_codex",
	"codex_sessions", "read_codex_session",
}

// TestFullToolList asks a real MCP server for tools/list and expects the
// reference's 30 names in its order, so a user switching from the Node
// server loses no tool.
func TestFullToolList(t *testing.T) {
	e, _ := newTestEnv(t, nil)
	e.Cfg = toolkit.Config{Mode: "agent", ToolMode: "full", WriteMode: "workspace", BashMode: "safe", CodexSessions: "read", Analysis: true,
		MaxReadBytes: 180000, MaxWriteBytes: 1000000, MaxOutputBytes: 120000, MaxSearchResults: 200, ContextDir: ".ai-bridge"}
	s := server.NewMCPServer("test", "0", server.WithToolCapabilities(false), server.WithToolFilter(All().Order()))
	toolkit.Register(s, e, All().Visible(e.Cfg))
	got := listedNames(t, s)

	have := map[string]bool{}
	for _, n := range got {
		have[n] = true
	}
	var missing []string
	for _, n := range fullReferenceNames {
		if !have[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		t.Fatalf("tools/list lacks %d of CodexPro 0.30's 30 tools: %s", len(missing), strings.Join(missing, ", "))
	}
	if strings.Join(got, " ") != strings.Join(fullReferenceNames, " ") {
		t.Fatalf("tools/list order or extras differ:\n got  %s\n want %s", strings.Join(got, " "), strings.Join(fullReferenceNames, " "))
	}
}

func listedNames(t *testing.T, s *server.MCPServer) []string {
	t.Helper()
	ctx := context.Background()
	s.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`))
	resp := s.HandleMessage(ctx, json.RawMessage(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Result mcp.ListToolsResult `json:"result"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("tools/list response %s: %v", raw, err)
	}
	names := make([]string, len(out.Result.Tools))
	for i, tl := range out.Result.Tools {
		names[i] = tl.Name
	}
	return names
}

// TestCatalogOrderFilter: tools/list follows the catalog, not mcp-go's
// alphabetical order, and the filter hides nothing.
func TestCatalogOrderFilter(t *testing.T) {
	e, _ := newTestEnv(t, nil)
	visible := All().Visible(e.Cfg)
	s := server.NewMCPServer("test", "0", server.WithToolCapabilities(false), server.WithToolFilter(All().Order()))
	toolkit.Register(s, e, visible)
	if got, want := strings.Join(listedNames(t, s), " "), strings.Join(toolkit.Names(visible), " "); got != want {
		t.Fatalf("tools/list order:\n got  %s\n want %s", got, want)
	}
}
