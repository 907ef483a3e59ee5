package tunnelctl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func tinyPolicy() Policy {
	return Policy{StartTimeout: 5 * time.Second, Interval: 50 * time.Millisecond, UnreadyAfter: 2,
		Backoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond, MaxFailures: 3,
		StableAfter: time.Hour, StopGrace: time.Second}
}

// eventLog records event kinds in order.
type eventLog struct {
	mu    sync.Mutex
	kinds []string
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.kinds = append(l.kinds, e.Kind)
}

func (l *eventLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.kinds, ",")
}

// TestSuperviseRestartsUnreadyChild: a child that stays alive but stops
// answering its probe is killed and started again.
func TestSuperviseRestartsUnreadyChild(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "healthy")
	os.WriteFile(flag, nil, 0o600)
	var starts int
	spec := Spec{Name: "sleeper",
		Command: func() (*exec.Cmd, error) { starts++; return exec.Command("sleep", "60"), nil },
		Probe: func(context.Context) error {
			_, err := os.Stat(flag)
			return err
		}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ev eventLog
	s, err := Supervise(ctx, spec, tinyPolicy(), ev.add)
	if err != nil {
		t.Fatal(err)
	}
	first := s.PID()
	os.Remove(flag)
	waitFor(t, "unready child killed", 5*time.Second, func() bool { return !alive(first) || s.PID() == 0 })
	os.WriteFile(flag, nil, 0o600)
	waitFor(t, "child restarted", 5*time.Second, func() bool { return s.PID() != 0 && s.PID() != first })
	if s.Restarts() != 1 {
		t.Errorf("restarts = %d, want 1", s.Restarts())
	}
	cancel()
	if err := s.Wait(); err != nil {
		t.Errorf("Wait after cancel = %v", err)
	}
	if !strings.HasPrefix(ev.String(), "ready,down,restarting,ready") {
		t.Errorf("events %s", ev.String())
	}
}

// TestSuperviseGivesUp: when restarts keep failing, supervision ends with an
// error instead of looping forever.
func TestSuperviseGivesUp(t *testing.T) {
	var mu sync.Mutex
	broken := false
	spec := Spec{Name: "flaky",
		Command: func() (*exec.Cmd, error) {
			mu.Lock()
			defer mu.Unlock()
			if broken {
				return exec.Command("sh", "-c", "echo boom-from-child >&2; exit 3"), nil
			}
			return exec.Command("sleep", "60"), nil
		},
		Probe: func(context.Context) error { return nil }}
	var ev eventLog
	s, err := Supervise(context.Background(), spec, tinyPolicy(), ev.add)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	broken = true
	mu.Unlock()
	killPID(s.PID())
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("supervision did not give up")
	}
	err = s.Wait()
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 failed restarts") || !strings.Contains(err.Error(), "boom-from-child") {
		t.Fatalf("err = %v, want a give-up error with the child's output", err)
	}
	if !strings.HasSuffix(ev.String(), EventGaveUp) {
		t.Errorf("events %s", ev.String())
	}
}

// TestSuperviseFirstStartKillsProcessGroup: a child that never gets ready is
// stopped with its whole process group, grandchildren included.
func TestSuperviseFirstStartKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild")
	spec := Spec{Name: "stuck",
		Command: func() (*exec.Cmd, error) {
			return exec.Command("sh", "-c", "sleep 60 & echo $! > "+pidFile+"; wait"), nil
		},
		Probe: func(context.Context) error { return errors.New("never ready") }}
	p := tinyPolicy()
	p.StartTimeout = 500 * time.Millisecond
	_, err := Supervise(context.Background(), spec, p, nil)
	if err == nil || !strings.Contains(err.Error(), "never ready") {
		t.Fatalf("err = %v", err)
	}
	b, _ := os.ReadFile(pidFile)
	var pid int
	if _, err := fmt.Sscan(strings.TrimSpace(string(b)), &pid); err != nil {
		t.Fatalf("grandchild pid %q: %v", b, err)
	}
	waitFor(t, "grandchild killed", 3*time.Second, func() bool { return !alive(pid) })
}

// killPID kills pid the way a crash or the OOM killer would.
func killPID(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

// TestSuperviseDetached: a detached child's command sets something and
// exits 0; the run lasts while the probe passes; when it fails the setting
// is undone and set again; a failing command is an error with its output;
// an Undo that fails at the end is reported, not swallowed.
func TestSuperviseDetached(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "set")
	var mu sync.Mutex
	var sets, undos int
	spec := Spec{Name: "setter", Detached: true,
		Command: func() (*exec.Cmd, error) {
			mu.Lock()
			sets++
			mu.Unlock()
			return exec.Command("touch", flag), nil
		},
		Probe: func(context.Context) error { _, err := os.Stat(flag); return err },
		Undo: func() error {
			mu.Lock()
			defer mu.Unlock()
			undos++
			if undos == 2 {
				return errors.New("tailscaled is gone")
			}
			return nil
		}}
	count := func() (int, int) { mu.Lock(); defer mu.Unlock(); return sets, undos }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ev eventLog
	s, err := Supervise(ctx, spec, tinyPolicy(), ev.add)
	if err != nil {
		t.Fatal(err)
	}
	if s.PID() != 0 || !s.Up() {
		t.Errorf("a settled detached child: pid %d up %v, want 0 and true", s.PID(), s.Up())
	}
	os.Remove(flag) // it disappears behind the supervisor's back
	waitFor(t, "set again", 5*time.Second, func() bool { n, u := count(); return n == 2 && u == 1 && s.Up() })
	cancel()
	s.Wait()
	if _, u := count(); u != 2 || !strings.HasSuffix(ev.String(), EventUndoFailed) {
		t.Errorf("undos %d, events %s: want the final undo's failure reported", u, ev.String())
	}

	spec.Command = func() (*exec.Cmd, error) { return exec.Command("sh", "-c", "echo funnel refused >&2; exit 3"), nil }
	if _, err := Supervise(context.Background(), spec, tinyPolicy(), nil); err == nil || !strings.Contains(err.Error(), "funnel refused") {
		t.Errorf("a failing detached command: %v, want its output", err)
	}
}
