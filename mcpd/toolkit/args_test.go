package toolkit

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/rs/zerolog"
)

// plainRedactor redacts nothing: these tests look at the call path only.
type plainRedactor struct{}

func (plainRedactor) Text(s string) string                        { return s }
func (plainRedactor) Value(v any) any                             { return v }
func (plainRedactor) Marshal(v any) (json.RawMessage, error)      { return json.Marshal(v) }
func (plainRedactor) HasSecret(string) (string, bool)             { return "", false }
func (plainRedactor) Changes(before, after string) (string, bool) { return "", false }

type pathIn struct {
	WorkspaceArg
	Path string `json:"path,omitempty"`
}

// TestNonObjectArgumentsRefused: `"arguments":"a.txt"` must not bind as
// "no arguments" (a read would then target the workspace root).
func TestNonObjectArgumentsRefused(t *testing.T) {
	e := &Env{Redact: plainRedactor{}, Log: zerolog.Nop()}
	ran := false
	tl := Define(Spec{Name: "read", Title: "Read", Kind: ReadOnly, Sets: AllSets},
		func(context.Context, *Env, pathIn) (struct{}, string, error) { ran = true; return struct{}{}, "", nil })
	h := handler(e, tl)
	for _, args := range []any{"a.txt", []any{"a.txt"}, 42.0} {
		var req mcp.CallToolRequest
		req.Params.Name, req.Params.Arguments = "read", args
		res, err := h(context.Background(), req)
		if err != nil || !res.IsError || !strings.Contains(ResultText(res), "arguments must be a JSON object") {
			t.Fatalf("arguments %#v: %v %s", args, err, ResultText(res))
		}
	}
	if ran {
		t.Fatal("the handler ran on non-object arguments")
	}
}
