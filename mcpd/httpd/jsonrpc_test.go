package httpd

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	"github.com/rs/zerolog"
)

func (s *testServer) initializeAt(t *testing.T, version string) string {
	t.Helper()
	resp, body := s.mcpPost(t, "", "", "application/json",
		`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"`+version+`","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	id := resp.Header.Get(server.HeaderKeySessionID)
	if resp.StatusCode != http.StatusOK || id == "" || !strings.Contains(body, version) {
		t.Fatalf("initialize %s: %d %s", version, resp.StatusCode, body)
	}
	return id
}

// idAndCode reads one JSON-RPC answer's id (as sent) and error code.
func idAndCode(t *testing.T, body string) (string, int) {
	t.Helper()
	if i := strings.Index(body, "data: "); i >= 0 { // an SSE answer
		body = strings.SplitN(body[i+len("data: "):], "\n", 2)[0]
	}
	var a struct {
		ID    json.RawMessage     `json:"id"`
		Error *struct{ Code int } `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("not one JSON-RPC answer: %v\n%.300s", err, body)
	}
	if a.Error == nil {
		return string(a.ID), 0
	}
	return string(a.ID), a.Error.Code
}

// The requests mcp-go answers wrongly get the JSON-RPC answer on every
// HTTP path: the direct tools/call path (a version header and a fresh
// session) and mcp-go's own (no version header, or another method).
func TestHTTPStrictJSONRPC(t *testing.T) {
	s := startEndpoint(t, 0)
	sess := s.initializeAt(t, "2025-06-18")
	cases := []struct {
		name, version, msg, id string
		status, code           int
	}{
		{"big id, direct path", "2025-06-18", `{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a"}}}`, `9007199254740993`, 200, 0},
		{"big id, mcp-go path", "", `{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/call","params":{"name":"echo","arguments":{"text":"a"}}}`, `9007199254740993`, 200, 0},
		{"big id on ping", "2025-06-18", `{"jsonrpc":"2.0","id":123456789012345678901,"method":"ping"}`, `123456789012345678901`, 200, 0},
		{"string id with <", "2025-06-18", `{"jsonrpc":"2.0","id":"a<b","method":"tools/list"}`, `"a<b"`, 200, 0},
		{"null id", "2025-06-18", `{"jsonrpc":"2.0","id":null,"method":"ping"}`, `null`, 400, mcp.INVALID_REQUEST},
		{"params a string, direct path", "2025-06-18", `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":"bogus"}`, `7`, 200, mcp.INVALID_PARAMS},
		{"tool name a number, direct path", "2025-06-18", `{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":5}}`, `7`, 200, mcp.INVALID_PARAMS},
		{"cursor a number", "2025-06-18", `{"jsonrpc":"2.0","id":8,"method":"tools/list","params":{"cursor":123}}`, `8`, 200, mcp.INVALID_PARAMS},
		{"big id, bad params", "", `{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/list","params":{"cursor":1}}`, `9007199254740993`, 200, mcp.INVALID_PARAMS},
		{"empty batch", "2025-06-18", `[]`, `null`, 400, mcp.INVALID_REQUEST},
		{"a string", "2025-06-18", `"just a string"`, `null`, 400, mcp.INVALID_REQUEST},
		{"batch on 2025-06-18", "2025-06-18", `[{"jsonrpc":"2.0","id":1,"method":"ping"}]`, `null`, 400, mcp.INVALID_REQUEST},
		{"not JSON", "2025-06-18", `{"jsonrpc"`, `null`, 400, mcp.PARSE_ERROR},
	}
	for _, c := range cases {
		resp, body := s.mcpPost(t, sess, c.version, "application/json", c.msg)
		id, code := idAndCode(t, body)
		if resp.StatusCode != c.status || id != c.id || code != c.code {
			t.Errorf("%s: got %d id %s code %d, want %d id %s code %d\n%.300s", c.name, resp.StatusCode, id, code, c.status, c.id, c.code, body)
		}
	}
	// Without the session id a request (or a batch) is a bad request, not
	// an unknown session; with an id never issued it is still 404.
	for _, msg := range []string{`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, `[{"jsonrpc":"2.0","id":1,"method":"ping"}]`} {
		if resp, body := s.mcpPost(t, "", "2025-06-18", "application/json", msg); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("no session id: %d %s", resp.StatusCode, body)
		}
	}
	if resp, body := s.mcpPost(t, "mcp-session-never-issued", "2025-06-18", "application/json", `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown session id: %d %s", resp.StatusCode, body)
	}
}

