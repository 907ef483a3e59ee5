package handoff

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"codexpro.dev/pkg/agentapi/agentpb"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/redact"
)

// hostGrace is how long handoff waits past the agent timeout for the
// adapter to report the kill before it kills the adapter itself.
const hostGrace = 30 * time.Second

// Execute runs the agent once on the current plan and returns the agent's
// exit code (1 for a timeout or a kill, 127 when it could not start).
func Execute(ctx context.Context, o Options, io IO) (int, error) {
	s, err := newSession(&o, io)
	if err != nil {
		return 1, err
	}
	defer s.close()
	p, err := loadPlan(s.fs, o.ContextDir, o.MaxReadBytes)
	if err != nil {
		return 1, err
	}
	if bridge.IsScaffoldPlan(p.Text) {
		return 1, fmt.Errorf("%s is still the empty scaffold; ask ChatGPT to call handoff_to_agent first", p.Rel)
	}
	ex, err := openExecutor(s.o, io.Stderr)
	if err != nil {
		return 1, err
	}
	defer ex.Close()
	cmd, err := s.preflight(ctx, ex, p)
	if err != nil {
		return 1, err
	}
	if o.DryRun {
		s.dryRun("execute", p, []commandLine{{"Command", cmd.GetArgv(), cmd.GetDisplay()}}, nil)
		return 0, nil
	}
	if err := findProgram(cmd.GetArgv()[0], o.agentEnv()); err != nil {
		return 127, err
	}
	if !o.Yes {
		ok, err := s.ask.ask("Confirm local execution", []bridge.Field{
			{Key: "Workspace", Value: o.Root}, {Key: "Plan", Value: p.Rel}, {Key: "Agent", Value: ex.name},
			{Key: "Model", Value: o.Model}, {Key: "Command", Value: cmd.GetDisplay()},
		}, "Run this local agent now?", "use --yes to execute a local handoff in non-interactive shells, or --dry-run to preview")
		if err != nil {
			return 1, err
		}
		if !ok {
			s.rep.say("WARN Execution cancelled.")
			return 0, nil
		}
	}
	st := s.newState("execute", p, 0)
	rec, err := s.runExecutor(ctx, ex, p, cmd, 1, &st)
	if ctx.Err() != nil {
		s.rep.done()
		return ExitInterrupted, ErrInterrupted
	}
	if err != nil {
		return 1, err
	}
	if err := s.finish(&st, rec.state()); err != nil {
		return 1, err
	}
	s.rep.done()
	s.summary(rec)
	return rec.cliCode(), nil
}

// newState starts a run state for mode.
func (s *session) newState(mode string, p plan, maxIters int) bridge.RunState {
	return bridge.RunState{
		State: bridge.StateRunning, Phase: bridge.PhaseExecuting, Mode: mode, Iteration: 1, MaxIters: maxIters,
		StartedAt: s.stamp(), PlanHash: p.Hash, Executor: s.o.Agent, Model: s.o.Model,
		PID: os.Getpid(), Host: s.host,
	}
}

// execRecord is one executor run.
type execRecord struct {
	Exit    *agentpb.Exit
	Display string
}

func (r execRecord) ok() bool {
	return r.Exit.GetExitCode() == 0 && !r.Exit.GetTimedOut() && r.Exit.GetError() == ""
}

func (r execRecord) state() string {
	switch {
	case r.Exit.GetTimedOut():
		return bridge.StateTimedOut
	case r.ok():
		return bridge.StateCompleted
	}
	return bridge.StateFailed
}

// cliCode maps the agent's exit to handoff execute's exit code.
func (r execRecord) cliCode() int {
	switch c := int(r.Exit.GetExitCode()); {
	case r.Exit.GetTimedOut() || c < 0:
		return 1
	default:
		return c
	}
}

