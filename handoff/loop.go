package handoff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/procx"
)

// LoopOptions adds the reviewer loop's settings to Options.
type LoopOptions struct {
	Options
	Reviewer                   string // argv template; required
	Tests                      string // argv template; optional
	MaxIters                   int
	ReviewTimeout, TestTimeout time.Duration
	RequireHumanConfirmation   bool
	AllowReviewPassOnFailure   bool
	AllowImplicitReviewVerdict bool
	RequireCleanGitStart       bool
	StopIfNoFilesChanged       bool
	StopIfSameDiff             bool
}

// LoopResult is how a loop ended. Only Verdict PASS is success.
type LoopResult struct {
	Verdict    string // PASS or FAIL; "" for a dry run or a cancelled start
	StopReason string
	Iterations int
}

func (lo *LoopOptions) normalize() error {
	if strings.TrimSpace(lo.Reviewer) == "" {
		return errors.New("loop requires --reviewer <template> (alias --review-command)")
	}
	if lo.MaxIters == 0 {
		lo.MaxIters = DefaultMaxIters
	}
	if lo.MaxIters < 1 || lo.MaxIters > MaxMaxIters {
		return fmt.Errorf("--max-iters %d: must be between 1 and %d", lo.MaxIters, MaxMaxIters)
	}
	for _, t := range []struct {
		flag string
		v    *time.Duration
	}{{"--review-timeout-ms", &lo.ReviewTimeout}, {"--test-timeout-ms", &lo.TestTimeout}} {
		if *t.v == 0 {
			*t.v = DefaultTimeout
		}
		if *t.v < MinTimeout || *t.v > MaxTimeout {
			return fmt.Errorf("%s %d: must be between %d and %d", t.flag, t.v.Milliseconds(), MinTimeout.Milliseconds(), MaxTimeout.Milliseconds())
		}
	}
	return nil
}

// Loop runs executor → tests → reviewer until the reviewer passes the work,
// stops it, or the iterations run out (as CodexPro 0.30 does, with the
// verdict fixes described on iterationVerdict).
func Loop(ctx context.Context, lo LoopOptions, io IO) (LoopResult, error) {
	if err := lo.normalize(); err != nil {
		return LoopResult{}, err
	}
	s, err := newSession(&lo.Options, io)
	if err != nil {
		return LoopResult{}, err
	}
	defer s.close()
	l := &loop{s: s, lo: &lo}
	return l.run(ctx)
}

type loop struct {
	s  *session
	lo *LoopOptions
	ex *executor
	// reviews is this run's loop-review.md so far: every iteration's
	// review, appended, so the model sees why earlier ones failed.
	reviews strings.Builder
}

func (l *loop) run(ctx context.Context) (LoopResult, error) {
	s, lo := l.s, l.lo
	if lo.RequireCleanGitStart {
		if err := l.requireClean(ctx); err != nil {
			return LoopResult{}, err
		}
	}
	p, err := loadPlan(s.fs, lo.ContextDir, lo.MaxReadBytes)
	if err != nil {
		return LoopResult{}, err
	}
	if l.ex, err = openExecutor(s.o, s.io.Stderr); err != nil {
		return LoopResult{}, err
	}
	defer l.ex.Close()
	cmds, err := l.commands(ctx, p)
	if err != nil {
		return LoopResult{}, err
	}
	if lo.DryRun {
		s.dryRun("loop", p, cmds, [][2]string{{"Max iters", fmt.Sprint(lo.MaxIters)}})
		return LoopResult{StopReason: "dry_run"}, nil
	}
	// Refused up-front, before iteration 1 runs, not after it.
	if lo.RequireHumanConfirmation && lo.MaxIters > 1 && !s.io.interactive() {
		return LoopResult{}, errors.New("--require-human-confirmation needs an interactive terminal to confirm follow-up plans; run loop in a terminal or drop the flag")
	}
	for _, c := range cmds {
		if err := findProgram(c.Argv[0], lo.agentEnv()); err != nil {
			return LoopResult{}, fmt.Errorf("%s command was not found before starting loop: %w", c.Label, err)
		}
	}
	if !lo.Yes {
		ok, err := s.ask.ask("Confirm local execute/review loop", []bridge.Field{
			{Key: "Workspace", Value: lo.Root}, {Key: "Plan", Value: p.Rel}, {Key: "Agent", Value: l.ex.name},
			{Key: "Max iters", Value: fmt.Sprint(lo.MaxIters)}, {Key: "Executor", Value: cmds[0].Display},
			{Key: "Reviewer", Value: cmds[len(cmds)-1].Display},
		}, "Start local execute/review loop?", "use --yes to start loop in non-interactive shells, or --dry-run to preview")
		if err != nil {
			return LoopResult{}, err
		}
		if !ok {
			s.rep.say("WARN Loop cancelled.")
			return LoopResult{StopReason: bridge.StopHumanCancelled}, nil
		}
	}
	return l.iterate(ctx, p)
}

