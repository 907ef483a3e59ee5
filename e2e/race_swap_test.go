//go:build linux

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"golang.org/x/sys/unix"
)

// Environment of the swapper process (this test binary, re-executed).
const (
	swapRootEnv  = "CODEXPRO_SWAPPER_ROOT"
	swapCountEnv = "CODEXPRO_SWAPPER_COUNT"
	swapPaceEnv  = "CODEXPRO_SWAPPER_PACE"
)

// TestSwapperProcess is not a test: it is the swapper that
// TestRaceSwapOutside runs as a separate process. It exchanges a real
// directory and a real file of the workspace with symlinks to outside
// (renameat2 RENAME_EXCHANGE: each swap is one atomic step), then puts the
// real ones back and prints how many swaps it made.
func TestSwapperProcess(t *testing.T) {
	root := os.Getenv(swapRootEnv)
	if root == "" {
		t.Skip("helper process for TestRaceSwapOutside")
	}
	n, _ := strconv.Atoi(os.Getenv(swapCountEnv))
	pace, _ := time.ParseDuration(os.Getenv(swapPaceEnv))
	pairs := [][2]string{
		{filepath.Join(root, "dir"), filepath.Join(root, "dir.swap")},
		{filepath.Join(root, "f.txt"), filepath.Join(root, "f.swap")},
	}
	flips := make([]int, len(pairs))
	for i := range n {
		p := pairs[i%len(pairs)]
		if err := unix.Renameat2(unix.AT_FDCWD, p[0], unix.AT_FDCWD, p[1], unix.RENAME_EXCHANGE); err != nil {
			t.Fatalf("swap %d (%s): %v", i, p[0], err)
		}
		flips[i%len(pairs)]++
		if pace > 0 {
			time.Sleep(pace)
		}
	}
	for i, p := range pairs {
		if flips[i]%2 == 1 {
			if err := unix.Renameat2(unix.AT_FDCWD, p[0], unix.AT_FDCWD, p[1], unix.RENAME_EXCHANGE); err != nil {
				t.Fatal(err)
			}
		}
	}
	fmt.Printf("swaps=%d\n", n)
}

// raceFixture: ws/dir and ws/f.txt are real and hold the inside canary;
// ws/dir.swap and ws/f.swap are symlinks to the same names under outside/,
// which hold the outside canary.
func newRaceFixture(t *testing.T) (root, outside string) {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root, outside = filepath.Join(base, "ws"), filepath.Join(base, "outside")
	inside := "inside " + readmeCanary + "\n"
	if err := writeFiles(root, map[string]string{"dir/file.txt": inside, "f.txt": inside}); err != nil {
		t.Fatal(err)
	}
	if err := writeFiles(outside, map[string]string{"dir/file.txt": outsideCanary + "\n", "f.txt": outsideCanary + "\n"}); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"dir.swap": filepath.Join(outside, "dir"), "f.swap": filepath.Join(outside, "f.txt")} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	return root, outside
}

// raceTally counts what the clients saw while the swapper ran.
type raceTally struct {
	readsServed, readsRefused, writesOK, writesRefused atomic.Int64
}

