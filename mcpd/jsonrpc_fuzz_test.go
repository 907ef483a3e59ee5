package mcpd

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/httpd"
	"codexpro.dev/pkg/config"
)

const fuzzToken = "fuzz-token-0123456789abcdef0123456789"

// fuzzHandler is mcpd's whole HTTP stack (guard, streamable transport, MCP
// server, tools) over a temporary workspace, with bash off so no input can
// start a process.
func fuzzHandler(f *testing.F) http.Handler {
	root := f.TempDir()
	if err := os.WriteFile(filepath.Join(root, "README.md"), []byte("# fuzz\n"), 0o644); err != nil {
		f.Fatal(err)
	}
	vars := map[string]string{"HOME": f.TempDir(), "CODEXPRO_HTTP_TOKEN": fuzzToken}
	s, err := config.Load(config.Flags{"root": {root}, "tool-mode": {"full"}, "no-bash": {"true"}},
		func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		f.Fatal(err)
	}
	env, err := NewEnv(s, zerolog.Nop())
	if err != nil {
		f.Fatal(err)
	}
	sessions := httpd.NewSessions()
	endpoint := httpd.NewEndpoint(NewMCPServer(env, sessions.Hook), sessions, zerolog.Nop(), s.HTTPSessionTTL)
	f.Cleanup(func() { _ = endpoint.Shutdown(context.Background()) })
	return httpd.Handler(endpoint, httpd.Options{
		Token: fuzzToken, BindHost: "127.0.0.1", Port: 8787, Log: zerolog.Nop(),
	})
}

func fuzzPost(h http.Handler, session string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "http://127.0.0.1:8787/mcp", strings.NewReader(string(body)))
	req.Host = "127.0.0.1:8787"
	req.Header.Set("Authorization", "Bearer "+fuzzToken)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	if session != "" {
		req.Header.Set("Mcp-Session-Id", session)
		req.Header.Set("MCP-Protocol-Version", "2025-11-25")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// FuzzJSONRPC posts arbitrary bytes as a JSON-RPC message inside an
// initialized session. mcpd must never panic, and must answer with nothing
// or with well-formed JSON-RPC (a result or an error, never both).
func FuzzJSONRPC(f *testing.F) {
	h := fuzzHandler(f)
	init := fuzzPost(h, "", []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"fuzz","version":"1"}}}`))
	session := init.Header().Get("Mcp-Session-Id")
	if init.Code != 200 || session == "" {
		f.Fatalf("initialize: %d %q", init.Code, init.Body.String())
	}
	fuzzPost(h, session, []byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}`))
	for _, seed := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`,
		`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read","arguments":{"path":"README.md"}}}`,
		`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"read","arguments":{"path":"../x"}}}`,
		`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"write","arguments":{"path":"a.txt","content":"x"}}}`,
		`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":"x"}`,
		`{"jsonrpc":"2.0","id":{"a":[1]},"method":"ping"}`,
		`{"jsonrpc":"2.0","id":1e400,"method":"ping"}`,
		`[{"jsonrpc":"2.0","id":1,"method":"ping"}]`,
		`{"jsonrpc":"2.0","id":1,`, `null`, `{"jsonrpc":"1.0"}`, "\xff\xfe", `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}`,
		`{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"apply_patch","arguments":{"patch":"--- a/README.md\n+++ b/README.md\n@@ -1 +1 @@\n-# fuzz\n+# x\n"}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := fuzzPost(h, session, body)
		out := strings.TrimSpace(rec.Body.String())
		if out == "" {
			return
		}
		ct := rec.Header().Get("Content-Type")
		if strings.HasPrefix(ct, "text/event-stream") {
			for _, line := range strings.Split(out, "\n") {
				if data, ok := strings.CutPrefix(line, "data: "); ok {
					checkJSONRPC(t, body, rec.Code, []byte(data))
				}
			}
			return
		}
		if strings.HasPrefix(ct, "application/json") {
			checkJSONRPC(t, body, rec.Code, []byte(out))
		}
	})
}

func checkJSONRPC(t *testing.T, in []byte, code int, out []byte) {
	t.Helper()
	var msg struct {
		JSONRPC string          `json:"jsonrpc"`
		Result  json.RawMessage `json:"result"`
		Error   *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(out, &msg); err != nil {
		t.Fatalf("input %q: status %d, answer is not JSON: %v: %q", in, code, err, out)
	}
	if msg.JSONRPC != "2.0" || (msg.Result == nil) == (msg.Error == nil) {
		t.Fatalf("input %q: status %d, not a JSON-RPC 2.0 response with exactly one of result and error: %s", in, code, out)
	}
}
