package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"codexpro.dev/pkg/bridge"
)

// lockedBuffer is a buffer the test reads while run writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestWatchTalksAndCtrlCIsInterrupted: watch says what it watches and one
// line per run, and Ctrl-C ends it with 130 and "interrupted" (no rpc
// error from the cancelled child).
func TestWatchTalksAndCtrlCIsInterrupted(t *testing.T) {
	root, bin := workspace(t)
	agent := script(t, bin, "agent", `echo ran >> work.txt; sleep 30`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"watch", "--root", root, "--yes", "--command", agent + " {{plan_file}}", "--poll-interval-ms", "250", "--debounce-ms", "0"},
			strings.NewReader(""), &out, &errb)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(errb.String(), "running custom") {
		if time.Now().After(deadline) {
			t.Fatalf("no run line:\n%s", errb.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	code := <-done
	text := errb.String()
	if code != 130 || !strings.Contains(text, "handoff: interrupted") || strings.Contains(text, "rpc error") || strings.Contains(text, "context canceled") {
		t.Fatalf("exit %d, stderr:\n%s", code, text)
	}
	if !strings.Contains(text, "Watching "+bridge.Rel(bridge.DefaultContextDir, bridge.CurrentPlan)+" (Ctrl-C to stop)") {
		t.Errorf("no watching line:\n%s", text)
	}
}

// TestFailuresSayWhyWithoutATerminal: with stderr not a terminal, a failed
// agent shows its last stderr lines and a slow reviewer its timeout.
func TestFailuresSayWhyWithoutATerminal(t *testing.T) {
	root, bin := workspace(t)
	agent := script(t, bin, "agent", `echo "step 1 fine" >&2; echo "error: provider unavailable (HTTP 503)" >&2; exit 2`)
	code, _, errb := runCLI(t, "execute", "--root", root, "--yes", "--command", agent+" {{plan_file}}")
	if code != 2 || !strings.Contains(errb, "agent exited with code 2; last stderr lines:\n  | step 1 fine\n  | error: provider unavailable (HTTP 503)") {
		t.Fatalf("execute exit %d, stderr:\n%s", code, errb)
	}
	pass := script(t, bin, "pass", `echo CODEXPRO_REVIEW=PASS`)
	code, _, errb = runCLI(t, "loop", "--root", root, "--yes", "--command", agent+" {{plan_file}}", "--reviewer", pass)
	if code == 0 || !strings.Contains(errb, "agent exited with code 2; last stderr lines:") {
		t.Fatalf("loop with a failing agent: exit %d, stderr:\n%s", code, errb)
	}
	ok := script(t, bin, "ok", `echo edited >> work.txt`)
	slow := script(t, bin, "slow", `echo "reading the diff" >&2; sleep 60`)
	code, _, errb = runCLI(t, "loop", "--root", root, "--yes", "--command", ok+" {{plan_file}}", "--reviewer", slow, "--review-timeout-ms", "2000")
	if code == 0 || !strings.Contains(errb, "reviewer timed out after 2000 ms; last stderr lines:\n  | reading the diff") {
		t.Fatalf("loop exit %d, stderr:\n%s", code, errb)
	}
}
