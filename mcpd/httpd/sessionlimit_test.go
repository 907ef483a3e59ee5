package httpd

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

// startLimited serves the endpoint with the session cap max and a tool
// "hold" that answers only when release is closed (after telling held).
func startLimited(t *testing.T, max int) (ts *testServer, sessions *Sessions, held chan string, release chan struct{}) {
	t.Helper()
	sessions = NewSessions()
	held, release = make(chan string, 16), make(chan struct{})
	s := server.NewMCPServer("limit-test", "0.0.0", server.WithToolCapabilities(false),
		server.WithHooks(func() *server.Hooks { h := &server.Hooks{}; sessions.Hook(h); return h }()))
	s.AddTool(mcp.NewTool("hold"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		held <- server.ClientSessionFromContext(ctx).SessionID()
		<-release
		return mcp.NewToolResultText("released"), nil
	})
	s.AddTool(mcp.NewTool("ping"), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("pong"), nil
	})
	e := NewEndpoint(s, sessions, zerolog.Nop(), time.Minute)
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	return startGuard(t, sessions.Limit(max, e), Options{}), sessions, held, release
}

func (s *Sessions) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.live)
}

func call(name string) string {
	return `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"` + name + `","arguments":{}}}`
}

func (ts *testServer) ping(t *testing.T, id string) int {
	t.Helper()
	resp, body := ts.mcpPost(t, id, "2025-06-18", "application/json", call("ping"))
	if resp.StatusCode == http.StatusOK && !strings.Contains(body, "pong") {
		t.Fatalf("ping in %s: %s", id, body)
	}
	return resp.StatusCode
}

// TestSessionCapEvictsTheIdlestSession: at the cap, a new session ends the
// one idle the longest; the others keep working.
func TestSessionCapEvictsTheIdlestSession(t *testing.T) {
	ts, sessions, _, _ := startLimited(t, 3)
	a, b, c := ts.initialize(t), ts.initialize(t), ts.initialize(t)
	time.Sleep(10 * time.Millisecond)
	for _, id := range []string{a, c} {
		if st := ts.ping(t, id); st != http.StatusOK {
			t.Fatalf("ping %s: %d", id, st)
		}
	}
	d := ts.initialize(t)
	if st := ts.ping(t, b); st != http.StatusNotFound {
		t.Fatalf("the idlest session b still answers: %d", st)
	}
	for _, id := range []string{a, c, d} {
		if st := ts.ping(t, id); st != http.StatusOK {
			t.Fatalf("session %s was ended instead of the idlest: %d", id, st)
		}
	}
	if n := sessions.count(); n != 3 {
		t.Fatalf("%d live sessions, cap 3", n)
	}
}

// TestSessionCapNeverEndsABusySession: with every session answering a
// request, a new initialize is refused with 503 and a JSON-RPC error that
// names the setting; the busy requests finish normally.
func TestSessionCapNeverEndsABusySession(t *testing.T) {
	ts, _, held, release := startLimited(t, 2)
	a, b := ts.initialize(t), ts.initialize(t)
	var wg sync.WaitGroup
	results := make(chan string, 2)
	for _, id := range []string{a, b} {
		wg.Add(1)
		go func(id string) {
			defer wg.Done()
			resp, body := ts.mcpPost(t, id, "2025-06-18", "application/json", call("hold"))
			results <- fmt.Sprintf("%d %s", resp.StatusCode, body)
		}(id)
	}
	<-held
	<-held
	resp, body := ts.mcpPost(t, "", "", "application/json",
		`{"jsonrpc":"2.0","id":41,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	var rpc struct {
		JSONRPC string `json:"jsonrpc"`
		ID      int    `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if resp.StatusCode != http.StatusServiceUnavailable || json.Unmarshal([]byte(body), &rpc) != nil || rpc.ID != 41 || rpc.Error.Code != -32000 ||
		!strings.Contains(rpc.Error.Message, "CODEXPRO_MAX_HTTP_SESSIONS") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("initialize over a busy cap: %d %s", resp.StatusCode, body)
	}
	close(release)
	wg.Wait()
	close(results)
	for r := range results {
		if !strings.HasPrefix(r, "200 ") || !strings.Contains(r, "released") {
			t.Fatalf("a busy request was cut: %s", r)
		}
	}
	// Idle again: the next initialize gets a slot by ending one of them.
	ts.initialize(t)
}

// TestSessionCapHoldsUnderManyClients: hundreds of clients initializing,
// some at once, never leave more live sessions than the cap, and every
// initialize succeeds while idle sessions can be ended.
func TestSessionCapHoldsUnderManyClients(t *testing.T) {
	const max = 8
	ts, sessions, _, _ := startLimited(t, max)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 75; i++ {
				ts.initialize(t)
				if n := sessions.count(); n > max {
					t.Errorf("%d live sessions, cap %d", n, max)
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := sessions.count(); n > max {
		t.Fatalf("%d live sessions after 300 initializations, cap %d", n, max)
	}
}