// TestRaceSwapOutside: four clients read dir/file.txt and f.txt and write
// into dir/ through mcpd over HTTP while a separate process swaps dir and
// f.txt for symlinks to outside, thousands of times (100,000 in make soak).
// No read may return outside content, no write may land outside, and every
// write mcpd reports as done must be in the real directory.
func TestRaceSwapOutside(t *testing.T) {
	s := needSuite(t)
	swaps, pace := 4000, 500*time.Microsecond
	if soakLong() {
		swaps, pace = 100_000, 50*time.Microsecond
	}
	root, outside := newRaceFixture(t)
	before := hashTree(t, outside, nil)
	srv := startHTTP(t, "race-swap", "--root", root, "--mode", "agent")

	swapper := exec.Command(os.Args[0], "-test.run=^TestSwapperProcess$", "-test.count=1")
	swapper.Env = append(s.mcpdEnv(), swapRootEnv+"="+root, swapCountEnv+"="+strconv.Itoa(swaps), swapPaceEnv+"="+pace.String())
	var swapOut bytes.Buffer
	swapper.Stdout, swapper.Stderr = &swapOut, &swapOut
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var tally raceTally
	var written sync.Map // path -> content of every write reported as done
	var wg sync.WaitGroup
	done := make(chan struct{})
	for g := range 4 {
		c := goClient{}.open(t, ctx, httpTarget(srv))
		wg.Go(func() { raceClient(t, ctx, c, g, done, &tally, &written) })
	}
	if err := swapper.Start(); err != nil {
		t.Fatal(err)
	}
	swapErr := swapper.Wait()
	close(done)
	wg.Wait()
	if swapErr != nil || !strings.Contains(swapOut.String(), fmt.Sprintf("swaps=%d", swaps)) {
		t.Fatalf("swapper: %v\n%s", swapErr, swapOut.String())
	}
	if changed := diffSnapshots(before, hashTree(t, outside, nil)); len(changed) > 0 {
		t.Errorf("writes landed outside the workspace:\n%s", strings.Join(changed, "\n"))
	}
	written.Range(func(k, v any) bool {
		if b, err := os.ReadFile(filepath.Join(root, k.(string))); err != nil || string(b) != v.(string) {
			t.Errorf("write of %s was reported done but the file in the workspace holds %q (%v)", k, b, err)
		}
		return true
	})
	if tally.readsServed.Load() == 0 || tally.writesOK.Load() == 0 {
		t.Errorf("the race never served a read (%d) or a write (%d)", tally.readsServed.Load(), tally.writesOK.Load())
	}
	t.Logf("figure: %d swaps by a separate process; %d reads served inside, %d refused with a rule; %d writes done inside, %d refused; 0 outside",
		swaps, tally.readsServed.Load(), tally.readsRefused.Load(), tally.writesOK.Load(), tally.writesRefused.Load())
}

// raceClient reads and writes through the swapped paths until done closes.
func raceClient(t *testing.T, ctx context.Context, c *client.Client, g int, done <-chan struct{}, tally *raceTally, written *sync.Map) {
	for i := 0; ; i++ {
		select {
		case <-done:
			return
		default:
		}
		path := []string{"dir/file.txt", "f.txt"}[i%2]
		text, isErr, err := callText(ctx, c, "read", map[string]any{"path": path})
		switch {
		case err != nil:
			t.Errorf("read %s: %v", path, err)
			return
		case strings.Contains(text, outsideCanary):
			t.Errorf("read %s during a swap returned the outside file: %s", path, text)
			return
		case isErr && strings.Contains(text, "[rule: "):
			tally.readsRefused.Add(1)
		case !isErr && strings.Contains(text, readmeCanary):
			tally.readsServed.Add(1)
		default:
			t.Errorf("read %s: unexpected answer (isError %v): %s", path, isErr, text)
			return
		}
		name := fmt.Sprintf("dir/w-%d-%d.txt", g, i%50)
		content := fmt.Sprintf("write %d by client %d\n", i, g)
		_, isErr, err = callText(ctx, c, "write", map[string]any{"path": name, "content": content})
		switch {
		case err != nil:
			t.Errorf("write %s: %v", name, err)
			return
		case isErr:
			tally.writesRefused.Add(1)
		default:
			tally.writesOK.Add(1)
			written.Store(name, content)
		}
	}
}

// callText makes one tool call and returns its text content and isError.
func callText(ctx context.Context, c *client.Client, tool string, args map[string]any) (string, bool, error) {
	var req mcp.CallToolRequest
	req.Params.Name = tool
	req.Params.Arguments = args
	res, err := c.CallTool(ctx, req)
	if err != nil {
		return "", false, err
	}
	var parts []string
	for _, ct := range res.Content {
		if tc, ok := ct.(mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n"), res.IsError, nil
}
