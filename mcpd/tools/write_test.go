package tools

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestWriteTool(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"a.txt": "one\n", ".ai-bridge/x.md": "x"})
	m := mustOK(t, callTool(t, e, "write", map[string]any{"path": "src/new.go", "content": "package x\n"}))
	if m["existed"] != false || !strings.Contains(m["diff"].(string), "+package x") {
		t.Fatalf("new file result = %v", m)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "src/new.go")); string(b) != "package x\n" {
		t.Fatalf("content = %q", b)
	}
	mustFail(t, callTool(t, e, "write", map[string]any{"path": "a.txt", "content": "x", "overwrite": false}), "overwrite=false")
	mustFail(t, callTool(t, e, "write", map[string]any{"path": "a.txt", "content": "x", "expected_sha256": strings.Repeat("0", 64)}), "File changed since it was read")
	mustFail(t, callTool(t, e, "write", map[string]any{"path": "b.txt", "content": "key " + plantedSecret}), "live secret")
	mustFail(t, callTool(t, e, "write", map[string]any{"path": ".env", "content": "x"}), "blocked")
	mustFail(t, callTool(t, e, "write", map[string]any{"path": "../x", "content": "x"}), "escapes")
	mustFail(t, callTool(t, e, "write", map[string]any{"path": "no/dir/x", "content": "x", "create_dirs": false}), "create_dirs=false")

	e.Cfg.WriteMode = "handoff"
	mustFail(t, callTool(t, e, "write", map[string]any{"path": "a.txt", "content": "x"}), "CODEXPRO_WRITE_MODE=handoff")
	mustOK(t, callTool(t, e, "write", map[string]any{"path": ".ai-bridge/notes.md", "content": "plan"}))
	e.Cfg.WriteMode = "off"
	mustFail(t, callTool(t, e, "write", map[string]any{"path": ".ai-bridge/notes.md", "content": "x"}), "CODEXPRO_WRITE_MODE=off")
}

func TestWriteBackOfRedactedFileRefused(t *testing.T) {
	e, _ := newTestEnv(t, map[string]string{"cfg.txt": "token=" + plantedSecret + "\nname=a\n"})
	mustFail(t, callTool(t, e, "write", map[string]any{"path": "cfg.txt", "content": "token=[REDACTED_SECRET]\nname=b\n"}), "destroy")
}

func TestEditTool(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"a.txt": "price X here\n", "crlf.txt": "a\r\nb\r\nc\r\n", "dup.txt": "x x x"})
	mustOK(t, callTool(t, e, "edit", map[string]any{"path": "a.txt", "old_text": "X", "new_text": "$$5 and $& and $1"}))
	if b, _ := os.ReadFile(filepath.Join(root, "a.txt")); string(b) != "price $$5 and $& and $1 here\n" {
		t.Fatalf("replacement not literal: %q", b)
	}
	mustOK(t, callTool(t, e, "edit", map[string]any{"path": "crlf.txt", "old_text": "a\nb", "new_text": "A\nB"}))
	if b, _ := os.ReadFile(filepath.Join(root, "crlf.txt")); string(b) != "A\r\nB\r\nc\r\n" {
		t.Fatalf("CRLF not kept: %q", b)
	}
	mustFail(t, callTool(t, e, "edit", map[string]any{"path": "dup.txt", "old_text": "x", "new_text": "y"}), "matched 3 times")
	mustFail(t, callTool(t, e, "edit", map[string]any{"path": "dup.txt", "old_text": "x", "new_text": "y", "replace_all": true, "expected_replacements": 2}), "Expected 2 replacements but would perform 3")
	mustOK(t, callTool(t, e, "edit", map[string]any{"path": "dup.txt", "old_text": "x", "new_text": "y", "replace_all": true}))
	mustFail(t, callTool(t, e, "edit", map[string]any{"path": "dup.txt", "old_text": "zzz", "new_text": "y"}), "was not found")
	mustFail(t, callTool(t, e, "edit", map[string]any{"path": "dup.txt", "old_text": "", "new_text": "y"}), "must not be empty")
	mustFail(t, callTool(t, e, "edit", map[string]any{"path": "dup.txt", "old_text": "y", "new_text": plantedSecret, "replace_all": true}), "live secret")
}

// TestConcurrentGuardedEdits: two edits made against the same read; exactly
// one lands, the other is told the file changed.
func TestConcurrentGuardedEdits(t *testing.T) {
	for round := 0; round < 12; round++ {
		e, _ := newTestEnv(t, map[string]string{"f.txt": "value=0\n"})
		sha := mustOK(t, callTool(t, e, "read", map[string]any{"path": "f.txt"}))["sha256"].(string)
		var wg sync.WaitGroup
		errs := make([]string, 2)
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				r := callTool(t, e, "edit", map[string]any{"path": "f.txt", "old_text": "value=0", "new_text": "value=" + string(rune('1'+i)), "expected_sha256": sha})
				if r.IsError {
					errs[i] = resultText(r)
				}
			}(i)
		}
		wg.Wait()
		failed := 0
		for _, msg := range errs {
			if msg != "" {
				failed++
				if !strings.Contains(msg, "changed since it was read") {
					t.Fatalf("loser error = %q", msg)
				}
			}
		}
		if failed != 1 {
			t.Fatalf("round %d: %d edits failed, want exactly 1 (%q)", round, failed, errs)
		}
	}
}
