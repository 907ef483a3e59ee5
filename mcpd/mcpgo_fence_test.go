package mcpd

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// TestMCPGoSetsStdioSessionProtocolVersion fences what the stdio session
// relies on in mcp-go: at initialize mcp-go records the negotiated revision
// through an unexported interface (SetProtocolVersion). If mcp-go renames it,
// the session never learns its revision, and revision-dependent answers
// (batches on 2025-03-26 only) silently go wrong; this test fails first.
func TestMCPGoSetsStdioSessionProtocolVersion(t *testing.T) {
	srv := server.NewMCPServer("t", "0")
	for _, version := range []string{mcp.ProtocolVersion20250326, "2025-06-18"} {
		sess := newStdioSession()
		req := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"` + version +
			`","capabilities":{},"clientInfo":{"name":"fence","version":"1"}}}`
		if _, ok := srv.HandleMessage(srv.WithContext(context.Background(), sess), []byte(req)).(mcp.JSONRPCResponse); !ok {
			t.Fatalf("initialize %s failed", version)
		}
		if got := sess.ProtocolVersion(); got != version {
			t.Fatalf("mcp-go no longer records the negotiated revision on the session (got %q, want %q): "+
				"it stopped calling SetProtocolVersion(string); update stdioSession to what mcp-go calls now", got, version)
		}
		if got := sess.GetClientInfo().Name; got != "fence" {
			t.Fatalf("mcp-go no longer stores client info on the session (got %q)", got)
		}
	}
}
