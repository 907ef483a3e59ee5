package workspace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// srcUntouched fails when anything but main.go is in src/.
func srcUntouched(t *testing.T, root string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "src"))
	must(t, err)
	for _, e := range entries {
		if e.Name() != "main.go" {
			t.Fatalf("a context write landed in src/: %s", e.Name())
		}
	}
}

func TestLinkFreeRefusesLinkedComponents(t *testing.T) {
	ws, root, outside := fixture(t)
	must(t, os.Symlink("src", filepath.Join(root, ".ai-bridge")))
	must(t, os.MkdirAll(filepath.Join(root, ".real/bridge"), 0o755))
	must(t, os.Symlink(".real", filepath.Join(root, ".ai")))
	must(t, os.MkdirAll(filepath.Join(root, ".ok"), 0o755))
	must(t, os.Symlink("../src/main.go", filepath.Join(root, ".ok/plan.md")))
	fsys := ws.LinkFree()
	for _, rel := range []string{".ai-bridge/current-plan.md", ".ai/bridge/current-plan.md", ".ok/plan.md", "out/x.md", ".ai-bridge/new/x.md"} {
		t.Run(rel, func(t *testing.T) {
			if _, err := fsys.WriteFile(rel, []byte("PLAN"), 0o600); err == nil {
				t.Fatalf("write through a link accepted")
			} else if RuleOf(err) != RuleWriteThroughSymlink && RuleOf(err) != RuleSymlinkEscape {
				t.Fatalf("refusal %v has no link rule", err)
			}
			if _, _, err := fsys.ReadFile(rel, 1<<20); err == nil {
				t.Fatalf("read through a link accepted")
			}
		})
	}
	srcUntouched(t, root)
	if b, _ := os.ReadFile(filepath.Join(root, "src/main.go")); string(b) != "package main\n" {
		t.Fatalf("src/main.go changed: %q", b)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 1 {
		t.Fatalf("outside changed: %v", entries)
	}
	if _, err := fsys.WriteFile(".env.d/x", []byte("x"), 0o600); RuleOf(err) != RuleBlocked {
		t.Fatalf("blocked path through LinkFree: %v", err)
	}
	// A real directory works, missing components are created, and a
	// missing file reads as fs.ErrNotExist (the bridge's contract).
	if _, err := fsys.WriteFile(".fresh/a/b.md", []byte("ok"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, rel, err := fsys.ReadFile(".fresh/a/b.md", 10); err != nil || string(data) != "ok" || rel != ".fresh/a/b.md" {
		t.Fatalf("read back: %q %q %v", data, rel, err)
	}
	if _, _, err := fsys.ReadFile(".fresh/none.md", 10); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

// TestLinkFreeSwapDuringWrites swaps the context directory for a link to
// src/ and back while writes run: the check is made on the descriptor at
// every write, so no write ever lands in src/.
func TestLinkFreeSwapDuringWrites(t *testing.T) {
	ws, root, _ := fixture(t)
	ctx := filepath.Join(root, ".ai-bridge")
	real := filepath.Join(root, ".ai-bridge-real")
	must(t, os.MkdirAll(ctx, 0o755))
	stop := make(chan struct{})
	var swaps atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if os.Rename(ctx, real) != nil {
				continue
			}
			_ = os.Symlink("src", ctx)
			_ = os.Remove(ctx)
			_ = os.Rename(real, ctx)
			swaps.Add(1)
		}
	}()
	fsys := ws.LinkFree()
	var ok, refused int
	for i := 0; i < 800; i++ {
		if _, err := fsys.WriteFile(".ai-bridge/current-plan.md", []byte("PLAN"), 0o600); err == nil {
			ok++
		} else {
			refused++
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d swaps, %d writes done, %d refused", swaps.Load(), ok, refused)
	srcUntouched(t, root)
	if swaps.Load() == 0 {
		t.Fatal("the swapper never ran")
	}
}