// runExecutor runs the agent once and records everything about it: the
// run state before and after, handoff-status.md, the implementation diff
// and an execute_handoff log event. It never touches agent-status.md, which
// belongs to the agent.
func (s *session) runExecutor(ctx context.Context, ex *executor, p plan, cmd *agentpb.CommandResponse, iteration int, st *bridge.RunState) (execRecord, error) {
	o := s.o
	if err := s.fs.noSymlinks(bridge.Rel(o.ContextDir, bridge.CodexLastMessage)); err != nil {
		return execRecord{}, err
	}
	st.Iteration, st.Phase, st.PlanHash = iteration, bridge.PhaseExecuting, p.Hash
	st.ExitCode, st.TimedOut, st.DurationMs = nil, false, 0
	if err := s.writeState(st); err != nil {
		return execRecord{}, err
	}
	notesBefore := s.fileHash(bridge.AgentStatus)
	s.rep.phase(iteration, st.MaxIters, bridge.PhaseExecuting, ex.name)
	s.rep.event("command", map[string]any{"role": "executor", "iteration": iteration, "argv": cmd.GetArgv()})
	runCtx, cancel := context.WithTimeout(ctx, o.Timeout+hostGrace)
	defer cancel()
	exit, err := ex.Run(runCtx, s.request(p), func(out *agentpb.Output) { s.rep.output(out.GetData()) })
	if err != nil {
		exit = &agentpb.Exit{ExitCode: -1, Error: err.Error(), Stderr: err.Error(), Argv: cmd.GetArgv()}
	}
	rec := execRecord{Exit: exit, Display: redact.Text(cmd.GetDisplay())}
	diff := s.implementationDiff(ctx)
	if err := s.dir.Write(bridge.ImplementationDiff, []byte(diff)); err != nil {
		return rec, err
	}
	notes := "unchanged"
	switch after := s.fileHash(bridge.AgentStatus); {
	case after == "":
		notes = "not written"
	case after != notesBefore:
		notes = "updated by the agent during this run"
	}
	gitStatus := s.gitStatusExcerpt(ctx)
	if err := s.dir.Write(bridge.HandoffStatus, []byte(s.statusReport(ex.name, iteration, p, rec, gitStatus, notes))); err != nil {
		return rec, err
	}
	fields := map[string]any{
		"agent": ex.name, "command": rec.Display, "exit_code": exitCodeValue(exit), "signal": exit.GetSignal(),
		"timed_out": exit.GetTimedOut(), "duration_ms": exit.GetDurationMs(), "iteration": iteration, "plan_hash": p.Hash,
		"stdout_excerpt": excerpt(exit.GetStdout()), "stderr_excerpt": excerpt(exit.GetStderr()),
		"git_status_excerpt": excerpt(gitStatus), "diff_path": s.dir.Rel(bridge.ImplementationDiff),
		"status_path": s.dir.Rel(bridge.HandoffStatus), "agent_notes_path": s.dir.Rel(bridge.AgentStatus),
	}
	if o.Model != "" {
		fields["model"] = o.Model
	}
	s.log(bridge.EventExecuteHandoff, fields)
	st.ExitCode = exitCodeValue(exit)
	st.TimedOut, st.DurationMs = exit.GetTimedOut(), exit.GetDurationMs()
	st.StatusFile, st.DiffFile, st.LogFile = s.dir.Rel(bridge.HandoffStatus), s.dir.Rel(bridge.ImplementationDiff), s.dir.Rel(bridge.ExecutionLog)
	s.rep.event("executor_finished", map[string]any{"iteration": iteration, "exit_code": exit.GetExitCode(), "timed_out": exit.GetTimedOut(), "error": exit.GetError()})
	return rec, s.writeState(st)
}

// logExcerptBytes bounds each output excerpt in execution-log.jsonl.
const logExcerptBytes = 8000

func excerpt(s string) string { return truncate(redact.Text(s), logExcerptBytes) }

