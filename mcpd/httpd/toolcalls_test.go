package httpd

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

// startEndpoint serves NewEndpoint behind the guard with a tool that
// answers with its text and the session it ran in.
func startEndpoint(t *testing.T, idleTTL time.Duration) *testServer {
	t.Helper()
	sessions := NewSessions()
	s := server.NewMCPServer("toolcalls-test", "0.0.0", server.WithToolCapabilities(false),
		server.WithHooks(func() *server.Hooks { h := &server.Hooks{}; sessions.Hook(h); return h }()))
	s.AddTool(mcp.NewTool("echo", mcp.WithString("text")),
		func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText(req.GetString("text", "") + " in " + server.ClientSessionFromContext(ctx).SessionID()), nil
		})
	e := NewEndpoint(s, sessions, zerolog.Nop(), idleTTL)
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	return startGuard(t, e, Options{})
}

// mcpPost posts body as JSON with the token, the session (if any) and
// the protocol version header (if any).
func (s *testServer) mcpPost(t *testing.T, session, version, contentType, body string) (*http.Response, string) {
	t.Helper()
	return s.do(t, http.MethodPost, "/mcp", strings.NewReader(body), func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+testToken)
		r.Header.Set("Content-Type", contentType)
		r.Header.Set("Accept", "application/json, text/event-stream")
		if session != "" {
			r.Header.Set(server.HeaderKeySessionID, session)
		}
		if version != "" {
			r.Header.Set(mcp.HeaderProtocolVersion, version)
		}
	})
}

func (s *testServer) initialize(t *testing.T) string {
	t.Helper()
	resp, body := s.mcpPost(t, "", "", "application/json",
		`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	id := resp.Header.Get(server.HeaderKeySessionID)
	if resp.StatusCode != http.StatusOK || id == "" {
		t.Fatalf("initialize: %d %s", resp.StatusCode, body)
	}
	return id
}

// echoCall is a tools/call whose answer is over net/http's 4 KB buffer, so
// mcp-go's own path answers it chunked and ToolCalls with a length.
func echoCall(meta string) string {
	return `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{` + meta + `"name":"echo","arguments":{"text":"` + strings.Repeat("<x>", 2000) + `"}}}`
}

// A session's tool call is answered directly, with a length, byte for byte
// as mcp-go answers it, in the session it belongs to.
func TestToolCallsAnswerLikeMCPGo(t *testing.T) {
	ts := startEndpoint(t, time.Minute)
	id := ts.initialize(t)
	direct, directBody := ts.mcpPost(t, id, "2025-06-18", "application/json", echoCall(""))
	viaSDK, sdkBody := ts.mcpPost(t, id, "", "application/json", echoCall("")) // no version header: mcp-go
	if direct.StatusCode != http.StatusOK || direct.ContentLength <= 0 {
		t.Fatalf("direct answer: %d, length %d", direct.StatusCode, direct.ContentLength)
	}
	if viaSDK.ContentLength != -1 {
		t.Fatalf("mcp-go's answer had a length (%d): the comparison below proves nothing", viaSDK.ContentLength)
	}
	if directBody != sdkBody || !strings.Contains(directBody, " in "+id) {
		t.Fatalf("answers differ or ran outside the session:\n direct: %.200s\n mcp-go: %.200s", directBody, sdkBody)
	}
}

// Whatever ToolCalls does not take gets mcp-go's own answer: a session it
// never issued or has ended is refused, the stateless protocol and _meta
// go to mcp-go, a wrong content type is refused.
func TestToolCallsLeaveTheRestToMCPGo(t *testing.T) {
	ts := startEndpoint(t, time.Minute)
	id := ts.initialize(t)
	ended := ts.initialize(t)
	if resp, _ := ts.do(t, http.MethodDelete, "/mcp", nil, func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+testToken)
		r.Header.Set(server.HeaderKeySessionID, ended)
	}); resp.StatusCode >= 300 {
		t.Fatalf("DELETE session: %d", resp.StatusCode)
	}
	cases := []struct {
		name, session, version, contentType, body string
		wantStatus                                int
		wantChunked                               bool
	}{
		{"unknown session", "mcp-session-00000000-0000-0000-0000-000000000000", "2025-06-18", "application/json", echoCall(""), http.StatusNotFound, false},
		{"ended session", ended, "2025-06-18", "application/json", echoCall(""), http.StatusNotFound, false},
		{"_meta", id, "2025-06-18", "application/json", echoCall(`"_meta":{"progressToken":1},`), http.StatusOK, true},
		{"unsupported version", id, "1999-01-01", "application/json", echoCall(""), http.StatusBadRequest, false},
		{"not JSON", id, "2025-06-18", "text/plain", echoCall(""), http.StatusBadRequest, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := ts.mcpPost(t, c.session, c.version, c.contentType, c.body)
			if resp.StatusCode != c.wantStatus || (resp.ContentLength == -1) != c.wantChunked {
				t.Fatalf("status %d (want %d), length %d (want chunked=%v): %.200s", resp.StatusCode, c.wantStatus, resp.ContentLength, c.wantChunked, body)
			}
		})
	}
}

// mcp-go sweeps a session idle for its TTL, counting only requests it
// serves itself; ToolCalls hands it one every half TTL, so a session in
// use through ToolCalls stays alive, and an idle one still ends.
func TestToolCallsKeepActiveSessionsOnly(t *testing.T) {
	const ttl = time.Second
	ts := startEndpoint(t, ttl)
	id := ts.initialize(t)
	for end := time.Now().Add(3 * ttl); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if resp, body := ts.mcpPost(t, id, "2025-06-18", "application/json", echoCall("")); resp.StatusCode != http.StatusOK {
			t.Fatalf("a session in use was swept: %d %.200s", resp.StatusCode, body)
		}
	}
	time.Sleep(3 * ttl) // the sweeper runs every max(TTL/2, 1s)
	if resp, _ := ts.mcpPost(t, id, "2025-06-18", "application/json", echoCall("")); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("an idle session was still served: %d", resp.StatusCode)
	}
}
