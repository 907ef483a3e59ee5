package tunnelctl

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSecondUpForTheSameWorkspaceIsRefused: a second `up` for a root that
// already has a live tunnel opens nothing and names the running one and
// the command that stops it; `down` for another root lists what runs.
func TestSecondUpForTheSameWorkspaceIsRefused(t *testing.T) {
	r := startUp(t, nil)
	r.waitReady(1)
	err := Up(context.Background(), r.opts)
	want := "a tunnel already runs for this workspace (pid " + strconv.Itoa(os.Getpid()) + ", URL https://"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "tunnelctl down --root "+r.opts.Root+" first") {
		t.Fatalf("second up: %v; want %q and the down command", err, want)
	}
	if strings.Contains(err.Error(), "codexpro_token=") && !strings.Contains(err.Error(), "<redacted>") {
		t.Errorf("the refusal shows the token: %v", err)
	}
	if st := r.state(); st.PID != os.Getpid() || st.Endpoint == "" {
		t.Errorf("the refused second up changed the first one's runtime file: %+v", st)
	}
	other := t.TempDir()
	err = Down(context.Background(), r.home, other)
	if err == nil || !strings.Contains(err.Error(), "no tunnel is running for "+other) ||
		!strings.Contains(err.Error(), r.opts.Root+" (pid ") || !strings.Contains(err.Error(), "tunnelctl down --root "+r.opts.Root) {
		t.Fatalf("down elsewhere: %v; want the running tunnel and how to name it", err)
	}
}

// TestClaimReplacesAStaleRuntimeFile: a file left by a dead tunnelctl does
// not block the next `up`.
func TestClaimReplacesAStaleRuntimeFile(t *testing.T) {
	home := t.TempDir()
	path := RuntimePath(home, "/repo")
	if err := WriteRuntime(path, RuntimeState{Root: "/repo", PID: 1 << 30}); err != nil {
		t.Fatal(err)
	}
	if err := claimRuntime(path, RuntimeState{Root: "/repo", PID: os.Getpid()}); err != nil {
		t.Fatalf("stale file: %v", err)
	}
	if err := claimRuntime(path, RuntimeState{Root: "/repo", PID: os.Getpid()}); err == nil || !strings.Contains(err.Error(), "already runs") {
		t.Fatalf("live file: %v", err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("runtime dir: %v %v", fi, err)
	}
}
