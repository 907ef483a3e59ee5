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
	r := callTool(t, e, "read", map[string]any{"path": "a.txt"})
	m := mustOK(t, r)
	if m["totalLines"] != 3.0 || !strings.Contains(resultText(r), "1 | one\n2 | two\n3 | three") || m["codexpro_tool"] != "read" {
		t.Fatalf("read a.txt = %v %s", m, resultText(r))
	}
	if _, dup := m["text"]; dup {
		t.Fatal("the file text is sent twice (text content and structured content)")
	}
	r = callTool(t, e, "read", map[string]any{"path": "a.txt", "start_line": 2, "end_line": 2})
	if m = mustOK(t, r); !strings.Contains(resultText(r), "```\n2 | two\n```") || m["truncated"] != true {
		t.Fatalf("range = %v %s", m, resultText(r))
	}
	r = callTool(t, e, "read", map[string]any{"path": "crlf.txt"})
	if m = mustOK(t, r); m["line_ending"] != "crlf" || !strings.Contains(resultText(r), "1 | x\n2 | y") {
		t.Fatalf("crlf = %v", m)
	}
	r = callTool(t, e, "read", map[string]any{"path": "sec.txt"})
	if txt := resultText(r); strings.Contains(txt, plantedSecret) || !strings.Contains(txt, "[REDACTED_SECRET]") {
		t.Fatal("secret not redacted")
	}
	mustFail(t, callTool(t, e, "read", map[string]any{"path": ".env"}), "blocked")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": "bin"}), "binary")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": "../x"}), "escapes")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": "a.txt", "start_line": 3, "end_line": 1}), "end_line (1) must be >= start_line (3)")
	mustFail(t, callTool(t, e, "read", map[string]any{"file": "a.txt"}), "unknown field \"file\"; valid arguments: end_line, max_bytes, path, start_line, workspace_id")
	mustFail(t, callTool(t, e, "read", map[string]any{"path": []any{"x"}}), "Invalid arguments for read")
}
