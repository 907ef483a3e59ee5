package tunnelctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"codexpro.dev/pkg/config"

	"codexpro.dev/pkg/procx"
)

// alive reports whether pid is a running process (a zombie is not).
func alive(pid int) bool { return procx.Alive(pid) }

// Status prints every runtime file under home with what is true right now:
// whether each process is alive and whether the provider reports ready.
func Status(ctx context.Context, w io.Writer, home string, now time.Time) error {
	states, err := ReadRuntimes(RuntimeDir(home))
	if len(states) == 0 && err == nil {
		fmt.Fprintln(w, "no tunnel is running (no runtime file in "+RuntimeDir(home)+")")
		return nil
	}
	for _, st := range states {
		printStatus(ctx, w, st, now)
	}
	return err
}

// Live is one tunnel as `tunnelctl status --json` prints it: the runtime
// file (tokens already redacted) and what is true right now.
type Live struct {
	RuntimeState
	State     string `json:"state"` // running | stale
	McpdAlive bool   `json:"mcpd_alive"`
	EdgeAlive bool   `json:"edge_alive"` // the provider's process runs (a detached one: tunnelctl runs)
	EdgeReady bool   `json:"edge_ready"` // its local ready URL answers 200
}

// StatusJSON writes every tunnel as a JSON array ([] when none runs).
func StatusJSON(ctx context.Context, w io.Writer, home string) error {
	states, err := ReadRuntimes(RuntimeDir(home))
	out := make([]Live, 0, len(states))
	for _, st := range states {
		l := Live{RuntimeState: st, State: "stale", McpdAlive: alive(st.Mcpd.PID), EdgeAlive: edgeAlive(st)}
		if alive(st.PID) {
			l.State = "running"
		}
		if l.EdgeAlive && st.Edge.ReadyURL != "" {
			l.EdgeReady = readyWord(ctx, st.Edge.ReadyURL) == "ready"
		}
		out = append(out, l)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if eerr := enc.Encode(out); eerr != nil {
		return eerr
	}
	return err
}

func printStatus(ctx context.Context, w io.Writer, st RuntimeState, now time.Time) {
	state := "running"
	if !alive(st.PID) {
		state = "stale (tunnelctl is not running; remove the file or run tunnelctl up again)"
	}
	fmt.Fprintf(w, "%s\n  State        %s\n  Tunnel       %s\n  Endpoint     %s\n  Connector    %s\n  Local        %s\n  Uptime       %s\n",
		st.Root, state, tunnelLine(st), orDash(st.Endpoint), orDash(st.ConnectorURL), st.LocalURL, now.Sub(st.StartedAt).Round(time.Second))
	fmt.Fprintf(w, "  tunnelctl    pid %d\n", st.PID)
	fmt.Fprintf(w, "  mcpd         %s\n", childLine(st.Mcpd, now, ""))
	ready := ""
	if st.Edge.ReadyURL != "" && edgeAlive(st) {
		ready = "  ready: " + readyWord(ctx, st.Edge.ReadyURL)
	}
	fmt.Fprintf(w, "  %-12s %s\n", edgeName(st), childLine(st.Edge, now, ready))
}

func tunnelLine(st RuntimeState) string {
	if st.Provider == "" {
		return orDash(st.Tunnel)
	}
	return st.Tunnel + " (" + st.Provider + ")"
}

// edgeName names the provider's child in status: its program.
func edgeName(st RuntimeState) string {
	switch {
	case st.Edge.Path != "":
		return strings.TrimSuffix(filepath.Base(st.Edge.Path), ".exe")
	case st.Provider != "":
		return st.Provider
	}
	return "tunnel"
}

// edgeAlive: a detached provider (the funnel tailscaled keeps) lives as
// long as the tunnelctl that asserts it.
func edgeAlive(st RuntimeState) bool {
	if st.Edge.Detached {
		return alive(st.PID)
	}
	return alive(st.Edge.PID)
}

func childLine(c ChildState, now time.Time, extra string) string {
	life := "dead"
	if alive(c.PID) {
		life = "alive"
	}
	if c.Detached {
		return fmt.Sprintf("held by its daemon (no process of its own), %d re-assertions, %s%s", c.Restarts, healthLine(c, now), extra)
	}
	return fmt.Sprintf("pid %d %s, %d restarts, %s%s", c.PID, life, c.Restarts, healthLine(c, now), extra)
}

func healthLine(c ChildState, now time.Time) string {
	if c.LastHealthy.IsZero() {
		return "never healthy"
	}
	return "healthy " + now.Sub(c.LastHealthy).Round(time.Second).String() + " ago"
}

func readyWord(ctx context.Context, readyURL string) string {
	if u, err := url.Parse(readyURL); err != nil || !config.IsLoopback(u.Hostname()) {
		return "not checked (" + readyURL + " is not a loopback URL)"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := httpOK(ctx, loopbackClient(), readyURL, ""); err != nil {
		return "not ready (" + err.Error() + ")"
	}
	return "ready"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// Down asks the `tunnelctl up` serving root to stop and waits for it.
func Down(ctx context.Context, home, root string) error {
	path := RuntimePath(home, root)
	st, err := readRuntime(path)
	if errors.Is(err, os.ErrNotExist) {
		return notRunning(home, root)
	}
	if err != nil {
		return err
	}
	if !alive(st.PID) {
		if err := leftovers(st); err != nil {
			return err
		}
		os.Remove(path)
		return fmt.Errorf("the tunnel for %s was not running (pid %d is gone); removed its stale runtime file", root, st.PID)
	}
	if !looksLikeTunnelctl(st.PID) {
		return fmt.Errorf("pid %d from %s is not a tunnelctl process (the pid was reused?): not signalling it; remove the file if the tunnel is gone", st.PID, path)
	}
	if err := procx.Stop(st.PID); err != nil {
		return fmt.Errorf("stop tunnelctl pid %d: %w", st.PID, err)
	}
	for alive(st.PID) {
		if !sleep(ctx, 100*time.Millisecond) {
			return ctx.Err()
		}
	}
	// A process stopped without a chance to clean up (Windows has no
	// SIGTERM for it) leaves its runtime file; remove it if still its own.
	if left, err := readRuntime(path); err == nil && left.PID == st.PID {
		os.Remove(path)
		return leftovers(left)
	}
	return nil
}

// looksLikeTunnelctl guards against signalling a reused pid: the process's
// program name must contain "tunnelctl". Where the name cannot be read,
// alive() is all there is to check.
func looksLikeTunnelctl(pid int) bool {
	name, err := procx.Program(pid)
	return err != nil || strings.Contains(name, "tunnelctl")
}

// notRunning says that root has no tunnel and names the ones that do run,
// so `down` from another directory shows how to stop the right one.
func notRunning(home, root string) error {
	states, _ := ReadRuntimes(RuntimeDir(home))
	var b strings.Builder
	example := ""
	for _, st := range states {
		if alive(st.PID) {
			fmt.Fprintf(&b, "\n  %s (pid %d, URL %s)", st.Root, st.PID, st.shownURL())
			if example == "" {
				example = st.Root
			}
		}
	}
	if example == "" {
		return fmt.Errorf("no tunnel is running for %s, nor for any other workspace", root)
	}
	return fmt.Errorf("no tunnel is running for %s. Running tunnels:%s\nstop one by naming its workspace, e.g.: tunnelctl down --root %s",
		root, b.String(), shellQuote(example))
}
