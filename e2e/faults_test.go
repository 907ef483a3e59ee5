package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestFullDiskWrite: the workspace sits on a 512 KiB tmpfs (root only;
// elsewhere the write limit CODEXPRO_MAX_WRITE_BYTES stands in for the
// disk's size). A write larger than the free space fails with an error
// that says why, the old file stays whole, a new file is not created, and
// no temp file is left behind.
func TestFullDiskWrite(t *testing.T) {
	root := filepath.Join(t.TempDir(), "ws")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	var env []string
	want := "no space left on device"
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k,mode=0755", "tmpfs", root).CombinedOutput(); err != nil {
		t.Logf("no tmpfs here (%v: %s); the write limit stands in for a full disk", err, strings.TrimSpace(string(out)))
		env, want = []string{"CODEXPRO_MAX_WRITE_BYTES=400000"}, "too large"
	} else {
		t.Cleanup(func() { _ = exec.Command("umount", root).Run() }) // runs after mcpd has stopped
	}
	if err := writeFiles(root, map[string]string{"a.txt": "original\n"}); err != nil {
		t.Fatal(err)
	}
	srv := startHTTPEnv(t, "full-disk", env, "--root", root, "--mode", "agent")
	big := strings.Repeat("x", 600_000)
	calls := []call{
		callTool("write", map[string]any{"path": "a.txt", "content": big}),
		callTool("write", map[string]any{"path": "new/b.txt", "content": big}),
		callTool("edit", map[string]any{"path": "a.txt", "old_text": "original", "new_text": big}),
		callTool("write", map[string]any{"path": "small.txt", "content": "fits\n"}),
	}
	sess := goClient{}.Run(t, httpTarget(srv), calls)
	for i, c := range calls[:3] {
		r := sess.Replies[i].result(t, c)
		if !r.IsError || !strings.Contains(r.text(), want) {
			t.Errorf("%s on a full disk: isError=%v %q; want an error saying %q", c.Tool, r.IsError, truncate(r.text(), 200), want)
		}
	}
	t.Logf("a write on the full disk answered: %s", sess.Replies[0].result(t, calls[0]).text())
	sess.Replies[3].ok(t, calls[3])
	if b, err := os.ReadFile(filepath.Join(root, "a.txt")); err != nil || string(b) != "original\n" {
		t.Errorf("a.txt after failed writes: %q, %v; want the original content", truncate(string(b), 40), err)
	}
	if _, err := os.Stat(filepath.Join(root, "new", "b.txt")); err == nil {
		t.Error("new/b.txt exists after a failed write")
	}
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".codexpro-") {
			t.Errorf("temp file left behind: %s", p)
		}
		return nil
	})
	srv.alive(t)
}
