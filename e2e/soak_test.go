package e2e

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
)

// procStats is what /proc says about a process: OS threads, open file
// descriptors, resident and peak resident memory.
type procStats struct {
	Threads, FDs    int
	RSSKiB, PeakKiB int
}

func readProcStats(t *testing.T, pid int) procStats {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read mcpd's status: %v", err)
	}
	defer f.Close()
	var st procStats
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		switch k {
		case "Threads":
			st.Threads = n
		case "VmRSS":
			st.RSSKiB = n
		case "VmHWM":
			st.PeakKiB = n
		}
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatalf("list mcpd's fds: %v", err)
	}
	st.FDs = len(fds)
	return st
}

func (s procStats) String() string {
	return fmt.Sprintf("%d threads, %d fds, RSS %d MiB (peak %d MiB)", s.Threads, s.FDs, s.RSSKiB/1024, s.PeakKiB/1024)
}

// soakMix is the call a worker makes on its i-th turn: reads, listings,
// searches, git and review calls, and writes into its own scratch file.
func soakMix(worker, i int, has map[string]bool) call {
	files := []string{"README.md", "src/a.go", "src/b.go", "docs/guide.md"}
	switch i % 10 {
	case 4:
		if has["tree"] {
			return callTool("tree", map[string]any{"path": "src"})
		}
	case 5:
		if has["search"] {
			return callTool("search", map[string]any{"query": "soak_marker"})
		}
	case 6:
		return callTool("git_status", map[string]any{})
	case 7:
		return callTool("show_changes", map[string]any{"path": "scratch"})
	case 8, 9:
		return callTool("write", map[string]any{"path": fmt.Sprintf("scratch/w-%d.txt", worker), "content": fmt.Sprintf("worker %d turn %d\n", worker, i)})
	}
	return callTool("read", map[string]any{"path": files[(worker+i)%len(files)]})
}

// TestSoakLoad: 64 concurrent HTTP clients make mixed calls against one
// mcpd (5,000 in make test, 200,000 in make soak). Zero calls may fail;
// mcpd's threads and open fds must not grow, and its memory must stay
// bounded. The figures are logged.
func TestSoakLoad(t *testing.T) {
	const workers = 64
	total, limit := 5_000, 4*time.Minute
	if soakLong() {
		total, limit = 200_000, 45*time.Minute
	}
	files := map[string]string{"README.md": "# soak\n", "docs/guide.md": "guide\n", "scratch/.keep": ""}
	for _, f := range []string{"a", "b"} {
		files["src/"+f+".go"] = "package src\n\n// soak_marker " + f + "\n" + strings.Repeat("// filler line\n", 200)
	}
	root := newGitWorkspace(t, files)
	srv := startHTTP(t, "soak", "--root", root, "--mode", "agent")
	pid := srv.cmd.Process.Pid
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()

	clients := make([]*client.Client, workers)
	for w := range clients {
		clients[w] = goClient{}.open(t, ctx, httpTarget(srv))
	}
	has := map[string]bool{}
	for name := range (goClient{}).do(ctx, clients[0], listTools()).tools(t) {
		has[name] = true
	}
	runSoak(t, ctx, clients, has, workers*20) // warm-up: pools, caches, git index
	base := readProcStats(t, pid)

	var peak atomic.Int64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			if st := readProcStats(t, pid); int64(st.Threads) > peak.Load() {
				peak.Store(int64(st.Threads))
			}
		}
	})
	start := time.Now()
	errs := runSoak(t, ctx, clients, has, total)
	elapsed := time.Since(start)
	close(stop)
	sampler.Wait()
	time.Sleep(500 * time.Millisecond) // let finished requests release their goroutines
	after := readProcStats(t, pid)
	srv.alive(t)

	if errs > 0 {
		t.Errorf("%d of %d calls failed", errs, total)
	}
	if after.FDs > base.FDs+4 {
		t.Errorf("open fds grew from %d to %d over %d calls", base.FDs, after.FDs, total)
	}
	// The Go runtime keeps an OS thread once a blocking syscall made it, so
	// threads may rise to the number of calls in flight, never past it.
	if after.Threads > base.Threads+workers {
		t.Errorf("threads grew from %d to %d over %d calls with %d in flight", base.Threads, after.Threads, total, workers)
	}
	if after.PeakKiB > 512*1024 || after.RSSKiB > base.RSSKiB+128*1024 {
		t.Errorf("memory not bounded: before %s, after %s", base, after)
	}
	t.Logf("figure: %d calls by %d concurrent clients in %v (%.0f calls/s), %d errors; mcpd before: %s; after: %s; peak threads %d",
		total, workers, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), errs, base, after, peak.Load())
}

// runSoak makes n calls spread over the clients and returns how many
// failed (a client error, or an isError result: none of the mix may fail).
func runSoak(t *testing.T, ctx context.Context, clients []*client.Client, has map[string]bool, n int) int64 {
	var next, errs atomic.Int64
	var wg sync.WaitGroup
	for w, c := range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				cl := soakMix(w, i/len(clients), has)
				rp := (goClient{}).do(ctx, c, cl)
				if msg := soakFailure(rp); msg != "" {
					if errs.Add(1) <= 5 {
						t.Errorf("%s: %s", cl, msg)
					}
				}
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		t.Errorf("the load did not finish within its time limit (%d of %d calls started)", min(next.Load(), int64(n)), n)
	}
	return errs.Load()
}

func soakFailure(rp reply) string {
	if rp.Err != "" {
		return rp.Err
	}
	if strings.Contains(string(rp.Raw), `"isError":true`) {
		return truncate(string(rp.Raw), 300)
	}
	return ""
}

// soakLong reports whether the long forms run (make soak).
func soakLong() bool { return os.Getenv("CODEXPRO_SOAK") == "long" }
