package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSymlinkSwapRace reads a symlink through mcpd while another goroutine
// keeps swapping it between a file inside the workspace and one outside.
// Whatever the timing, a read returns the inside file or a refusal, never
// the outside file.
func TestSymlinkSwapRace(t *testing.T) {
	s := needSuite(t)
	root := filepath.Join(t.TempDir(), "race-ws")
	if err := writeFiles(root, map[string]string{"inside.txt": "inside " + readmeCanary + "\n"}); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(root, "flip")
	if err := os.Symlink("inside.txt", link); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	tg := target{Transport: "stdio", Env: s.mcpdEnv(),
		Argv: []string{s.mcpd, "--root", root, "--transport", "stdio"}}
	c := goClient{}.open(t, ctx, tg)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { swapLoop(link, []string{"inside.txt", filepath.Join(s.fx.Outside, "secret.txt")}, stop) })
	defer func() { close(stop); wg.Wait() }()

	read := callTool("read", map[string]any{"path": "flip"})
	var served, refused int
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); {
		rp := goClient{}.do(ctx, c, read)
		s.log.add("race read", rp.Raw)
		r := rp.result(t, read)
		switch {
		case strings.Contains(r.all(), outsideCanary):
			t.Fatalf("read of a swapped symlink returned the outside file: %s", r.all())
		case r.IsError:
			if !strings.Contains(r.text(), "[rule: ") {
				t.Fatalf("refusal without a rule: %s", r.text())
			}
			refused++
		case strings.Contains(r.text(), readmeCanary):
			served++
		default:
			t.Fatalf("unexpected read result: %s", r.all())
		}
	}
	t.Logf("%d reads served the inside file, %d were refused", served, refused)
	if served+refused == 0 {
		t.Fatal("no read completed")
	}
}

// swapLoop atomically replaces link with a symlink to each target in turn.
func swapLoop(link string, targets []string, stop <-chan struct{}) {
	tmp := link + ".swap"
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		_ = os.Remove(tmp)
		if os.Symlink(targets[i%len(targets)], tmp) == nil {
			_ = os.Rename(tmp, link)
		}
	}
}
