package handoff

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/creack/pty"
)

func TestHumanConfirmationWithoutTerminalRefusesBeforeRunning(t *testing.T) {
	f := newFixture(t)
	lo := LoopOptions{Options: f.opts("pi"), Reviewer: f.reviewer(newPlanThenPass), RequireHumanConfirmation: true}
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	io := f.io()
	io.Stdin = devnull // a character device, but not a terminal
	_, err = Loop(t.Context(), lo, io)
	if err == nil || !strings.Contains(err.Error(), "--require-human-confirmation needs an interactive terminal") {
		t.Fatalf("err = %v", err)
	}
	if f.argv("pi") != nil {
		t.Fatal("iteration 1 ran although follow-ups could never be confirmed")
	}
}

// confirmThroughPTY runs a loop whose reviewer asks for a second iteration,
// with a real pseudo-terminal as stdin/stderr, and answers the follow-up
// prompt with answer.
func confirmThroughPTY(t *testing.T, answer string) (*fixture, LoopResult, string) {
	f := newFixture(t)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	var screen bytes.Buffer
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := bufio.NewReader(ptmx)
		var seen strings.Builder
		for {
			b, err := r.ReadByte()
			if err != nil {
				return
			}
			seen.WriteByte(b)
			mu.Lock()
			screen.WriteByte(b)
			mu.Unlock()
			if strings.HasSuffix(seen.String(), "Run the next local executor iteration? [y/N] ") {
				ptmx.Write([]byte(answer + "\n"))
				seen.Reset()
			}
		}
	}()
	lo := LoopOptions{Options: f.opts("pi"), Reviewer: f.reviewer(newPlanThenPass), RequireHumanConfirmation: true}
	res, err := Loop(t.Context(), lo, IO{Stdin: tty, Stdout: &f.out, Stderr: tty})
	tty.Close()
	<-done
	if err != nil {
		t.Fatalf("Loop: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	return f, res, screen.String()
}

func TestHumanConfirmationThroughPTY(t *testing.T) {
	f, res, screen := confirmThroughPTY(t, "n")
	if res.StopReason != "human_cancelled" || res.Verdict != "FAIL" || res.Iterations != 2 {
		t.Fatalf("answer no: res = %+v\n%s", res, screen)
	}
	for _, want := range []string{"Confirm follow-up plan", "Iteration: 2/3", "Also handle the empty case."} {
		if !strings.Contains(screen, want) {
			t.Errorf("prompt lacks %q:\n%s", want, screen)
		}
	}
	if n := strings.Count(f.read("work.txt"), "pi: edited"); n != 1 {
		t.Errorf("answer no: the executor ran %d times, want 1", n)
	}
	f, res, screen = confirmThroughPTY(t, "y")
	if res.StopReason != "pass" || res.Verdict != "PASS" || res.Iterations != 2 {
		t.Fatalf("answer yes: res = %+v\n%s", res, screen)
	}
	if n := strings.Count(f.read("work.txt"), "pi: edited"); n != 2 {
		t.Errorf("answer yes: the executor ran %d times, want 2", n)
	}
	if !strings.Contains(screen, "\r\x1b[Khandoff · iteration 1/3 · executing pi") {
		t.Errorf("no live progress line on the terminal:\n%q", screen)
	}
}
