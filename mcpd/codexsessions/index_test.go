package codexsessions

import (
	"os"
	"path/filepath"
	"testing"
)

func writeSession(t *testing.T, p, id, cwd, extra string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	body := `{"timestamp":"2026-01-01T10:00:00Z","type":"session_meta","payload":{"id":"` + id + `","cwd":"` + cwd + `"` + extra + `}}` + "\n" +
		`{"timestamp":"2026-01-01T10:00:01Z","type":"response_item","payload":{"type":"message","role":"user","content":"Fix the login bug"}}` + "\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestScanScopesToAllowedRoots: only sessions of projects inside an allowed
// root are listed (subagent sessions and non-session files never), and a
// file whose stamp changed is parsed again.
func TestScanScopesToAllowedRoots(t *testing.T) {
	codex, project := t.TempDir(), t.TempDir()
	const ours, other, sub = "11111111-2222-3333-4444-555555555555", "99999999-8888-7777-6666-555555555555", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	mine := filepath.Join(codex, "sessions", "2026", "rollout-"+ours+".jsonl")
	writeSession(t, mine, ours, filepath.Join(project, "sub"), "")
	writeSession(t, filepath.Join(codex, "archived_sessions", "rollout-"+other+".jsonl"), other, "/srv/unrelated", "")
	writeSession(t, filepath.Join(codex, "sessions", "rollout-"+sub+".jsonl"), sub, project, `,"source":{"subagent":"review"}`)
	if err := os.WriteFile(filepath.Join(codex, "sessions", "notes.txt"), []byte("not a session"), 0o644); err != nil {
		t.Fatal(err)
	}
	var x Index
	got := x.Scan(Roots(codex), []string{project})
	if len(got) != 1 || got[0].SessionID != ours || got[0].Title != "Fix the login bug" || got[0].ResumeCommand != "codex resume "+ours {
		t.Fatalf("scan = %+v, want only the session of the allowed project", got)
	}
	writeSession(t, mine, ours, "/srv/moved-away", "")
	if got := x.Scan(Roots(codex), []string{project}); len(got) != 0 {
		t.Fatalf("a changed session file was not parsed again: %+v", got)
	}
}
