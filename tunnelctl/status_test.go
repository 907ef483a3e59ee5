package tunnelctl

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStatusStaleAndEmpty(t *testing.T) {
	home := t.TempDir()
	var out bytes.Buffer
	if err := Status(context.Background(), &out, home, time.Now()); err != nil || !strings.Contains(out.String(), "no tunnel is running") {
		t.Fatalf("empty status = %q, %v", out.String(), err)
	}
	dead := exec.Command("true")
	dead.Run()
	st := RuntimeState{Version: 1, Root: "/repo", PID: dead.Process.Pid, Tunnel: "quick", StartedAt: time.Now().Add(-time.Minute)}
	if err := WriteRuntime(RuntimePath(home, "/repo"), st); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	Status(context.Background(), &out, home, time.Now())
	if !strings.Contains(out.String(), "stale") || !strings.Contains(out.String(), "Uptime       1m0s") {
		t.Errorf("status of a dead tunnel:\n%s", out.String())
	}
}

func TestDown(t *testing.T) {
	home := t.TempDir()
	if err := Down(context.Background(), home, "/repo"); err == nil || !strings.Contains(err.Error(), "no tunnel is running for /repo") {
		t.Errorf("down with no tunnel: %v", err)
	}
	other := exec.Command("sleep", "60")
	other.Start()
	defer func() { other.Process.Kill(); other.Wait() }()
	path := RuntimePath(home, "/repo")
	WriteRuntime(path, RuntimeState{Root: "/repo", PID: other.Process.Pid})
	if err := Down(context.Background(), home, "/repo"); err == nil || !strings.Contains(err.Error(), "not a tunnelctl process") {
		t.Errorf("down must not signal an unrelated process: %v", err)
	}
	sleepBin, _ := exec.LookPath("sleep")
	b, _ := os.ReadFile(sleepBin)
	fakeTunnelctl := filepath.Join(t.TempDir(), "tunnelctl")
	os.WriteFile(fakeTunnelctl, b, 0o755)
	sleeper := exec.Command(fakeTunnelctl, "60")
	sleeper.Start()
	go sleeper.Wait()
	WriteRuntime(path, RuntimeState{Root: "/repo", PID: sleeper.Process.Pid})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := Down(ctx, home, "/repo"); err != nil {
		t.Fatalf("down: %v", err)
	}
	if alive(sleeper.Process.Pid) {
		t.Error("the tunnel process is still alive")
	}
	WriteRuntime(path, RuntimeState{Root: "/repo", PID: sleeper.Process.Pid})
	if err := Down(ctx, home, "/repo"); err == nil || !strings.Contains(err.Error(), "stale") {
		t.Errorf("down of a dead tunnel: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("stale runtime file kept")
	}
}
