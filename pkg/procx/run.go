// Package procx runs child processes the way every CodexPro tool needs:
// in their own process group, with a scrubbed environment, capped output,
// and a kill of the whole tree on timeout, cancellation or output flood.
package procx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"

	"codexpro.dev/pkg/sandbox"
)

// DefaultMaxOutput caps each stream when Spec.MaxOutput is not set.
const DefaultMaxOutput = 1 << 20

// KillGrace is how long a process group gets between SIGTERM and SIGKILL.
const KillGrace = 1500 * time.Millisecond

// waitDelay bounds how long Run waits for pipes held open by a process
// that escaped the group (setsid) after the group itself is gone.
const waitDelay = 2 * time.Second

// Spec describes one child process.
type Spec struct {
	Argv      []string
	Dir       string
	Env       []string // nil means Env(false): scrubbed, never the parent's
	Stdin     io.Reader
	Timeout   time.Duration // 0 means only ctx bounds the run
	MaxOutput int           // per stream; <= 0 means DefaultMaxOutput
	// OnOutput receives a live copy of retained output. Calls are
	// serialised; stream is "stdout" or "stderr".
	OnOutput func(stream string, p []byte)
	Sandbox  *sandbox.Policy // nil = not confined
}

// Result is what a finished child produced.
type Result struct {
	ExitCode       int    // -1 when killed by a signal
	Signal         string // e.g. "SIGKILL", "" when it exited
	Stdout, Stderr string // capped, with a truncation marker when cut
	Truncated      bool
	TimedOut       bool
	Flooded        bool
	Duration       time.Duration
}

// Run starts s and waits for it. Any member of the process group still
// alive when the leader exits is killed too, so nothing outlives the call.
// A non-zero exit, a timeout or a flood is reported in Result, not as an
// error; errors are for a child that could not start or a cancelled ctx.
func Run(ctx context.Context, s Spec) (Result, error) {
	if len(s.Argv) == 0 || s.Argv[0] == "" {
		return Result{}, errors.New("procx: empty argv")
	}
	argv := s.Argv
	if s.Sandbox != nil {
		wrapped, err := s.Sandbox.Wrap(argv)
		if err != nil {
			return Result{}, err
		}
		argv = wrapped
	}
	max := s.MaxOutput
	if max <= 0 {
		max = DefaultMaxOutput
	}
	r := &runner{flood: make(chan struct{})}
	var liveMu sync.Mutex
	live := s.OnOutput
	if live != nil {
		live = func(stream string, p []byte) {
			liveMu.Lock()
			defer liveMu.Unlock()
			s.OnOutput(stream, p)
		}
	}
	out := &capture{name: "stdout", max: max, onFlood: r.flooded, live: live}
	errw := &capture{name: "stderr", max: max, onFlood: r.flooded, live: live}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = s.Dir
	cmd.Env = s.Env
	if cmd.Env == nil {
		cmd.Env = Env(false)
	}
	cmd.Stdin = s.Stdin
	cmd.Stdout, cmd.Stderr = out, errw
	cmd.WaitDelay = waitDelay
	res, err := r.run(ctx, cmd, s.Timeout)
	res.Stdout, res.Truncated = out.result()
	var cut bool
	res.Stderr, cut = errw.result()
	res.Truncated = res.Truncated || cut
	return res, err
}

type runner struct {
	once  sync.Once
	flood chan struct{}
}

func (r *runner) flooded() { r.once.Do(func() { close(r.flood) }) }

func (r *runner) run(ctx context.Context, cmd *exec.Cmd, timeout time.Duration) (Result, error) {
	start := time.Now()
	tree, err := StartTree(cmd)
	if err != nil {
		return Result{ExitCode: -1}, err
	}
	defer tree.Close()
	exited := make(chan struct{})
	go func() {
		tree.waitLeader()
		close(exited)
	}()
	var timer <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timer = t.C
	}
	var res Result
	var ctxErr error
	select {
	case <-exited:
	case <-timer:
		res.TimedOut = true
		terminate(tree, exited)
	case <-r.flood:
		res.Flooded = true
		terminate(tree, exited)
	case <-ctx.Done():
		ctxErr = fmt.Errorf("run %s: %w", cmd.Path, ctx.Err())
		terminate(tree, exited)
	}
	// The leader has exited but is not reaped yet, so its id still names
	// the tree: kill whatever it left behind before reaping.
	tree.Kill()
	waitErr := cmd.Wait()
	res.Duration = time.Since(start)
	fillExit(&res, cmd, waitErr)
	select {
	case <-r.flood:
		res.Flooded = true
	default:
	}
	return res, ctxErr
}

// terminate asks the tree to stop and kills it after KillGrace unless the
// leader exited first.
func terminate(tree *Tree, exited <-chan struct{}) {
	tree.Terminate()
	t := time.NewTimer(KillGrace)
	defer t.Stop()
	select {
	case <-exited:
	case <-t.C:
		tree.Kill()
		<-exited
	}
}

func fillExit(res *Result, cmd *exec.Cmd, waitErr error) {
	st := cmd.ProcessState
	if st == nil {
		res.ExitCode = -1
		return
	}
	res.ExitCode = st.ExitCode()
	res.Signal = exitSignal(st)
	_ = waitErr // exit status is carried by ProcessState; I/O errors after a kill are expected
}
