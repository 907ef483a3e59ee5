package tools

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func gitInit(t *testing.T, root string) {
	t.Helper()
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "i"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
}

func TestShowChanges(t *testing.T) {
	e, root := newTestEnv(t, map[string]string{"a.txt": "one\n", ".env": "X=1\n"})
	gitInit(t, root)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(root, "a.txt"), []byte("two\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "new.txt"), []byte("brand new\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, ".env"), []byte("X=2\n"), 0o644))
	m := mustOK(t, callTool(t, e, "show_changes", nil))
	diff := m["diff"].(string)
	for _, want := range []string{"+two", "-one", "+brand new", "new.txt"} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
	if strings.Contains(diff+m["status"].(string), ".env") {
		t.Errorf("a blocked file shows in show_changes: %v", m)
	}
	m = mustOK(t, callTool(t, e, "show_changes", nil))
	if m["review_checkpoint_hit"] != true || m["changed"] != false {
		t.Errorf("second call did not hit the checkpoint: %v", m)
	}
	m = mustOK(t, callTool(t, e, "show_changes", map[string]any{"since": "workspace"}))
	if m["changed"] != true {
		t.Errorf("since=workspace hid changes: %v", m)
	}
	must(os.WriteFile(filepath.Join(root, "a.txt"), []byte("three\n"), 0o644))
	if m = mustOK(t, callTool(t, e, "show_changes", nil)); m["review_checkpoint_hit"] == true {
		t.Error("a new change was reported as already reviewed")
	}
	mustFail(t, callTool(t, e, "show_changes", map[string]any{"since": "yesterday"}), "since must be")
	mustFail(t, callTool(t, e, "show_changes", map[string]any{"path": "../"}), "escapes")
}
