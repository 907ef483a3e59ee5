package tunnelctl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"codexpro.dev/pkg/procx"
)

// alive reports whether pid is a running process (a zombie is not).
func alive(pid int) bool { return procx.Alive(pid) }

// Status prints every runtime file under home with what is true right now:
// whether each process is alive and whether cloudflared reports /ready.
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
	State            string `json:"state"` // running | stale
	McpdAlive        bool   `json:"mcpd_alive"`
	CloudflaredAlive bool   `json:"cloudflared_alive"`
	CloudflaredReady bool   `json:"cloudflared_ready"`
}

// StatusJSON writes every tunnel as a JSON array ([] when none runs).
func StatusJSON(ctx context.Context, w io.Writer, home string) error {
	states, err := ReadRuntimes(RuntimeDir(home))
	out := make([]Live, 0, len(states))
	for _, st := range states {
		l := Live{RuntimeState: st, State: "stale", McpdAlive: alive(st.Mcpd.PID), CloudflaredAlive: alive(st.Cloudflared.PID)}
		if alive(st.PID) {
			l.State = "running"
		}
		if l.CloudflaredAlive && st.Cloudflared.MetricsAddr != "" {
			l.CloudflaredReady = readyWord(ctx, st.Cloudflared.MetricsAddr) == "ready"
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
		st.Root, state, st.Tunnel, orDash(st.Endpoint), orDash(st.ConnectorURL), st.LocalURL, now.Sub(st.StartedAt).Round(time.Second))
	fmt.Fprintf(w, "  tunnelctl    pid %d\n", st.PID)
	fmt.Fprintf(w, "  mcpd         %s\n", childLine(st.Mcpd, now, ""))
	ready := ""
	if st.Cloudflared.MetricsAddr != "" && alive(st.Cloudflared.PID) {
		ready = "  /ready: " + readyWord(ctx, st.Cloudflared.MetricsAddr)
	}
	fmt.Fprintf(w, "  cloudflared  %s\n", childLine(st.Cloudflared, now, ready))
}

func childLine(c ChildState, now time.Time, extra string) string {
	life := "dead"
	if alive(c.PID) {
		life = "alive"
	}
	health := "never healthy"
	if !c.LastHealthy.IsZero() {
		health = "healthy " + now.Sub(c.LastHealthy).Round(time.Second).String() + " ago"
	}
	return fmt.Sprintf("pid %d %s, %d restarts, %s%s", c.PID, life, c.Restarts, health, extra)
}

func readyWord(ctx context.Context, metrics string) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := httpOK(ctx, loopbackClient(), "http://"+metrics+"/ready", ""); err != nil {
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
