package tunnelctl

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"

	"codexpro.dev/pkg/procx"
)

// Spec describes one supervised program.
type Spec struct {
	Name    string
	Command func() (*exec.Cmd, error)       // a fresh command for every start
	OnStart func()                          // resets per-run state before each start
	OnLine  func(line string)               // every scrubbed output line
	Probe   func(ctx context.Context) error // liveness while running
	Ready   func(ctx context.Context) error // first readiness after a start; nil = Probe
	Scrub   []string                        // secrets removed from output

	// Detached marks a Command that configures something another program
	// keeps (Tailscale's funnel lives in tailscaled) and then exits 0. Its
	// run lasts until Probe fails; Undo removes what it set whenever the run
	// stops, also before a restart sets it again.
	Detached bool
	Undo     func() error
}

// Policy says how hard to try.
type Policy struct {
	StartTimeout time.Duration // first readiness after a start
	Interval     time.Duration // probe period while running
	UnreadyAfter int           // consecutive failed probes that count as dead
	Backoff      time.Duration // first restart delay, doubled per failure
	MaxBackoff   time.Duration
	MaxFailures  int           // consecutive failed restarts before giving up
	StableAfter  time.Duration // a run this long resets the backoff
	StopGrace    time.Duration // SIGTERM to SIGKILL
}

// DefaultPolicy restarts quickly and gives up after a minute of failures.
func DefaultPolicy() Policy {
	return Policy{StartTimeout: 45 * time.Second, Interval: time.Second, UnreadyAfter: 3,
		Backoff: 250 * time.Millisecond, MaxBackoff: 5 * time.Second, MaxFailures: 8,
		StableAfter: 30 * time.Second, StopGrace: 3 * time.Second}
}

// Event kinds reported to the Events callback.
const (
	EventReady      = "ready"
	EventDown       = "down"
	EventRestarting = "restarting"
	EventGaveUp     = "gave-up"
	EventUndoFailed = "undo-failed" // a detached child's Undo failed: what it set may still be on
)

// Event is one change in a child's life.
type Event struct {
	Child    string
	Kind     string
	PID      int
	Restarts int
	Err      error
	Delay    time.Duration
}

// Supervised is a running child and its restart loop.
type Supervised struct {
	spec     Spec
	policy   Policy
	events   func(Event)
	pid      atomic.Int64
	up       atomic.Bool // ready and not restarting
	restarts atomic.Int64
	healthy  atomic.Int64 // unix nanos of the last passing probe
	done     chan struct{}
	err      error
}

// Supervise starts the child and returns once it is ready. A child that
// fails its first start is not retried: the error carries its output tail,
// because a bad flag or token will fail the same way every time.
func Supervise(ctx context.Context, spec Spec, policy Policy, events func(Event)) (*Supervised, error) {
	s := &Supervised{spec: spec, policy: policy, events: events, done: make(chan struct{})}
	p, err := s.startReady(ctx)
	if err != nil {
		return nil, err
	}
	go s.loop(ctx, p)
	return s, nil
}

// Wait blocks until supervision ends: nil after ctx is cancelled, an error if it gave up.
func (s *Supervised) Wait() error {
	<-s.done
	return s.err
}

// Done is closed when supervision ends.
func (s *Supervised) Done() <-chan struct{} { return s.done }

// PID is the current child's process id (0 while restarting, and for a
// detached child, which has no process of its own).
func (s *Supervised) PID() int { return int(s.pid.Load()) }

// Up reports whether the child is ready and not restarting.
func (s *Supervised) Up() bool { return s.up.Load() }

// Restarts counts restarts since the first start.
func (s *Supervised) Restarts() int { return int(s.restarts.Load()) }

