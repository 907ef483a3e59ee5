package httpd

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

// startMCP serves a real mcp-go server with one tool behind the guard.
func startMCP(t *testing.T, o Options) *testServer {
	t.Helper()
	s := server.NewMCPServer("httpd-test", "0.0.0", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("echo", mcp.WithDescription("echo"), mcp.WithString("text")),
		func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("echo:" + req.GetString("text", "")), nil
		})
	h := NewMCPHandler(s, zerolog.Nop(), time.Minute)
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	return startGuard(t, h, o)
}

func TestMCPThroughGuard(t *testing.T) {
	ts := startMCP(t, Options{})
	cases := []struct {
		name        string
		opts        []client.ClientOption
		wantModern  bool
		wantSession bool
	}{
		{"modern (server/discover)", nil, true, false},
		//lint:ignore SA1019 the legacy initialize handshake is still what older clients send
		{"legacy (initialize)", []client.ClientOption{client.WithLegacyProtocolOnly()}, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cl := newMCPClient(t, ts.URL+"/mcp", map[string]string{"Authorization": "Bearer " + testToken}, c.opts...)
			if _, err := cl.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
				t.Fatalf("initialize: %v", err)
			}
			if got := mcp.IsModernProtocol(cl.ProtocolVersion()); got != c.wantModern {
				t.Fatalf("protocol %q, want modern=%v", cl.ProtocolVersion(), c.wantModern)
			}
			if got := cl.GetSessionId() != ""; got != c.wantSession {
				t.Fatalf("session id %q, want one=%v", cl.GetSessionId(), c.wantSession)
			}
			tools, err := cl.ListTools(ctx, mcp.ListToolsRequest{})
			if err != nil || len(tools.Tools) != 1 || tools.Tools[0].Name != "echo" {
				t.Fatalf("tools/list = %+v, %v", tools, err)
			}
			var call mcp.CallToolRequest
			call.Params.Name, call.Params.Arguments = "echo", map[string]any{"text": "hi"}
			res, err := cl.CallTool(ctx, call)
			if err != nil || res.IsError || mcp.GetTextFromContent(res.Content[0]) != "echo:hi" {
				t.Fatalf("tools/call = %+v, %v", res, err)
			}
		})
	}
}

// The connector URL form (token in the query) works for a real client too.
func TestMCPQueryToken(t *testing.T) {
	ts := startMCP(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := ConnectorURL("127.0.0.1", ts.port, testToken)
	//lint:ignore SA1019 the legacy initialize handshake is still what older clients send
	cl := newMCPClient(t, url, nil, client.WithLegacyProtocolOnly())
	if _, err := cl.Initialize(ctx, mcp.InitializeRequest{}); err != nil {
		t.Fatalf("initialize via connector URL: %v", err)
	}
	if _, err := cl.ListTools(ctx, mcp.ListToolsRequest{}); err != nil {
		t.Fatalf("tools/list via connector URL: %v", err)
	}
}

func TestMCPWithoutTokenFails(t *testing.T) {
	ts := startMCP(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cl := newMCPClient(t, ts.URL+"/mcp", map[string]string{"Authorization": "Bearer nope"})
	if _, err := cl.Initialize(ctx, mcp.InitializeRequest{}); err == nil {
		t.Fatal("initialize succeeded with a wrong token")
	}
}

// Stateful sessions: an id the server never issued is 404, so a client
// re-initializes instead of riding a forged or stale session.
func TestMCPUnknownSession404(t *testing.T) {
	ts := startMCP(t, Options{})
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}`
	resp, text := ts.do(t, "POST", "/mcp", strings.NewReader(body), func(r *http.Request) {
		bearer(testToken)(r)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Accept", "application/json, text/event-stream")
		r.Header.Set("Mcp-Session-Id", "mcp-session-00000000-0000-4000-8000-000000000000")
	})
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown session: status %d, want 404 (%s)", resp.StatusCode, text)
	}
}

// A tunnel hostname accepted by the guard must reach mcp-go, whose own
// localhost guard would otherwise refuse it on a loopback socket.
func TestMCPPublicHostPassesThrough(t *testing.T) {
	ts := startMCP(t, Options{PublicHosts: []string{"tunnel.example.com"}})
	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}`
	for _, c := range []struct {
		host string
		want int
	}{
		{"tunnel.example.com", 200},
		{"attacker.example", 403},
	} {
		resp, text := ts.do(t, "POST", "/mcp", strings.NewReader(init), func(r *http.Request) {
			bearer(testToken)(r)
			r.Host = c.host
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Accept", "application/json, text/event-stream")
		})
		if resp.StatusCode != c.want {
			t.Fatalf("Host %s: status %d, want %d (%s)", c.host, resp.StatusCode, c.want, text)
		}
	}
}

func newMCPClient(t *testing.T, url string, headers map[string]string, opts ...client.ClientOption) *client.Client {
	t.Helper()
	tr, err := transport.NewStreamableHTTP(url, transport.WithHTTPHeaders(headers))
	if err != nil {
		t.Fatal(err)
	}
	cl := client.NewClient(tr, opts...)
	if err := cl.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	return cl
}
