package tools

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/internal/wstest"
	"codexpro.dev/mcpd/toolkit"
)

const (
	sessOurs  = "11111111-2222-3333-4444-555555555555"
	sessOther = "99999999-8888-7777-6666-555555555555"
	sessSub   = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
)

func jsonl(recs ...map[string]any) string {
	var b strings.Builder
	for _, r := range recs {
		raw, _ := json.Marshal(r)
		b.Write(raw)
		b.WriteByte('\n')
	}
	return b.String()
}

func rec(ts, typ string, payload map[string]any) map[string]any {
	return map[string]any{"timestamp": ts, "type": typ, "payload": payload}
}

func msg(ts, role, text string) map[string]any {
	return rec(ts, "response_item", map[string]any{"type": "message", "role": role, "content": []any{map[string]any{"type": "input_text", "text": text}}})
}

// sessionFixture writes three sessions: one for a project in the
// workspace, one for an unrelated project, one subagent session.
func sessionFixture(t *testing.T, mode string) (*toolkit.Env, string) {
	t.Helper()
	e, root := newTestEnv(t, nil)
	codex := t.TempDir()
	e.Cfg.CodexDir, e.Cfg.CodexSessions = codex, mode
	recs := []map[string]any{
		rec("2026-01-01T10:00:00Z", "session_meta", map[string]any{"id": sessOurs, "cwd": filepath.Join(root, "sub")}),
		msg("2026-01-01T10:00:01Z", "user", "# AGENTS.md instructions\nbe nice"),
		msg("2026-01-01T10:00:02Z", "user", "Fix   the login\nbug please"),
		msg("2026-01-01T10:00:03Z", "assistant", "Looking at it."),
		rec("2026-01-01T10:00:04Z", "response_item", map[string]any{"type": "function_call", "name": "shell"}),
		rec("2026-01-01T10:00:05Z", "response_item", map[string]any{"type": "function_call_output", "output": strings.Repeat("o", 5000)}),
	}
	for i := range 20 {
		recs = append(recs, msg(fmt.Sprintf("2026-01-01T11:%02d:00Z", i), "assistant", fmt.Sprintf("step %02d", i)))
	}
	recs = append(recs, msg("2026-01-01T12:00:00Z", "assistant", "TAIL-ONLY-PHRASE done"))
	wstest.WriteFile(t, filepath.Join(codex, "sessions/2026/01/01/rollout-"+sessOurs+".jsonl"), jsonl(recs...))
	wstest.WriteFile(t, filepath.Join(codex, "archived_sessions/rollout-"+sessOther+".jsonl"), jsonl(
		rec("2026-01-02T10:00:00Z", "session_meta", map[string]any{"id": sessOther, "cwd": "/srv/unrelated-project"}),
		msg("2026-01-02T10:00:01Z", "user", "secret plans of another project")))
	wstest.WriteFile(t, filepath.Join(codex, "sessions/rollout-"+sessSub+".jsonl"), jsonl(
		rec("2026-01-03T10:00:00Z", "session_meta", map[string]any{"id": sessSub, "cwd": root, "source": map[string]any{"subagent": "review"}})))
	wstest.WriteFile(t, filepath.Join(codex, "sessions/notes.txt"), "not a session")
	return e, root
}

func TestCodexSessionsListing(t *testing.T) {
	e, root := sessionFixture(t, "metadata")
	s := mustOK(t, callTool(t, e, "codex_sessions", nil))
	sessions := s["sessions"].([]any)
	if len(sessions) != 1 || s["total_found"] != 1.0 {
		t.Fatalf("want only the session of a project inside the allowed root, got %v", sessions)
	}
	got := sessions[0].(map[string]any)
	want := map[string]any{"session_id": sessOurs, "title": "Fix the login bug please", "project_dir": filepath.Join(root, "sub"),
		"created_at": "2026-01-01T10:00:00Z", "last_active_at": "2026-01-01T12:00:00Z", "resume_command": "codex resume " + sessOurs}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	// Metadata never exposes transcript text: a phrase only in the tail matches nothing.
	if s := mustOK(t, callTool(t, e, "codex_sessions", map[string]any{"query": "TAIL-ONLY-PHRASE"})); s["total_found"] != 0.0 {
		t.Fatal("query matched transcript text")
	}
	if s := mustOK(t, callTool(t, e, "codex_sessions", map[string]any{"query": "LOGIN"})); s["total_found"] != 1.0 {
		t.Fatal("query by title failed")
	}
	mustFail(t, callTool(t, e, "read_codex_session", map[string]any{"session_id": sessOurs}), "--codex-sessions read")
	e.Cfg.CodexSessions = "off"
	mustFail(t, callTool(t, e, "codex_sessions", nil), "disabled")
}

