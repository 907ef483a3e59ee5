package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// newGitWorkspace makes a small committed repository for tests that write.
func newGitWorkspace(t *testing.T, files map[string]string) string {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := writeFiles(root, files); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "init"}} {
		if err := git(root, args...); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestAgentModeWriteEditShowChanges: through each real client, write a
// file, read it back, edit it and review the change.
func TestAgentModeWriteEditShowChanges(t *testing.T) {
	for _, c := range clients {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			root := newGitWorkspace(t, map[string]string{"notes.txt": "first line\n"})
			srv := startHTTP(t, "agent-"+c.Name(), "--root", root, "--mode", "agent")
			calls := []call{
				callTool("write", map[string]any{"path": "src/hello.txt", "content": "hello from " + c.Name() + "\n"}),
				callTool("read", map[string]any{"path": "src/hello.txt"}),
				callTool("edit", map[string]any{"path": "notes.txt", "old_text": "first line", "new_text": "edited line"}),
				callTool("show_changes", map[string]any{}),
			}
			sess := runInOrder(t, c, httpTarget(srv), calls)
			sess.Replies[0].ok(t, calls[0])
			if got := sess.Replies[1].ok(t, calls[1]).all(); !strings.Contains(got, "hello from "+c.Name()) {
				t.Errorf("read back lacks the written text: %s", got)
			}
			sess.Replies[2].ok(t, calls[2])
			changes := sess.Replies[3].ok(t, calls[3]).all()
			for _, want := range []string{"notes.txt", "+edited line", "src/hello.txt"} {
				if !strings.Contains(changes, want) {
					t.Errorf("show_changes lacks %q: %s", want, changes)
				}
			}
			if b, _ := os.ReadFile(filepath.Join(root, "notes.txt")); string(b) != "edited line\n" {
				t.Errorf("notes.txt on disk = %q", b)
			}
		})
	}
}

// runInOrder makes each call only after the previous one answered: some
// clients (the Inspector CLI) run a list of calls side by side.
func runInOrder(t *testing.T, c mcpClient, tg target, calls []call) session {
	t.Helper()
	var all session
	for _, cl := range calls {
		s := c.Run(t, tg, []call{cl})
		all.Replies = append(all.Replies, s.Replies...)
	}
	return all
}

// TestHandoffModeHidesWrites: in handoff mode the write tools are neither
// listed nor callable, and handoff_to_agent writes the plan.
func TestHandoffModeHidesWrites(t *testing.T) {
	for _, c := range clients {
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			root := newGitWorkspace(t, map[string]string{"a.txt": "a\n"})
			srv := startHTTP(t, "handoff-"+c.Name(), "--root", root, "--mode", "handoff")
			calls := []call{
				listTools(),
				callTool("write", map[string]any{"path": "a.txt", "content": "overwritten"}),
				callTool("handoff_to_agent", map[string]any{"agent": "codex", "plan": "Add a greeting to a.txt."}),
			}
			sess := c.Run(t, httpTarget(srv), calls)
			tools := sess.Replies[0].tools(t)
			for _, w := range []string{"write", "edit", "apply_patch", "import_file"} {
				if _, ok := tools[w]; ok {
					t.Errorf("handoff mode lists %s", w)
				}
			}
			if rp := sess.Replies[1]; rp.Err == "" && !rp.result(t, calls[1]).IsError {
				t.Errorf("write succeeded in handoff mode: %s", rp.Raw)
			}
			sess.Replies[2].ok(t, calls[2])
			if b, _ := os.ReadFile(filepath.Join(root, "a.txt")); string(b) != "a\n" {
				t.Errorf("a.txt changed in handoff mode: %q", b)
			}
			if b, err := os.ReadFile(filepath.Join(root, ".ai-bridge", "current-plan.md")); err != nil || !strings.Contains(string(b), "Add a greeting") {
				t.Errorf("plan not written: %v %q", err, b)
			}
		})
	}
}

// TestKillDuringWrites kills mcpd with SIGKILL while many large writes are in
// flight; every file must then hold a whole old or new content, and the temp
// files a crash leaves must not show in tree.
func TestKillDuringWrites(t *testing.T) {
	const files, size = 8, 400_000
	initial := map[string]string{}
	for i := range files {
		initial[fmt.Sprintf("f%d.txt", i)] = strings.Repeat("0", size)
	}
	root := newGitWorkspace(t, initial)
	srv := startHTTP(t, "crash", "--root", root)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var done atomic.Int64
	var wg sync.WaitGroup
	for w := range 4 {
		c := goClient{}.open(t, ctx, httpTarget(srv)) // on the test goroutine: open may t.Fatal
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 1; ctx.Err() == nil; round++ {
				name := fmt.Sprintf("f%d.txt", (w+round)%files)
				req := mcp.CallToolRequest{}
				req.Params.Name = "write"
				req.Params.Arguments = map[string]any{"path": name, "content": strings.Repeat(string(rune('a'+round%26)), size)}
				if _, err := c.CallTool(ctx, req); err != nil {
					return // the server is gone
				}
				done.Add(1)
			}
		}()
	}
	for done.Load() < 20 && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-srv.done
	cancel()
	wg.Wait()
	for i := range files {
		b, err := os.ReadFile(filepath.Join(root, fmt.Sprintf("f%d.txt", i)))
		if err != nil || len(b) != size || strings.Count(string(b), string(b[:1])) != size {
			t.Fatalf("f%d.txt is torn after SIGKILL: %d bytes, err %v", i, len(b), err)
		}
	}
	checkTreeHidesTemp(t, root)
	t.Logf("%d writes completed before SIGKILL", done.Load())
}

func checkTreeHidesTemp(t *testing.T, root string) {
	t.Helper()
	srv := startHTTP(t, "after-crash", "--root", root)
	c := callTool("tree", map[string]any{"include_hidden": true})
	sess := goClient{}.Run(t, httpTarget(srv), []call{c})
	if got := sess.Replies[0].ok(t, c).all(); strings.Contains(got, ".codexpro-") {
		t.Fatalf("tree shows a crash's temp file: %s", got)
	}
}
