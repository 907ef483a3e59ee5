package handoff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"codexpro.dev/pkg/tty"
)

// reporter shows what a run is doing: on a terminal a single live progress
// line (phase, iteration, elapsed time, last agent output); otherwise plain
// lines; with --json one JSON object per line on stdout for scripts.
type reporter struct {
	mu     sync.Mutex
	out    io.Writer
	err    io.Writer
	json   bool
	tty    bool
	now    func() time.Time
	label  string
	since  time.Time
	last   string
	shown  bool
	stop   chan struct{}
	ticker sync.WaitGroup
}

func newReporter(o IO, jsonOut bool, now func() time.Time) *reporter {
	return &reporter{out: o.Stdout, err: o.Stderr, json: jsonOut, tty: tty.IsTerminal(o.Stderr) && !jsonOut, now: now}
}

// event writes one JSON line in --json mode.
func (r *reporter) event(name string, fields map[string]any) {
	if !r.json {
		return
	}
	m := map[string]any{"event": name, "ts": r.now().UTC().Format(time.RFC3339Nano)}
	for k, v := range fields {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.out, "%s\n", b)
}

// say prints a human message on stderr, above the progress line.
func (r *reporter) say(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clearLocked()
	fmt.Fprintf(r.err, format+"\n", args...)
	r.drawLocked()
}

// phase starts a new phase: a JSON event, and on a terminal a fresh
// progress line updated every second until the next phase or done.
func (r *reporter) phase(iteration, max int, phase, detail string) {
	r.event("phase", map[string]any{"iteration": iteration, "max_iters": max, "phase": phase, "detail": detail})
	label := phase + " " + detail
	if max > 0 {
		label = fmt.Sprintf("iteration %d/%d · %s", iteration, max, label)
	}
	r.mu.Lock()
	r.label, r.since, r.last = strings.TrimSpace(label), r.now(), ""
	if !r.tty {
		r.mu.Unlock()
		if !r.json {
			r.say(".. %s", strings.TrimSpace(label))
		}
		return
	}
	r.drawLocked()
	start := r.stop == nil
	if start {
		r.stop = make(chan struct{})
		r.ticker.Add(1)
		go r.tick(r.stop)
	}
	r.mu.Unlock()
}

func (r *reporter) tick(stop chan struct{}) {
	defer r.ticker.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.mu.Lock()
			r.drawLocked()
			r.mu.Unlock()
		}
	}
}

// output remembers the last line of agent output for the progress line.
func (r *reporter) output(p []byte) {
	if !r.tty {
		return
	}
	lines := strings.Split(strings.TrimRight(string(p), "\n"), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if last == "" {
		return
	}
	r.mu.Lock()
	r.last = last
	r.drawLocked()
	r.mu.Unlock()
}

// done stops the progress line.
func (r *reporter) done() {
	r.mu.Lock()
	stop := r.stop
	r.stop = nil
	r.clearLocked()
	r.label = ""
	r.mu.Unlock()
	if stop != nil {
		close(stop)
		r.ticker.Wait()
	}
}

func (r *reporter) drawLocked() {
	if !r.tty || r.label == "" {
		return
	}
	line := fmt.Sprintf("handoff · %s · %s", r.label, r.now().Sub(r.since).Truncate(time.Second))
	if r.last != "" {
		line += " · " + r.last
	}
	fmt.Fprintf(r.err, "\r\x1b[K%s", clip(line, 110))
	r.shown = true
}

func (r *reporter) clearLocked() {
	if r.shown {
		fmt.Fprint(r.err, "\r\x1b[K")
		r.shown = false
	}
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