func TestReadCodexSessionPaging(t *testing.T) {
	e, _ := sessionFixture(t, "read")
	// tail: the newest messages, in chronological order
	s := mustOK(t, callTool(t, e, "read_codex_session", map[string]any{"session_id": sessOurs, "max_messages": 3}))
	msgs := s["messages"].([]any)
	if len(msgs) != 3 || msgs[2].(map[string]any)["content"] != "TAIL-ONLY-PHRASE done" || msgs[0].(map[string]any)["content"] != "step 18" {
		t.Fatalf("tail page = %v", msgs)
	}
	if s["has_more"] != true || s["next_cursor"] == nil {
		t.Fatal("tail page should have more")
	}
	// the next tail page continues before the first
	s2 := mustOK(t, callTool(t, e, "read_codex_session", map[string]any{"session_id": sessOurs, "max_messages": 2, "cursor": s["next_cursor"]}))
	if m := s2["messages"].([]any); m[1].(map[string]any)["content"] != "step 17" {
		t.Fatalf("second tail page = %v", m)
	}
	// head: oldest first, tool output capped
	h := mustOK(t, callTool(t, e, "read_codex_session", map[string]any{"session_id": sessOurs, "direction": "head", "max_messages": 5, "max_tool_output_bytes": 100}))
	hm := h["messages"].([]any)
	tool := hm[4].(map[string]any)
	if tool["role"] != "tool" || len(tool["content"].(string)) > 100 || !strings.HasSuffix(tool["content"].(string), toolOutputCut) {
		t.Fatalf("tool output not capped: %v", tool)
	}
	if hm[3].(map[string]any)["content"] != "[Tool: shell]" {
		t.Fatalf("function call = %v", hm[3])
	}
	ex := mustOK(t, callTool(t, e, "read_codex_session", map[string]any{"session_id": sessOurs, "direction": "head", "max_messages": 5, "exclude_tool_outputs": true}))
	for _, m := range ex["messages"].([]any) {
		if m.(map[string]any)["role"] == "tool" {
			t.Fatal("tool output not excluded")
		}
	}
}

// The byte budget is never exceeded, even when it falls inside a 4-byte rune.
func TestReadCodexSessionBudget(t *testing.T) {
	e, _ := newTestEnv(t, nil)
	root := e.Roots.List()[0]
	codex := t.TempDir()
	e.Cfg.CodexDir, e.Cfg.CodexSessions = codex, "read"
	wstest.WriteFile(t, filepath.Join(codex, "sessions/rollout-"+sessOurs+".jsonl"), jsonl(
		rec("2026-01-01T10:00:00Z", "session_meta", map[string]any{"id": sessOurs, "cwd": root}),
		msg("2026-01-01T10:00:01Z", "user", strings.Repeat("a", 3999)+"😀😀")))
	s := mustOK(t, callTool(t, e, "read_codex_session", map[string]any{"session_id": sessOurs, "max_total_bytes": 4001}))
	c := s["messages"].([]any)[0].(map[string]any)["content"].(string)
	if len(c) > 4001 || !strings.HasSuffix(c, "a") || s["truncated"] != true {
		t.Fatalf("content of %d bytes (suffix %q), truncated=%v", len(c), c[len(c)-4:], s["truncated"])
	}
}

func TestReadCodexSessionRefusals(t *testing.T) {
	e, root := sessionFixture(t, "read")
	codex := e.Cfg.CodexDir
	wstest.WriteFile(t, filepath.Join(root, "copy.jsonl"), "{}\n")
	wstest.WriteFile(t, filepath.Join(codex, "sessions/x.txt"), "{}\n")
	symlink(t, filepath.Join(root, "copy.jsonl"), filepath.Join(codex, "sessions/link.jsonl"))
	tests := []struct {
		name string
		args map[string]any
		want string
	}{
		{"unrelated project by id", map[string]any{"session_id": sessOther}, "not found"},
		{"unrelated project by path", map[string]any{"source_path": filepath.Join(codex, "archived_sessions/rollout-"+sessOther+".jsonl")}, "outside the allowed roots"},
		{"subagent session", map[string]any{"session_id": sessSub}, "not found"},
		{"jsonl outside the codex folders", map[string]any{"source_path": filepath.Join(root, "copy.jsonl")}, "outside configured Codex session roots"},
		{"link out of the codex folders", map[string]any{"source_path": filepath.Join(codex, "sessions/link.jsonl")}, "outside configured Codex session roots"},
		{"not a .jsonl", map[string]any{"source_path": filepath.Join(codex, "sessions/x.txt")}, "must be a .jsonl"},
		{"traversal", map[string]any{"source_path": filepath.Join(codex, "sessions/../../etc/passwd.jsonl")}, "outside configured"},
		{"neither", map[string]any{}, "session_id or source_path is required"},
		{"cursor past the end", map[string]any{"session_id": sessOurs, "cursor": 1 << 30}, "cursor is beyond"},
		{"bad direction", map[string]any{"session_id": sessOurs, "direction": "sideways"}, "direction must be"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := callTool(t, e, "read_codex_session", tc.args)
			mustFail(t, r, tc.want)
			if strings.Contains(resultText(r), "secret plans") {
				t.Fatal("leaked another project's transcript")
			}
		})
	}
	if _, err := os.Stat(filepath.Join(codex, "sessions/2026/01/01/rollout-"+sessOurs+".jsonl")); err != nil {
		t.Fatal(err)
	}
}
