package tools

import (
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"codexpro.dev/mcpd/toolkit"
)

func TestSupertoolDispatch(t *testing.T) {
	files := encodedImages(t)
	files["notes.txt"] = "key " + plantedSecret + "\n"
	e, _ := newTestEnv(t, files)

	s := mustOK(t, callTool(t, e, "codexpro", nil))
	actions := strings.Join(toStrings(s["actions"]), " ")
	if strings.Contains(" "+actions+" ", " codexpro ") || !strings.Contains(actions, "read") || s["action_count"] == 0.0 {
		t.Fatalf("list_actions = %v", actions)
	}

	r := callTool(t, e, "codexpro", map[string]any{"action": " Read ", "args": map[string]any{"path": "notes.txt"}})
	got := mustOK(t, r)
	direct := callTool(t, e, "read", map[string]any{"path": "notes.txt"})
	if got["codexpro_tool"] != "read" || got["wrapped_tool"] != "read" || got["codexpro_super_action"] != "read" {
		t.Fatalf("wrapped result tags = %v/%v/%v", got["codexpro_tool"], got["wrapped_tool"], got["codexpro_super_action"])
	}
	if resultText(r) != resultText(direct) || strings.Contains(resultText(r), plantedSecret) {
		t.Fatal("supertool result differs from the direct call or is not redacted")
	}

	img := callTool(t, e, "codexpro", map[string]any{"action": "view-image", "args": map[string]any{"path": "a.png"}})
	if imagePart(t, img).MIMEType != "image/png" {
		t.Fatal("image content lost through the supertool")
	}
	if s := mustOK(t, callTool(t, e, "codexpro", map[string]any{"action": "config"})); s["codexpro_tool"] != "server_config" {
		t.Fatalf("alias config -> %v", s["codexpro_tool"])
	}
	mustFail(t, callTool(t, e, "codexpro", map[string]any{"action": "read", "args": map[string]any{"path": []any{1}}}), "Invalid arguments for read")
	mustFail(t, callTool(t, e, "codexpro", map[string]any{"action": "codexpro"}), "cannot call itself")
	mustFail(t, callTool(t, e, "codexpro", map[string]any{"action": "read", "args": map[string]any{"path": "../x"}}), "escapes")
}

// The supertool can never reach a tool the configuration hides.
func TestSupertoolCannotEscalate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*toolkit.Config)
		action string
		args   map[string]any
	}{
		{"write in handoff mode", func(c *toolkit.Config) { c.WriteMode = "handoff" }, "write", map[string]any{"path": "x.txt", "content": "x"}},
		{"apply_patch with writes off", func(c *toolkit.Config) { c.WriteMode = "off" }, "apply_patch", map[string]any{"patch": "x"}},
		{"import_file in handoff mode", func(c *toolkit.Config) { c.WriteMode = "handoff" }, "import_file", nil},
		{"bash when off", func(c *toolkit.Config) { c.BashMode = "off" }, "bash", map[string]any{"command": "pwd"}},
		{"git_status in minimal mode", func(c *toolkit.Config) { c.ToolMode = "minimal" }, "git_status", nil},
		{"read_codex_session with sessions off", func(c *toolkit.Config) {}, "read_codex_session", map[string]any{"session_id": "x"}},
		{"inspect_workspace with analysis off", func(c *toolkit.Config) { c.Analysis = false }, "inspect_workspace", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, root := newTestEnv(t, nil)
			tc.mutate(&e.Cfg)
			r := callTool(t, e, "codexpro", map[string]any{"action": tc.action, "args": tc.args})
			mustFail(t, r, "not available in the current mode: "+tc.action)
			if entries := listing(t, root); len(entries) != 1 {
				t.Fatalf("refused action changed the workspace: %v", entries)
			}
		})
	}
}

func TestSupertoolIsNeverCardRendered(t *testing.T) {
	tl := SupertoolTool()
	if tl.Def.Meta != nil {
		if _, ok := tl.Def.Meta.AdditionalFields["openai/outputTemplate"]; ok {
			t.Fatal("supertool carries card meta")
		}
	}
	if a := tl.Def.Annotations; a.OpenWorldHint == nil || !*a.OpenWorldHint || *a.ReadOnlyHint {
		t.Fatal("supertool must carry the bash (open world, not read-only) annotations: it can run bash")
	}
	_ = mcp.ImageContent{}
}

// Codex CLI's schema sanitizer sends an untyped property as a string, so
// args may arrive as a JSON string holding the object; anything that is not
// an object (directly or inside the string) is refused naming args.
func TestSupertoolArgsAsString(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"README.md": "hello readme\n"})
	direct := callTool(t, e, "read", map[string]any{"path": "README.md"})
	for _, args := range []any{`{"path":"README.md"}`, ` {"path": "README.md"} `} {
		r := callTool(t, e, "codexpro", map[string]any{"action": "read", "args": args})
		if got := mustOK(t, r); got["codexpro_tool"] != "read" || resultText(r) != resultText(direct) {
			t.Fatalf("args %q: got %v", args, resultText(r))
		}
	}
	for name, args := range map[string]any{
		"number": 5, "array": []any{"README.md"}, "bool": true, "plain string": "README.md",
		"string holding an array": `["README.md"]`, "string holding a number": `5`, "broken object": `{"path":`,
	} {
		t.Run(name, func(t *testing.T) {
			r := callTool(t, e, "codexpro", map[string]any{"action": "read", "args": args})
			mustFail(t, r, "args must be a JSON object")
		})
	}
	// No args, null and an empty string all mean "no arguments".
	for _, args := range []any{nil, ""} {
		r := callTool(t, e, "codexpro", map[string]any{"action": "server_config", "args": args})
		if mustOK(t, r)["codexpro_tool"] != "server_config" {
			t.Fatalf("args %v refused", args)
		}
	}
}