// commands are the executor, tests and reviewer commands of iteration 1.
func (l *loop) commands(ctx context.Context, p plan) ([]commandLine, error) {
	exe, err := l.s.preflight(ctx, l.ex, p)
	if err != nil {
		return nil, err
	}
	cmds := []commandLine{{"Executor", exe.GetArgv(), exe.GetDisplay()}}
	if l.lo.Tests != "" {
		argv, err := l.s.localArgv("--run-tests", l.lo.Tests, 1, "")
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, commandLine{"Tests", argv, previewHidingPlan(argv, "")})
	}
	argv, err := l.s.localArgv("--reviewer", l.lo.Reviewer, 1, "$HANDOFF_VERDICT_FILE")
	if err != nil {
		return nil, err
	}
	return append(cmds, commandLine{"Reviewer", argv, previewHidingPlan(argv, "")}), nil
}

// requireClean refuses to start when the workspace has changes outside the
// context directory.
func (l *loop) requireClean(ctx context.Context) error {
	entries, err := l.s.git.status(ctx)
	if err != nil {
		return fmt.Errorf("--require-clean-git-start: %w", err)
	}
	dirty := outsideContext(entries, l.lo.ContextDir)
	if len(dirty) == 0 {
		return nil
	}
	var lines []string
	for _, e := range dirty {
		lines = append(lines, strings.Join(e.Paths, " <- "))
	}
	return fmt.Errorf("--require-clean-git-start refused to start because the workspace has non-handoff changes:\n%s", strings.Join(lines, "\n"))
}

// fingerprint is the workspace fingerprint, required by the stop checks.
func (l *loop) fingerprint(ctx context.Context) (string, error) {
	fp, err := l.s.git.fingerprint(ctx, l.lo.ContextDir)
	if err != nil && (l.lo.StopIfNoFilesChanged || l.lo.StopIfSameDiff) {
		return "", fmt.Errorf("--stop-if-no-files-changed/--stop-if-same-diff need a git work tree: %w", err)
	}
	return fp, nil
}

