package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"codexpro.dev/pkg/bridge"
)

func TestWatchOnceRunsANewPlanOnce(t *testing.T) {
	f := newFixture(t)
	f.agent("pi", `echo "pi: edited work.txt" >> work.txt; exit 4`)
	wo := WatchOptions{Options: f.opts("pi"), Once: true, Debounce: time.Millisecond}
	code, err := Watch(t.Context(), wo, f.io())
	if err != nil || code != 4 {
		t.Fatalf("first watch = %d, %v\n%s", code, err, f.err.String())
	}
	var st bridge.WatchState
	if err := json.Unmarshal([]byte(f.read(".ai-bridge/watch-handoff-state.json")), &st); err != nil || st.LastPlanHash != bridge.PlanHash(testPlan) || *st.ExitCode != 4 {
		t.Fatalf("watch state = %+v, %v", st, err)
	}
	// A failed plan is not retried.
	f.err.Reset()
	if code, err := Watch(t.Context(), wo, f.io()); err != nil || code != 0 || !strings.Contains(f.err.String(), "No new handoff plan") {
		t.Fatalf("second watch = %d, %v\n%s", code, err, f.err.String())
	}
	if n := strings.Count(f.read("work.txt"), "pi: edited"); n != 1 {
		t.Fatalf("agent ran %d times, want 1", n)
	}
	f.write(".ai-bridge/current-plan.md", bridge.ScaffoldPlan)
	f.err.Reset()
	if _, err := Watch(t.Context(), wo, f.io()); err != nil || !strings.Contains(f.err.String(), "Ignoring scaffolded") {
		t.Fatalf("scaffold watch: %v\n%s", err, f.err.String())
	}
}

func TestWatchPicksUpAPlanWrittenLater(t *testing.T) {
	f := newFixture(t)
	f.write(".ai-bridge/current-plan.md", bridge.ScaffoldPlan)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	wo := WatchOptions{Options: f.opts("opencode"), PollInterval: 250 * time.Millisecond, Debounce: 10 * time.Millisecond}
	wo.JSON = true
	done := make(chan error, 1)
	go func() { _, err := Watch(ctx, wo, f.io()); done <- err }()
	time.Sleep(300 * time.Millisecond)
	f.write(".ai-bridge/current-plan.md", "# Plan\n\nNew work.\n")
	deadline := time.Now().Add(20 * time.Second)
	for f.argv("opencode") == nil && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	// Let the run finish recording, then stop the watcher.
	for time.Now().Before(deadline) {
		if st, err := bridge.ParseRunState([]byte(f.read(".ai-bridge/handoff-run-state.json"))); err == nil && st.Terminal() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, ErrInterrupted) {
		t.Fatalf("a cancelled watch must end with ErrInterrupted, got %v", err)
	}
	if text := f.err.String(); !strings.Contains(text, "Watching .ai-bridge/current-plan.md (Ctrl-C to stop)") || !strings.Contains(text, "new plan "+bridge.PlanHash("# Plan\n\nNew work.\n")[:12]+": running opencode") {
		t.Errorf("watch must say what it watches and one line per run:\n%s", text)
	}
	if st := f.runState(); st.Mode != "watch" || st.State != "completed" || st.PlanHash != bridge.PlanHash("# Plan\n\nNew work.\n") {
		t.Fatalf("run state = %+v", st)
	}
}
