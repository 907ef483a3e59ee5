package tools

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// TestNonObjectArgumentsRefused: `"arguments":"a.txt"` must not bind as
// "no arguments" (read would then target the workspace root).
func TestNonObjectArgumentsRefused(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"a.txt": "x"})
	h := handler(e, ReadTool())
	for _, args := range []any{"a.txt", []any{"a.txt"}, 42.0} {
		var req mcp.CallToolRequest
		req.Params.Name, req.Params.Arguments = "read", args
		res, err := h(context.Background(), req)
		if err != nil || !res.IsError || !strings.Contains(resultText(res), "arguments must be a JSON object") {
			t.Fatalf("arguments %#v: %v %s", args, err, resultText(res))
		}
	}
}