func (l *loop) iterate(ctx context.Context, first plan) (LoopResult, error) {
	s, lo := l.s, l.lo
	st := s.newState("loop", first, lo.MaxIters)
	res := LoopResult{Verdict: bridge.VerdictFail, StopReason: bridge.StopMaxIters}
	previous := ""
	for it := 1; it <= lo.MaxIters; it++ {
		res.Iterations = it
		if ctx.Err() != nil {
			res.StopReason = bridge.StopInterrupted
			break
		}
		p, err := loadPlan(s.fs, lo.ContextDir, lo.MaxReadBytes)
		if err != nil {
			return l.abort(&st, res, err)
		}
		if it > 1 && lo.RequireHumanConfirmation && !l.confirmNext(it, p) {
			res.StopReason = bridge.StopHumanCancelled
			break
		}
		if bridge.IsScaffoldPlan(p.Text) {
			res.StopReason = bridge.StopScaffoldedPlan
			break
		}
		out, err := l.iteration(ctx, it, p, &st, &previous)
		if err != nil {
			return l.abort(&st, res, err)
		}
		res.Verdict, res.StopReason = out.verdict, out.stop
		if out.stop != "" {
			break
		}
		res.Verdict, res.StopReason = bridge.VerdictFail, bridge.StopMaxIters
		s.rep.say("Reviewer requested another iteration (%d/%d).", it, lo.MaxIters)
	}
	if res.StopReason == bridge.StopInterrupted || ctx.Err() != nil {
		res.Verdict, res.StopReason = bridge.VerdictFail, bridge.StopInterrupted
	}
	return res, l.finish(&st, res)
}

// confirmNext asks before a follow-up plan runs, showing what will run.
func (l *loop) confirmNext(it int, p plan) bool {
	preview := p.Text
	if lines := strings.SplitN(preview, "\n", 21); len(lines) > 20 {
		preview = strings.Join(lines[:20], "\n") + "\n…"
	}
	l.s.rep.done()
	ok, err := l.s.ask.ask("Confirm follow-up plan", []bridge.Field{
		{Key: "Workspace", Value: l.lo.Root}, {Key: "Iteration", Value: fmt.Sprintf("%d/%d", it, l.lo.MaxIters)},
		{Key: "Plan", Value: p.Rel + " (sha256 " + p.Hash[:12] + ")"}, {Key: "Plan text", Value: "\n" + preview},
	}, "Run the next local executor iteration?", "--require-human-confirmation needs an interactive terminal")
	return err == nil && ok
}

// abort ends the run state after an error, so wait_for_handoff does not
// see "running" forever.
func (l *loop) abort(st *bridge.RunState, res LoopResult, err error) (LoopResult, error) {
	st.Verdict, st.StopReason = bridge.VerdictFail, "error"
	if ferr := l.s.finish(st, bridge.StateFailed); ferr != nil {
		err = errors.Join(err, ferr)
	}
	return res, err
}

func (l *loop) finish(st *bridge.RunState, res LoopResult) error {
	s := l.s
	st.Verdict, st.StopReason = res.Verdict, res.StopReason
	state := bridge.StateFailed
	if res.Verdict == bridge.VerdictPass {
		state = bridge.StateCompleted
	}
	s.rep.done()
	s.log(bridge.EventLoopFinished, map[string]any{"verdict": res.Verdict, "stop_reason": res.StopReason, "iterations": res.Iterations})
	if err := s.finish(st, state); err != nil {
		return err
	}
	s.rep.say("Loop finished: %s (%s).", res.Verdict, res.StopReason)
	s.rep.say("Status: %s\nDiff:   %s\nReview: %s\nLog:    %s", s.dir.Rel(bridge.HandoffStatus),
		s.dir.Rel(bridge.ImplementationDiff), s.dir.Rel(bridge.LoopReview), s.dir.Rel(bridge.ExecutionLog))
	s.rep.event("finished", map[string]any{"mode": "loop", "verdict": res.Verdict, "stop_reason": res.StopReason, "iterations": res.Iterations})
	return nil
}

// outcome of one iteration: stop is "" to continue.
type outcome struct{ verdict, stop string }

