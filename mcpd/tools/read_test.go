package tools

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/redact"
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

// TestNumberedSizeIsExact: the size read checks against its limit and
// sizes its buffer by is the length of the numbered text, for a whole file
// (counted without a walk when nothing is redacted) and for any range.
func TestNumberedSizeIsExact(t *testing.T) {
	key := "-----BEGIN RSA PRIVATE KEY-----\n" + strings.Repeat("MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF0MIIEpAIBAAKCAQEA0Z3VS5JJcds\n", 3) + "-----END RSA PRIVATE KEY-----\n"
	for _, data := range []string{"", "\n", "a", "a\n", "a\r\nb", "a\r\r\nb\r\n", "\r\n\r\n\n", "\r", "x\n\n\ny\r", strings.Repeat("line\n", 12), key, "top\n" + key + "tail"} {
		b := []byte(data)
		total := countLines(b)
		unit := redact.Judge(data)
		for start := 1; start <= max(total, 1); start++ {
			for end := start; end <= total; end++ {
				want := len(appendNumbered(nil, b, start, end, unit))
				if got := numberedSize(b, start, end, total, unit); got != want {
					t.Errorf("numberedSize(%q, %d, %d) = %d, want %d", data, start, end, got, want)
				}
			}
		}
	}
}

func TestAppendNumbered(t *testing.T) {
	twelve := "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\n"
	cases := []struct {
		data       string
		start, end int
		lines      int
		want       string
	}{
		{"a\nb", 1, 2, 2, "1 | a\n2 | b"},
		{"a\r\nb\r\n", 1, 2, 2, "1 | a\n2 | b"},
		{twelve, 9, 11, 12, " 9 | l9\n10 | l10\n11 | l11"},
		{twelve, 12, 12, 12, "12 | l12"},
		{"\n", 1, 1, 1, "1 | "},
		{"", 1, 0, 0, ""},
	}
	for _, c := range cases {
		if n := countLines([]byte(c.data)); n != c.lines {
			t.Errorf("countLines(%q) = %d, want %d", c.data, n, c.lines)
		}
		if got := string(appendNumbered(nil, []byte(c.data), c.start, c.end, redact.Unit{})); got != c.want {
			t.Errorf("appendNumbered(%q, %d, %d) = %q, want %q", c.data, c.start, c.end, got, c.want)
		}
	}
}

// TestReadJudgesEachVersionOfAFile: one read tool keeps its whole-file
// judgements between calls, by the file's content: a file rewritten in
// place at the same size is judged as it now is, whichever way it changed.
func TestReadJudgesEachVersionOfAFile(t *testing.T) {
	value := "zQ" + strings.Repeat("x7Lp", 8)
	plain, keyed := "nokey_x:\n  "+value+"\n", "api_key:\n  "+value+"\n"
	e, root := newTestEnv(t, map[string]string{"cfg.yaml": plain})
	read := ReadTool()
	line2 := func() string {
		t.Helper()
		r := toolkit.Call(context.Background(), e, read, map[string]any{"path": "cfg.yaml", "start_line": 2, "end_line": 2})
		mustOK(t, r)
		return resultText(r)
	}
	for i, c := range []struct {
		content string
		shown   bool
	}{{plain, true}, {keyed, false}, {plain, true}, {keyed, false}} {
		if err := os.WriteFile(filepath.Join(root, "cfg.yaml"), []byte(c.content), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := line2(); strings.Contains(got, value) != c.shown {
			t.Fatalf("version %d (%q): value shown %v, want %v:\n%s", i, c.content, !c.shown, c.shown, got)
		}
	}
}