// exitCodeValue is the exit code for records: nil when the agent did not
// exit by itself (killed, timed out, never started).
func exitCodeValue(e *agentpb.Exit) *int {
	if e.GetExitCode() < 0 {
		return nil
	}
	return bridge.IntPtr(int(e.GetExitCode()))
}

func (s *session) statusReport(agent string, iteration int, p plan, rec execRecord, gitStatus, notes string) string {
	e := rec.Exit
	code := "null"
	if c := exitCodeValue(e); c != nil {
		code = strconv.Itoa(*c)
	}
	fields := []bridge.Field{
		{Key: "Updated", Value: s.stamp()}, {Key: "Agent", Value: agent},
	}
	if s.o.Model != "" {
		fields = append(fields, bridge.Field{Key: "Model", Value: s.o.Model})
	}
	fields = append(fields,
		bridge.Field{Key: "Iteration", Value: strconv.Itoa(iteration)},
		bridge.Field{Key: "Plan hash", Value: p.Hash},
		bridge.Field{Key: "Command", Value: rec.Display},
		bridge.Field{Key: "Exit code", Value: code})
	if e.GetSignal() != "" {
		fields = append(fields, bridge.Field{Key: "Signal", Value: e.GetSignal()})
	}
	if e.GetError() != "" {
		fields = append(fields, bridge.Field{Key: "Error", Value: e.GetError()})
	}
	fields = append(fields,
		bridge.Field{Key: "Timed out", Value: yesNo(e.GetTimedOut())},
		bridge.Field{Key: "Duration", Value: fmt.Sprintf("%d ms", e.GetDurationMs())},
		bridge.Field{Key: "Diff path", Value: s.dir.Rel(bridge.ImplementationDiff)},
		bridge.Field{Key: "Execution log", Value: s.dir.Rel(bridge.ExecutionLog)},
		bridge.Field{Key: "Agent notes", Value: s.dir.Rel(bridge.AgentStatus) + " (" + notes + ")"})
	return bridge.FormatReport("Handoff Execution Status", fields, []bridge.Section{
		{Heading: "Git status excerpt", Body: gitStatus},
		{Heading: "Stdout excerpt", Body: redact.Text(e.GetStdout())},
		{Heading: "Stderr excerpt", Body: redact.Text(e.GetStderr())},
	})
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// fileHash is the plan-style hash of a context file, "" when unreadable.
func (s *session) fileHash(name string) string {
	data, _, err := s.fs.ReadFile(s.dir.Rel(name), s.o.MaxReadBytes)
	if err != nil {
		return ""
	}
	return bridge.PlanHash(string(data))
}

// explain says why a failed agent run failed (see failure); nothing when
// it succeeded or in --json mode, whose events carry the same facts.
func (s *session) explain(rec execRecord) {
	e := rec.Exit
	if why := failure("agent", int(e.GetExitCode()), e.GetSignal(), e.GetTimedOut(), s.o.Timeout, e.GetError(), e.GetStderr()); why != "" && !s.o.JSON {
		s.rep.say("%s", why)
	}
}

func (s *session) summary(rec execRecord) {
	e := rec.Exit
	level := "OK"
	if !rec.ok() {
		level = "WARN"
	}
	msg := fmt.Sprintf("%s Agent exited with code %d", level, e.GetExitCode())
	if e.GetSignal() != "" {
		msg += " signal=" + e.GetSignal()
	}
	if e.GetTimedOut() {
		msg += " (timed out)"
	}
	if e.GetError() != "" {
		msg += ": " + e.GetError()
	}
	s.rep.say("%s", msg)
	s.explain(rec)
	s.rep.say("Status: %s\nDiff:   %s\nLog:    %s", s.dir.Rel(bridge.HandoffStatus), s.dir.Rel(bridge.ImplementationDiff), s.dir.Rel(bridge.ExecutionLog))
	s.rep.event("finished", map[string]any{"mode": "execute", "exit_code": e.GetExitCode(), "timed_out": e.GetTimedOut(), "state": rec.state()})
}