func (l *loop) iteration(ctx context.Context, it int, p plan, st *bridge.RunState, previous *string) (outcome, error) {
	s, lo := l.s, l.lo
	s.log(bridge.EventLoopIterationStarted, map[string]any{"iteration": it, "plan_hash": p.Hash, "agent": l.ex.name, "model": lo.Model})
	before, err := l.fingerprint(ctx)
	if err != nil {
		return outcome{}, err
	}
	cmd, err := s.preflight(ctx, l.ex, p)
	if err != nil {
		return outcome{}, err
	}
	st.TestsExitCode, st.ReviewerExitCode, st.ReviewerVerdict, st.TestsFile, st.ReviewFile = nil, nil, "", "", ""
	exec, err := s.runExecutor(ctx, l.ex, p, cmd, it, st)
	if err != nil {
		return outcome{}, err
	}
	if ctx.Err() == nil {
		s.explain(exec)
	}
	after, err := l.fingerprint(ctx)
	if err != nil {
		return outcome{}, err
	}
	rec := iterRecord{it: it, plan: p, exec: exec, changed: after != before}
	if lo.StopIfNoFilesChanged && !rec.changed {
		return l.record(st, &rec, outcome{bridge.VerdictFail, bridge.StopNoFilesChanged})
	}
	if lo.StopIfSameDiff && *previous != "" && after == *previous {
		return l.record(st, &rec, outcome{bridge.VerdictFail, bridge.StopSameDiff})
	}
	*previous = after
	if ctx.Err() != nil {
		return l.record(st, &rec, outcome{bridge.VerdictFail, bridge.StopInterrupted})
	}
	if lo.Tests != "" {
		if err := l.runTests(ctx, st, &rec); err != nil {
			return outcome{}, err
		}
	}
	if err := l.review(ctx, st, &rec); err != nil {
		return outcome{}, err
	}
	return l.record(st, &rec, l.decide(&rec))
}

// iterRecord collects what one iteration did.
type iterRecord struct {
	it         int
	plan       plan
	exec       execRecord
	changed    bool
	tests      *procx.Result
	reviewer   procx.Result
	reviewed   bool
	raw        string // the reviewer's verdict, before vetting
	source     string // verdict file | stdout | implicit | none
	accepted   string // after vetting
	rejected   string // rejected PASS reason
	planBefore planSnapshot
	planAfter  planSnapshot
}

func (r *iterRecord) nextPlanChanged() bool {
	return (r.planBefore.Exists && !r.planAfter.Exists) || (r.planAfter.Exists && r.planAfter.Hash != r.planBefore.Hash)
}

func (l *loop) runTests(ctx context.Context, st *bridge.RunState, rec *iterRecord) error {
	s := l.s
	argv, err := s.localArgv("--run-tests", l.lo.Tests, rec.it, "")
	if err != nil {
		return err
	}
	st.Phase = bridge.PhaseTesting
	if err := s.writeState(st); err != nil {
		return err
	}
	s.rep.phase(rec.it, l.lo.MaxIters, bridge.PhaseTesting, argv[0])
	s.rep.event("command", map[string]any{"role": "tests", "iteration": rec.it, "argv": argv})
	res := s.runLocal(ctx, argv, l.lo.TestTimeout)
	rec.tests = &res
	if err := s.dir.Write(bridge.LoopTests, []byte(s.localReport("Loop Test Output", argv, res))); err != nil {
		return err
	}
	st.TestsExitCode, st.TestsFile = bridge.IntPtr(res.ExitCode), s.dir.Rel(bridge.LoopTests)
	s.rep.say("Tests exited with code %d", res.ExitCode)
	if why := failure("tests", res.ExitCode, res.Signal, res.TimedOut, l.lo.TestTimeout, "", res.Stderr); why != "" && !s.o.JSON {
		s.rep.say("%s", why)
	}
	return nil
}

