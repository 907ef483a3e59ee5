package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestSymlinkSwapDuringReads swaps a directory for links to outside and to a
// blocked directory while reads run in a loop. No read may return what lies
// behind those links.
func TestSymlinkSwapDuringReads(t *testing.T) {
	ws, root, outside := fixture(t)
	must(t, os.WriteFile(filepath.Join(outside, "ok.txt"), []byte("OUTSIDE"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, ".git", "ok.txt"), []byte("BLOCKED"), 0o644))
	real := filepath.Join(root, "real")
	must(t, os.MkdirAll(real, 0o755))
	must(t, os.WriteFile(filepath.Join(real, "ok.txt"), []byte("INSIDE"), 0o644))
	swap := filepath.Join(root, "swap")
	must(t, os.Symlink("real", swap))

	stop := make(chan struct{})
	var swaps atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		targets := []string{outside, ".git", "real", "../outside"}
		tmp := filepath.Join(root, "swap.next")
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			_ = os.Remove(tmp)
			if os.Symlink(targets[i%len(targets)], tmp) == nil && os.Rename(tmp, swap) == nil {
				swaps.Add(1)
			}
		}
	}()
	reads := 0
	for i := 0; i < 20000; i++ {
		data, _, err := ws.ReadFile("swap/ok.txt", 100)
		if err == nil {
			reads++
			if string(data) != "INSIDE" {
				close(stop)
				wg.Wait()
				t.Fatalf("read %d returned %q through a swapped symlink", i, data)
			}
		} else if RuleOf(err) == "" && !strings.Contains(err.Error(), "no such file") {
			t.Logf("unexpected error kind: %v", err)
		}
	}
	close(stop)
	wg.Wait()
	if reads == 0 || swaps.Load() < 100 {
		t.Fatalf("race did not exercise both sides: %d good reads, %d swaps", reads, swaps.Load())
	}
	t.Logf("%d reads ok, %d swaps", reads, swaps.Load())
}

// TestSymlinkSwapDuringWrites swaps the parent directory of a write target
// for a link to outside; nothing may ever land outside the workspace.
func TestSymlinkSwapDuringWrites(t *testing.T) {
	ws, root, outside := fixture(t)
	must(t, os.MkdirAll(filepath.Join(root, "real"), 0o755))
	swap := filepath.Join(root, "swap")
	must(t, os.Symlink("real", swap))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tmp := filepath.Join(root, "swap.next")
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			target := "real"
			if i%2 == 1 {
				target = outside
			}
			_ = os.Remove(tmp)
			if os.Symlink(target, tmp) == nil {
				_ = os.Rename(tmp, swap)
			}
		}
	}()
	for i := 0; i < 3000; i++ {
		_, _ = ws.WriteFile("swap/w.txt", []byte("payload"), 0)
	}
	close(stop)
	wg.Wait()
	entries, _ := os.ReadDir(outside)
	for _, e := range entries {
		if e.Name() != "secret.txt" {
			t.Fatalf("a write landed outside the workspace: %s", e.Name())
		}
	}
	if b, _ := os.ReadFile(filepath.Join(root, "real", "w.txt")); string(b) != "payload" {
		t.Fatalf("no write landed inside either: %q", b)
	}
}
