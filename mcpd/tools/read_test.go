package tools

import (
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{
		"a.txt":    "one\ntwo\nthree\n",
		"crlf.txt": "x\r\ny\r\n",
		"sec.txt":  "token " + plantedSecret + "\n",
		".env":     "X=1",
		"bin":      "a\x00b",
	})
	m := mustOK(t, callTool(t, e, "read", map[string]any{"path": "a.txt"}))
	if m["totalLines"] != 3.0 || m["text"] != "1 | one\n2 | two\n3 | three" || m["codexpro_tool"] != "read" {
		t.Fatalf("read a.txt = %v", m)
	}
	m = mustOK(t, callTool(t, e, "read", map[string]any{"path": "a.txt", "start_line": 2, "end_line": 2}))
	if m["text"] != "2 | two" || m["truncated"] != true {
		t.Fatalf("range = %v", m)
	}
	m = mustOK(t, callTool(t, e, "read", map[string]any{"path": "crlf.txt"}))
	if m["line_ending"] != "crlf" || m["text"] != "1 | x\n2 | y" {
		t.Fatalf("crlf = %v", m)
	}
	r := callTool(t, e, "read", map[string]any{"path": "sec.txt"})
	if strings.Contains(resultText(r), plantedSecret) || strings.Contains(structured(t, r)["text"].(string), plantedSecret) {
		t.Fatal("secret not redacted")
	}
	mustFail(t, callTool(t, e, "read", map[string]any{"path": ".env"}), "blocked")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": "bin"}), "binary")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": "../x"}), "escapes")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": "a.txt", "start_line": 3, "end_line": 1}), "end_line (1) must be >= start_line (3)")
	mustFail(t, callTool(t, e, "read", map[string]any{"file": "a.txt"}), "unknown field \"file\"; valid arguments: end_line, max_bytes, path, start_line, workspace_id")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": []any{"x"}}), "Invalid arguments for read")
}
