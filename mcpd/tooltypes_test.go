package mcpd

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// Every property of every tool's input schema declares a type, in every
// mode: a client whose schema sanitizer meets an untyped property makes it
// a string (Codex CLI did, and the supertool's args then arrived as text).
// The tools are listed through the real server, as a client sees them.
func TestEveryToolPropertyHasAType(t *testing.T) {
	checked := 0
	for _, tm := range []string{"minimal", "standard", "full"} {
		for _, wm := range []string{"workspace", "handoff", "off"} {
			for _, bm := range []string{"safe", "off"} {
				for _, cs := range []string{"off", "read"} {
					env := benchEnv(t)
					env.Cfg.ToolMode, env.Cfg.WriteMode, env.Cfg.BashMode, env.Cfg.CodexSessions = tm, wm, bm, cs
					env.Cfg.Analysis = true
					for _, tool := range listedTools(t, NewMCPServer(env)) {
						var schema map[string]any
						if err := json.Unmarshal(tool.RawInputSchema, &schema); err != nil {
							t.Fatalf("%s: input schema: %v", tool.Name, err)
						}
						for _, p := range untypedProperties(schema, "") {
							t.Errorf("mode tool=%s write=%s bash=%s sessions=%s: %s property %s has no type", tm, wm, bm, cs, tool.Name, p)
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d tool schemas checked", checked)
	}
}

// untypedProperties walks a schema and returns the paths of properties
// (at any depth, in items too) without "type".
func untypedProperties(s map[string]any, at string) []string {
	var out []string
	props, _ := s["properties"].(map[string]any)
	for name, v := range props {
		p, _ := v.(map[string]any)
		path := at + "." + name
		if _, ok := p["type"]; !ok {
			out = append(out, path)
		}
		out = append(out, untypedProperties(p, path)...)
	}
	if items, ok := s["items"].(map[string]any); ok {
		out = append(out, untypedProperties(items, at+"[]")...)
	}
	return out
}

func listedTools(t *testing.T, srv interface {
	HandleMessage(context.Context, json.RawMessage) mcp.JSONRPCMessage
}) []mcp.Tool {
	t.Helper()
	resp := srv.HandleMessage(context.Background(), json.RawMessage(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Result struct {
			Tools []struct {
				Name        string          `json:"name"`
				InputSchema json.RawMessage `json:"inputSchema"`
			} `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out.Result.Tools) == 0 {
		t.Fatalf("tools/list: %v %.300s", err, raw)
	}
	tools := make([]mcp.Tool, len(out.Result.Tools))
	for i, tl := range out.Result.Tools {
		tools[i] = mcp.Tool{Name: tl.Name, RawInputSchema: tl.InputSchema}
	}
	return tools
}