func (l *loop) review(ctx context.Context, st *bridge.RunState, rec *iterRecord) error {
	s, lo := l.s, l.lo
	vf, err := newVerdictFile(lo.Root)
	if err != nil {
		return err
	}
	defer vf.remove()
	argv, err := s.localArgv("--reviewer", lo.Reviewer, rec.it, vf.path)
	if err != nil {
		return err
	}
	st.Phase = bridge.PhaseReviewing
	if err := s.writeState(st); err != nil {
		return err
	}
	s.rep.phase(rec.it, lo.MaxIters, bridge.PhaseReviewing, argv[0])
	s.rep.event("command", map[string]any{"role": "reviewer", "iteration": rec.it, "argv": argv})
	rec.planBefore = snapshotPlan(s.fs, lo.ContextDir, lo.MaxReadBytes)
	rec.reviewer = s.runLocal(ctx, argv, lo.ReviewTimeout, "HANDOFF_VERDICT_FILE="+vf.path,
		fmt.Sprintf("HANDOFF_ITERATION=%d", rec.it), "HANDOFF_ROOT="+lo.Root)
	rec.reviewed = true
	if why := failure("reviewer", rec.reviewer.ExitCode, rec.reviewer.Signal, rec.reviewer.TimedOut, lo.ReviewTimeout, "", rec.reviewer.Stderr); why != "" && !s.o.JSON {
		s.rep.say("%s", why)
	}
	rec.planAfter = snapshotPlan(s.fs, lo.ContextDir, lo.MaxReadBytes)
	rec.raw, rec.source = iterationVerdict(vf.read(), rec.reviewer)
	if rec.raw == "" && lo.AllowImplicitReviewVerdict {
		rec.raw, rec.source = l.implicitVerdict(rec), "implicit"
	}
	shown := rec.raw
	if shown == "" {
		shown = "unknown"
	}
	report := s.localReport(fmt.Sprintf("Loop Review: iteration %d of %d", rec.it, lo.MaxIters), argv, rec.reviewer,
		bridge.Field{Key: "Verdict", Value: shown}, bridge.Field{Key: "Verdict source", Value: rec.source},
		bridge.Field{Key: "Next plan changed", Value: yesNo(rec.nextPlanChanged())})
	if l.reviews.Len() > 0 {
		l.reviews.WriteString("\n")
	}
	l.reviews.WriteString(report)
	if err := s.dir.Write(bridge.LoopReview, []byte(l.reviews.String())); err != nil {
		return err
	}
	st.ReviewerExitCode, st.ReviewerVerdict, st.ReviewFile = bridge.IntPtr(rec.reviewer.ExitCode), shown, s.dir.Rel(bridge.LoopReview)
	return nil
}

// iterationVerdict decides what the reviewer said. The verdict file, once
// written, is authoritative. Otherwise the last CODEXPRO_REVIEW= line of the
// reviewer's own stdout counts — never its stderr, which tools fill with
// echoed content, and never a truncated stdout, whose real last line may
// have been cut while a planted line survived.
func iterationVerdict(file string, res procx.Result) (verdict, source string) {
	if strings.TrimSpace(file) != "" {
		return parseVerdictFile(file), "verdict file"
	}
	if res.Truncated {
		return "", "none (stdout truncated)"
	}
	if v := parseVerdictLines(res.Stdout); v != "" {
		return v, "stdout"
	}
	return "", "none"
}

func (l *loop) implicitVerdict(rec *iterRecord) string {
	testsOK := rec.tests == nil || rec.tests.ExitCode == 0
	switch {
	case rec.nextPlanChanged() && rec.reviewer.ExitCode == 0:
		return bridge.VerdictFail
	case rec.planAfter.Exists && rec.reviewer.ExitCode == 0 && rec.exec.ok() && testsOK:
		return bridge.VerdictPass
	}
	return ""
}