// LastHealthy is when a probe last passed.
func (s *Supervised) LastHealthy() time.Time {
	n := s.healthy.Load()
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func (s *Supervised) emit(e Event) {
	e.Child, e.Restarts = s.spec.Name, s.Restarts()
	if s.events != nil {
		s.events(e)
	}
}

func (s *Supervised) loop(ctx context.Context, p *proc) {
	defer close(s.done)
	delay, failures := s.policy.Backoff, 0
	for {
		since := time.Now()
		s.emit(Event{Kind: EventReady, PID: p.pid()})
		err := s.watch(ctx, p)
		s.up.Store(false)
		s.stop(p)
		s.pid.Store(0)
		if ctx.Err() != nil {
			return
		}
		if time.Since(since) >= s.policy.StableAfter {
			delay = s.policy.Backoff
		}
		s.emit(Event{Kind: EventDown, Err: err})
		for {
			s.emit(Event{Kind: EventRestarting, Delay: delay})
			if !sleep(ctx, delay) {
				return
			}
			delay = min(delay*2, s.policy.MaxBackoff)
			s.restarts.Add(1)
			if p, err = s.startReady(ctx); err == nil {
				failures = 0
				break
			}
			if ctx.Err() != nil {
				return
			}
			if failures++; failures >= s.policy.MaxFailures {
				s.err = fmt.Errorf("%s: gave up after %d failed restarts: %w", s.spec.Name, failures, err)
				s.emit(Event{Kind: EventGaveUp, Err: s.err})
				return
			}
			s.emit(Event{Kind: EventDown, Err: err})
		}
	}
}

// startReady starts the child and waits for its first passing probe.
func (s *Supervised) startReady(ctx context.Context) (*proc, error) {
	if s.spec.OnStart != nil {
		s.spec.OnStart()
	}
	p, err := s.start()
	if err != nil {
		return nil, err
	}
	if s.spec.Detached {
		if err := p.settle(ctx, s.policy.StartTimeout, s.spec.Undo); err != nil {
			s.stop(p)
			return nil, withTail(fmt.Errorf("%s: %w", s.spec.Name, err), p.out.Tail())
		}
	}
	if err := s.waitReady(ctx, p); err != nil {
		s.stop(p)
		return nil, withTail(fmt.Errorf("%s did not become ready: %w", s.spec.Name, err), p.out.Tail())
	}
	s.pid.Store(int64(p.pid()))
	s.up.Store(true)
	return p, nil
}

func withTail(err error, tail string) error {
	if tail == "" {
		return err
	}
	return fmt.Errorf("%w\nrecent output:\n%s", err, tail)
}

func (s *Supervised) waitReady(ctx context.Context, p *proc) error {
	deadline := time.NewTimer(s.policy.StartTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	last := errors.New("no probe yet")
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.exited:
			return fmt.Errorf("exited before it was ready: %v", p.waitErr)
		case <-deadline.C:
			return fmt.Errorf("not ready after %s: %w", s.policy.StartTimeout, last)
		case <-tick.C:
			if last = s.check(ctx, s.ready()); last == nil {
				return nil
			}
		}
	}
}

// watch returns why a ready child stopped serving.
func (s *Supervised) watch(ctx context.Context, p *proc) error {
	tick := time.NewTicker(s.policy.Interval)
	defer tick.Stop()
	failed := 0
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-p.exited:
			return fmt.Errorf("exited: %v", p.waitErr)
		case <-tick.C:
			err := s.check(ctx, s.spec.Probe)
			if err == nil {
				failed = 0
				continue
			}
			if failed++; failed >= s.policy.UnreadyAfter {
				return fmt.Errorf("unready for %d probes: %w", failed, err)
			}
		}
	}
}

func (s *Supervised) ready() func(context.Context) error {
	if s.spec.Ready != nil {
		return s.spec.Ready
	}
	return s.spec.Probe
}

func (s *Supervised) check(ctx context.Context, probe func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := probe(ctx); err != nil {
		return err
	}
	s.healthy.Store(time.Now().UnixNano())
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// proc is one run of a child, in a process tree of its own.
type proc struct {
	cmd     *exec.Cmd
	tree    *procx.Tree
	out     *lineWriter
	exited  chan struct{}
	waitErr error
	once    sync.Once
	undo    func() error // set once a detached command has succeeded
}

func (s *Supervised) start() (*proc, error) {
	cmd, err := s.spec.Command()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.spec.Name, err)
	}
	p := &proc{cmd: cmd, out: newLineWriter(40, s.spec.Scrub, s.spec.OnLine), exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	cmd.WaitDelay = time.Second
	if p.tree, err = procx.StartTree(cmd); err != nil {
		return nil, fmt.Errorf("%s: %w", s.spec.Name, err)
	}
	exited := p.exited
	go func() {
		p.waitErr = cmd.Wait()
		close(exited)
	}()
	return p, nil
}

// settle waits for a detached command to finish and succeed. From then on
// the run lives in another program: exited never closes, and stop undoes
// the setting instead of ending a process.
func (p *proc) settle(ctx context.Context, timeout time.Duration, undo func() error) error {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return fmt.Errorf("still running after %s", timeout)
	case <-p.exited:
	}
	if p.waitErr != nil {
		return fmt.Errorf("failed: %w", p.waitErr)
	}
	p.exited, p.undo = make(chan struct{}), undo
	return nil
}

func (p *proc) pid() int {
	if p.undo != nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// stop ends a run and reports an Undo that failed, since what the
// detached child set (a public funnel) may then still be on.
func (s *Supervised) stop(p *proc) {
	if err := p.stop(s.policy.StopGrace); err != nil {
		s.emit(Event{Kind: EventUndoFailed, Err: err})
	}
}

// stop ends the whole tree: a termination request, then a kill after
// grace; for a settled detached child, its Undo (whose error it returns).
func (p *proc) stop(grace time.Duration) (err error) {
	p.once.Do(func() {
		if p.undo != nil {
			p.tree.Close()
			err = p.undo()
			return
		}
		p.tree.Terminate()
		select {
		case <-p.exited:
		case <-time.After(grace):
		}
		p.tree.Kill()
		<-p.exited
		p.tree.Close()
	})
	return err
}