// A 2025-03-26 session's batch is answered as one array.
func TestHTTPBatchOn20250326(t *testing.T) {
	s := startEndpoint(t, 0)
	sess := s.initializeAt(t, "2025-03-26")
	if resp, body := s.mcpPost(t, sess, "", "application/json", `[{"jsonrpc":"2.0","method":"notifications/initialized"}]`); resp.StatusCode != http.StatusAccepted {
		t.Fatalf("notification batch: %d %s", resp.StatusCode, body)
	}
	resp, body := s.mcpPost(t, sess, "", "application/json", `[{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"},`+
		`{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}},7,`+
		`{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"cursor":5}}]`)
	var answers []json.RawMessage
	if err := json.Unmarshal([]byte(body), &answers); resp.StatusCode != http.StatusOK || err != nil || len(answers) != 4 {
		t.Fatalf("batch: %d %v %s", resp.StatusCode, err, body)
	}
	want := []struct {
		id   string
		code int
	}{{`9007199254740993`, 0}, {`"c"`, 0}, {`null`, mcp.INVALID_REQUEST}, {`4`, mcp.INVALID_PARAMS}}
	for i, w := range want {
		if id, code := idAndCode(t, string(answers[i])); id != w.id || code != w.code {
			t.Errorf("answer %d: id %s code %d, want %s %d", i, id, code, w.id, w.code)
		}
	}
	if !strings.Contains(string(answers[1]), "hi in "+sess) {
		t.Fatalf("the tool call ran outside the session: %s", answers[1])
	}
}

// A GET stream ends when its session ends; one for an id never issued or
// without an id is refused rather than opened.
func TestHTTPStreamEndsWithSession(t *testing.T) {
	s := startEndpoint(t, 0)
	open := func(session string) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodGet, s.URL+"/mcp", nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		req.Header.Set("Accept", "text/event-stream")
		if session != "" {
			req.Header.Set(server.HeaderKeySessionID, session)
		}
		return s.Client().Do(req)
	}
	for session, want := range map[string]int{"": http.StatusBadRequest, "mcp-session-never-issued": http.StatusNotFound} {
		resp, err := open(session)
		if err != nil || resp.StatusCode != want {
			t.Fatalf("GET with session %q: %v %v, want %d", session, err, resp, want)
		}
		resp.Body.Close()
	}
	sess := s.initializeAt(t, "2025-06-18")
	resp, err := open(sess)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %v %v", err, resp)
	}
	defer resp.Body.Close()
	ended := make(chan error, 1)
	go func() {
		r := bufio.NewReader(resp.Body)
		for {
			if _, err := r.ReadByte(); err != nil {
				ended <- err
				return
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	del, _ := s.do(t, http.MethodDelete, "/mcp", nil, func(r *http.Request) {
		r.Header.Set("Authorization", "Bearer "+testToken)
		r.Header.Set(server.HeaderKeySessionID, sess)
	})
	if del.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %d", del.StatusCode)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the GET stream stayed open after its session's DELETE")
	}
}

// The idle TTL ends a session, and its stream with it.
func TestHTTPStreamEndsAtSessionTTL(t *testing.T) {
	s := startEndpoint(t, 2*time.Second)
	sess := s.initializeAt(t, "2025-06-18")
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set(server.HeaderKeySessionID, sess)
	resp, err := s.Client().Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %v %v", err, resp)
	}
	defer resp.Body.Close()
	ended := make(chan struct{})
	go func() {
		buf := make([]byte, 512)
		for {
			if _, err := resp.Body.Read(buf); err != nil {
				close(ended)
				return
			}
		}
	}()
	select {
	case <-ended:
	case <-time.After(10 * time.Second):
		t.Fatal("the GET stream outlived its session's idle TTL")
	}
}

// Eviction at the session cap ends the evicted session's stream too.
func TestHTTPStreamEndsAtEviction(t *testing.T) {
	sessions := NewSessions()
	s := server.NewMCPServer("evict-test", "0.0.0", server.WithToolCapabilities(false),
		server.WithHooks(func() *server.Hooks { h := &server.Hooks{}; sessions.Hook(h); return h }()))
	e := NewEndpoint(s, sessions, zerolog.Nop(), 0)
	t.Cleanup(func() { _ = e.Shutdown(context.Background()) })
	ts := startGuard(t, sessions.Limit(1, e), Options{})
	first := ts.initializeAt(t, "2025-06-18")
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/mcp", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set(server.HeaderKeySessionID, first)
	resp, err := ts.Client().Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %v %v", err, resp)
	}
	defer resp.Body.Close()
	ended := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		close(ended)
	}()
	time.Sleep(100 * time.Millisecond)
	ts.initializeAt(t, "2025-06-18") // over the cap of 1: the first session is evicted
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the evicted session's GET stream stayed open")
	}
}
