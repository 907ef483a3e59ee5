package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"codexpro.dev/pkg/agentapi/agentpb"
	"codexpro.dev/pkg/bridge"
)

// WatchOptions adds the watcher's settings to Options.
type WatchOptions struct {
	Options
	Once         bool
	PollInterval time.Duration // default 2s, 250ms..60s
	Debounce     time.Duration // default 500ms, 0..30s
	StateFile    string        // workspace-relative; default <ctx>/watch-handoff-state.json
}

func (wo *WatchOptions) normalize() error {
	if wo.PollInterval == 0 {
		wo.PollInterval = 2 * time.Second
	}
	if wo.PollInterval < 250*time.Millisecond || wo.PollInterval > time.Minute {
		return fmt.Errorf("--poll-interval-ms %d: must be between 250 and 60000", wo.PollInterval.Milliseconds())
	}
	if wo.Debounce < 0 || wo.Debounce > 30*time.Second {
		return fmt.Errorf("--debounce-ms %d: must be between 0 and 30000", wo.Debounce.Milliseconds())
	}
	return nil
}

// Watch runs the agent once for every new, stable, non-scaffold plan,
// until ctx ends (or after one plan with Once). A plan is never run twice,
// even when its run failed.
func Watch(ctx context.Context, wo WatchOptions, io IO) (int, error) {
	if err := wo.normalize(); err != nil {
		return 1, err
	}
	s, err := newSession(&wo.Options, io)
	if err != nil {
		return 1, err
	}
	defer s.close()
	stateRel := wo.StateFile
	if stateRel == "" {
		stateRel = s.dir.Rel(bridge.WatchStateFile)
	}
	if stateRel, err = clean(stateRel); err != nil {
		return 1, fmt.Errorf("--state-file: %w", err)
	}
	ex, err := openExecutor(s.o, io.Stderr)
	if err != nil {
		return 1, err
	}
	defer ex.Close()
	if !wo.Yes && !wo.DryRun {
		ok, err := s.ask.ask("Confirm automatic local execution", []bridge.Field{
			{Key: "Workspace", Value: wo.Root}, {Key: "Plan", Value: s.dir.Rel(bridge.CurrentPlan)}, {Key: "Agent", Value: ex.name},
		}, "Start automatic local handoff execution?", "use --yes to start watch in non-interactive shells")
		if err != nil {
			return 1, err
		}
		if !ok {
			s.rep.say("WARN Watch cancelled.")
			return 0, nil
		}
	}
	w := &watcher{s: s, wo: &wo, ex: ex, stateRel: stateRel}
	w.last = w.readState().LastPlanHash
	if !wo.Once {
		s.rep.say("Watching %s (Ctrl-C to stop)", s.dir.Rel(bridge.CurrentPlan))
	}
	return w.run(ctx)
}

type watcher struct {
	s        *session
	wo       *WatchOptions
	ex       *executor
	stateRel string
	last     string
	lastDry  string
}

func (w *watcher) run(ctx context.Context) (int, error) {
	for {
		code, done, err := w.poll(ctx)
		if ctx.Err() != nil {
			return ExitInterrupted, ErrInterrupted
		}
		if err != nil || done || w.wo.Once {
			return code, err
		}
		select {
		case <-ctx.Done():
			return ExitInterrupted, ErrInterrupted
		case <-time.After(w.wo.PollInterval):
		}
	}
}

