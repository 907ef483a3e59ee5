//go:build unix

package procx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codexpro.dev/pkg/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.MaybeExec()
	os.Exit(m.Run())
}

func waitDead(t *testing.T, pid int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for Alive(pid) {
		if time.Now().After(deadline) {
			t.Fatalf("pid %d still alive %v after the run ended", pid, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func firstPid(t *testing.T, out string) int {
	t.Helper()
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(out, "\n", 2)[0]))
	if err != nil {
		t.Fatalf("no pid in output %q: %v", out, err)
	}
	return pid
}

func TestTimeoutKillsGrandchild(t *testing.T) {
	start := time.Now()
	res, err := Run(context.Background(), Spec{
		Argv:    []string{"sh", "-c", "sleep 30 & echo $!; sleep 30"},
		Timeout: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut {
		t.Fatalf("TimedOut = false, result %+v", res)
	}
	grandchild := firstPid(t, res.Stdout)
	waitDead(t, grandchild, 3*time.Second-time.Since(start))
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("grandchild of a 1 s timeout still ran after %v", d)
	}
}

func TestLeftoverBackgroundJobIsKilled(t *testing.T) {
	res, err := Run(context.Background(), Spec{
		Argv:    []string{"sh", "-c", "sleep 30 & echo $!"},
		Timeout: 20 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.TimedOut || res.ExitCode != 0 {
		t.Fatalf("want a clean exit, got %+v", res)
	}
	waitDead(t, firstPid(t, res.Stdout), 2*time.Second)
}

func TestFloodStopsNearCap(t *testing.T) {
	tests := []struct {
		name string
		argv []string
	}{
		{"yes", []string{"yes"}},
		{"ignores SIGTERM", []string{"sh", "-c", `trap "" TERM; yes codexpro`}},
		{"stderr", []string{"sh", "-c", "yes >&2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const cap = 4000
			res, err := Run(context.Background(), Spec{Argv: tc.argv, MaxOutput: cap, Timeout: 60 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Flooded || res.TimedOut || !res.Truncated {
				t.Fatalf("want flooded+truncated, not timed out: %+v", res)
			}
			marker := fmt.Sprintf(truncationMarker, cap)
			for _, s := range []string{res.Stdout, res.Stderr} {
				if len(s) > cap+len(marker) {
					t.Fatalf("retained %d bytes, cap %d", len(s), cap)
				}
			}
			if got := res.Stdout + res.Stderr; !strings.HasSuffix(got, marker) {
				t.Fatalf("output does not end with %q", marker)
			}
		})
	}
}

func TestTruncationWithoutFlood(t *testing.T) {
	res, err := Run(context.Background(), Spec{
		Argv:      []string{"sh", "-c", "head -c 5000 /dev/zero | tr '\\0' a; exit 3"},
		MaxOutput: 1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("a", 1000) + "\n...[output truncated at 1000 bytes]"
	if res.Stdout != want || !res.Truncated || res.Flooded || res.ExitCode != 3 {
		t.Fatalf("got stdout len %d truncated=%v flooded=%v exit=%d", len(res.Stdout), res.Truncated, res.Flooded, res.ExitCode)
	}
}

func TestCancelKillsGroup(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var seen bytes.Buffer
	started := make(chan struct{})
	var once sync.Once
	go func() {
		<-started
		cancel()
	}()
	res, err := Run(ctx, Spec{
		Argv: []string{"sh", "-c", "sleep 30 & echo $!; sleep 30"},
		OnOutput: func(stream string, p []byte) {
			mu.Lock()
			seen.Write(p)
			mu.Unlock()
			once.Do(func() { close(started) })
		},
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res.Signal != "SIGTERM" {
		t.Fatalf("signal = %q, want SIGTERM", res.Signal)
	}
	mu.Lock()
	live := seen.String()
	mu.Unlock()
	if live != res.Stdout {
		t.Fatalf("live copy %q differs from stdout %q", live, res.Stdout)
	}
	waitDead(t, firstPid(t, res.Stdout), 2*time.Second)
}

func TestStdinAndExitCode(t *testing.T) {
	res, err := Run(context.Background(), Spec{
		Argv:  []string{"sh", "-c", "cat; echo oops >&2; exit 7"},
		Stdin: strings.NewReader("hello"),
		Dir:   t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stdout != "hello" || res.Stderr != "oops\n" || res.ExitCode != 7 || res.Signal != "" {
		t.Fatalf("got %+v", res)
	}
}

func TestStartErrors(t *testing.T) {
	tests := []struct {
		name string
		argv []string
		want string
	}{
		{"empty", nil, "empty argv"},
		{"missing binary", []string{"codexpro-no-such-binary"}, "codexpro-no-such-binary"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Run(context.Background(), Spec{Argv: tc.argv})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want mention of %q", err, tc.want)
			}
		})
	}
}
