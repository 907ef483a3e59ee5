package tools

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"

	"codexpro.dev/mcpd/internal/wstest"
	"codexpro.dev/mcpd/toolkit"
)

// testRedactor stands in for pkg/redact: it hides one planted marker so tests
// can see that every result passes through the redactor.
type testRedactor struct{}

const plantedSecret = "PLANTED-SECRET-VALUE"

func (testRedactor) Text(s string) string {
	return strings.ReplaceAll(s, plantedSecret, "[REDACTED_SECRET]")
}
func (testRedactor) HasSecret(s string) (string, bool) {
	return "planted test secret", strings.Contains(s, plantedSecret)
}

func (testRedactor) Changes(before, after string) (string, bool) {
	was, now := strings.Count(before, plantedSecret), strings.Count(after, plantedSecret)
	if now > was {
		return "planted test secret", false
	}
	return "", now < was
}

func (r testRedactor) Value(v any) any {
	raw, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal([]byte(r.Text(string(raw))), &out)
	return out
}

func (r testRedactor) Marshal(v any) (json.RawMessage, error) {
	raw, err := json.Marshal(v)
	return json.RawMessage(r.Text(string(raw))), err
}

func defaultTestConfig() toolkit.Config {
	return toolkit.Config{Mode: "agent", ToolMode: "full", WriteMode: "workspace", BashMode: "safe", CodexSessions: "off",
		Analysis: true, MaxReadBytes: 180000, MaxWriteBytes: 1000000, MaxOutputBytes: 120000,
		MaxSearchResults: 200, ContextDir: ".ai-bridge", Public: map[string]any{"toolMode": "full"}}
}

// newTestEnv writes files (name -> content) into a fresh workspace.
func newTestEnv(t testing.TB, files map[string]string) (*toolkit.Env, string) {
	t.Helper()
	roots, root := wstest.Roots(t, files)
	return &toolkit.Env{Cfg: defaultTestConfig(), Roots: roots, Redact: testRedactor{}, Log: zerolog.Nop()}, root
}

// callTool runs a tool by name from the catalog.
func callTool(t *testing.T, e *toolkit.Env, name string, args map[string]any) *mcp.CallToolResult {
	t.Helper()
	for _, tl := range All() {
		if tl.Name == name {
			return toolkit.Call(context.Background(), e, tl, args)
		}
	}
	t.Fatalf("no tool %q in the catalog", name)
	return nil
}

// resultText joins the text parts of a result.
func resultText(r *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range r.Content {
		if tc, ok := c.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// structured returns the structured content as a map.
func structured(t *testing.T, r *mcp.CallToolResult) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.RawStructuredContent, &m); err != nil || m == nil {
		t.Fatalf("structured content is not an object: %v: %s", err, r.RawStructuredContent)
	}
	return m
}

func mustOK(t *testing.T, r *mcp.CallToolResult) map[string]any {
	t.Helper()
	if r.IsError {
		t.Fatalf("tool failed: %s", resultText(r))
	}
	return structured(t, r)
}

func mustFail(t *testing.T, r *mcp.CallToolResult, want string) {
	t.Helper()
	if !r.IsError {
		t.Fatalf("tool succeeded, want error containing %q: %s", want, resultText(r))
	}
	if !strings.Contains(resultText(r), want) {
		t.Fatalf("error %q does not contain %q", resultText(r), want)
	}
}