// poll handles one look at the plan.
func (w *watcher) poll(ctx context.Context) (code int, done bool, err error) {
	s, wo := w.s, w.wo
	rel := s.dir.Rel(bridge.CurrentPlan)
	stable, err := w.stable(ctx, rel)
	if err != nil || !stable {
		if wo.Once {
			if err == nil {
				err = fmt.Errorf("handoff plan did not become stable at %s", rel)
			}
			return 1, true, err
		}
		return 0, ctx.Err() != nil, nil
	}
	p, err := loadPlan(s.fs, wo.ContextDir, wo.MaxReadBytes)
	if err != nil {
		return 1, true, err
	}
	switch {
	case bridge.IsScaffoldPlan(p.Text):
		s.rep.say(".. Ignoring scaffolded empty handoff plan.")
		return 0, false, nil
	case p.Hash == w.last || p.Hash == w.lastDry:
		if wo.Once {
			s.rep.say("No new handoff plan: %s", p.Hash[:12])
		}
		return 0, false, nil
	}
	cmd, err := s.preflight(ctx, w.ex, p)
	if err != nil {
		return 1, true, err
	}
	if wo.DryRun {
		s.dryRun("watch", p, []commandLine{{"Command", cmd.GetArgv(), cmd.GetDisplay()}}, nil)
		w.lastDry = p.Hash
		return 0, false, nil
	}
	if err := findProgram(cmd.GetArgv()[0], wo.agentEnv()); err != nil {
		return 127, true, err
	}
	return w.runPlan(ctx, p, cmd)
}

func (w *watcher) runPlan(ctx context.Context, p plan, cmd *agentpb.CommandResponse) (int, bool, error) {
	s := w.s
	s.rep.say("%s new plan %s: running %s", time.Now().Format(time.TimeOnly), p.Hash[:12], w.ex.name)
	s.log(bridge.EventWatchStarted, map[string]any{"plan_hash": p.Hash, "agent": w.ex.name, "model": s.o.Model, "plan_path": p.Rel})
	st := s.newState("watch", p, 0)
	rec, err := s.runExecutor(ctx, w.ex, p, cmd, 1, &st)
	if ctx.Err() != nil {
		s.rep.done()
		return ExitInterrupted, true, ErrInterrupted
	}
	if err != nil {
		return 1, true, err
	}
	if err := s.finish(&st, rec.state()); err != nil {
		return 1, true, err
	}
	w.last = p.Hash
	if err := w.writeState(p, rec); err != nil {
		return 1, true, err
	}
	s.log(bridge.EventWatchFinished, map[string]any{"plan_hash": p.Hash, "agent": w.ex.name, "exit_code": exitCodeValue(rec.Exit),
		"status_path": s.dir.Rel(bridge.HandoffStatus), "diff_path": s.dir.Rel(bridge.ImplementationDiff)})
	s.rep.done()
	s.summary(rec)
	return rec.cliCode(), ctx.Err() != nil, nil
}

// stable reports whether the plan exists and kept its size and mtime over
// the debounce interval.
func (w *watcher) stable(ctx context.Context, rel string) (bool, error) {
	a, err := w.s.fs.Lstat(rel)
	if errors.Is(err, fs.ErrNotExist) {
		if w.wo.Once {
			return false, fmt.Errorf("no handoff plan found at %s. Ask ChatGPT to call handoff_to_agent first", rel)
		}
		return false, nil
	}
	if err != nil {
		return false, err
	}
	select {
	case <-ctx.Done():
		return false, nil
	case <-time.After(w.wo.Debounce):
	}
	b, err := w.s.fs.Lstat(rel)
	if err != nil {
		return false, nil
	}
	return a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()), nil
}

func (w *watcher) readState() bridge.WatchState {
	var st bridge.WatchState
	data, _, err := w.s.fs.ReadFile(w.stateRel, 1<<20)
	if err == nil {
		_ = json.Unmarshal(data, &st)
	}
	return st
}

func (w *watcher) writeState(p plan, rec execRecord) error {
	data, err := bridge.MarshalState(bridge.WatchState{LastPlanHash: p.Hash, LastRanAt: w.s.stamp(), Agent: w.ex.name,
		Model: w.s.o.Model, ExitCode: exitCodeValue(rec.Exit), PlanPath: p.Rel})
	if err != nil {
		return err
	}
	if _, err := w.s.fs.WriteFile(w.stateRel, data, bridge.FileMode); err != nil {
		return fmt.Errorf("write watch state: %w", err)
	}
	return nil
}
