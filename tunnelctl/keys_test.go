package tunnelctl

import (
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestUpSingleKeys: on a terminal, c copies the current connector URL, o
// opens ChatGPT's connector settings, s prints the status, q stops up.
func TestUpSingleKeys(t *testing.T) {
	pr, pw := io.Pipe()
	var mu sync.Mutex
	var copied, opened string
	r := startUp(t, func(o *Options) {
		o.Headless, o.CopyURL, o.Keys = false, false, pr
		o.Copy = func(s string) (string, error) { mu.Lock(); defer mu.Unlock(); copied = s; return "fake-clip", nil }
		o.Open = func(s string) error { mu.Lock(); defer mu.Unlock(); opened = s; return nil }
	})
	wait := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Fatalf("no %s\nstdout:\n%s\nlog:\n%s", what, r.out, r.log)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	wait("ready block", func() bool { return strings.Contains(r.out.String(), keysHelp) })
	pw.Write([]byte("c"))
	wait("copy", func() bool { mu.Lock(); defer mu.Unlock(); return strings.Contains(copied, "/mcp?codexpro_token=") })
	pw.Write([]byte("o"))
	wait("open", func() bool { mu.Lock(); defer mu.Unlock(); return opened == ConnectorSettingsURL })
	pw.Write([]byte("s"))
	wait("status", func() bool { return strings.Contains(r.out.String(), "State        running") })
	pw.Write([]byte("q"))
	select {
	case err := <-r.errc:
		if err != nil {
			t.Fatalf("q: up ended with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("q did not stop up")
	}
	r.errc <- nil // for the cleanup's wait
}