// decide vets the verdict and picks the stop reason. A PASS never survives
// a failed reviewer; it survives a failed executor or failed tests only
// with --allow-review-pass-on-failure.
func (l *loop) decide(rec *iterRecord) outcome {
	override := l.lo.AllowReviewPassOnFailure
	revFailed := rec.reviewer.ExitCode != 0 || rec.reviewer.TimedOut
	rec.accepted = rec.raw
	if rec.raw == bridge.VerdictPass {
		switch {
		case revFailed:
			rec.rejected = bridge.StopReviewerError
		case !rec.exec.ok() && !override:
			rec.rejected = bridge.StopExecutorFailed
		case rec.tests != nil && (rec.tests.ExitCode != 0 || rec.tests.TimedOut) && !override:
			rec.rejected = bridge.StopTestsFailed
		}
		if rec.rejected != "" {
			rec.accepted = bridge.VerdictFail
			l.s.rep.say("WARN Reviewer PASS refused: %s", rec.rejected)
			return outcome{bridge.VerdictFail, rec.rejected}
		}
		return outcome{bridge.VerdictPass, bridge.StopPass}
	}
	switch {
	case rec.raw == "" && !revFailed:
		return outcome{bridge.VerdictFail, bridge.StopUnknownVerdict}
	case rec.raw == "" || revFailed:
		return outcome{bridge.VerdictFail, bridge.StopReviewerError}
	case !rec.nextPlanChanged() || !rec.planAfter.Usable:
		l.s.rep.say("WARN Reviewer returned FAIL but did not update %s.", l.s.dir.Rel(bridge.CurrentPlan))
		return outcome{bridge.VerdictFail, bridge.StopNoFollowupPlan}
	}
	return outcome{bridge.VerdictFail, ""}
}

// record logs the iteration and writes loop-handoff-state.json.
func (l *loop) record(st *bridge.RunState, rec *iterRecord, out outcome) (outcome, error) {
	s := l.s
	var testCode *int
	fields := map[string]any{
		"iteration": rec.it, "plan_hash": rec.plan.Hash, "agent": l.ex.name,
		"executor_exit_code": exitCodeValue(rec.exec.Exit), "changed_this_iteration": rec.changed,
		"verdict": out.verdict, "status_path": s.dir.Rel(bridge.HandoffStatus), "diff_path": s.dir.Rel(bridge.ImplementationDiff),
	}
	if rec.tests != nil {
		testCode = bridge.IntPtr(rec.tests.ExitCode)
		fields["test_exit_code"], fields["tests_path"] = rec.tests.ExitCode, s.dir.Rel(bridge.LoopTests)
	}
	if rec.reviewed {
		fields["reviewer_exit_code"], fields["reviewer_verdict"] = rec.reviewer.ExitCode, rec.raw
		fields["verdict_source"], fields["review_path"] = rec.source, s.dir.Rel(bridge.LoopReview)
		fields["next_plan_changed"], fields["followup_plan_exists"] = rec.nextPlanChanged(), rec.planAfter.Exists
		fields["has_usable_followup_plan"] = rec.planAfter.Usable
	}
	if rec.rejected != "" {
		fields["rejected_pass_reason"] = rec.rejected
	}
	if out.stop != "" {
		fields["stop_reason"] = out.stop
	}
	s.log(bridge.EventLoopIterationFinished, fields)
	var revCode *int
	if rec.reviewed {
		revCode = bridge.IntPtr(rec.reviewer.ExitCode)
	}
	state, err := bridge.MarshalState(bridge.LoopState{
		UpdatedAt: s.stamp(), Iteration: rec.it, MaxIters: l.lo.MaxIters, ReviewerVerdict: rec.raw, Verdict: out.verdict,
		RejectedPassReason: rec.rejected, StopReason: out.stop, PlanHash: rec.plan.Hash,
		NextPlanChanged: rec.nextPlanChanged(), FollowupPlanExists: rec.planAfter.Exists, HasUsableFollowupPlan: rec.planAfter.Usable,
		ChangedThisIteration: rec.changed, ExecutorExitCode: exitCodeValue(rec.exec.Exit), TestExitCode: testCode, ReviewerExitCode: revCode,
	})
	if err != nil {
		return out, err
	}
	s.rep.event("iteration_finished", map[string]any{"iteration": rec.it, "verdict": out.verdict, "reviewer_verdict": rec.raw, "stop_reason": out.stop})
	return out, s.dir.Write(bridge.LoopStateFile, state)
}
