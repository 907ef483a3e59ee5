package tools

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"time"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/procx"
	"codexpro.dev/pkg/workspace"
)

type waitIn struct {
	toolkit.WorkspaceArg
	PlanHash          string `json:"plan_hash,omitempty" jsonschema:"Wait for the run of this plan (plan_hash from handoff_to_agent)"`
	SinceIteration    *int   `json:"since_iteration,omitempty" jsonschema:"Wait for an iteration after this one"`
	MaxWaitSeconds    int    `json:"max_wait_seconds,omitempty" jsonschema:"How long to wait, 1-60 (default 20)"`
	PollMs            int    `json:"poll_ms,omitempty" jsonschema:"Poll interval in ms, 250-5000 (default 1000)"`
	IncludeDiff       *bool  `json:"include_diff,omitempty" jsonschema:"Include a diff excerpt when finished (default true)"`
	IncludeLogExcerpt *bool  `json:"include_log_excerpt,omitempty" jsonschema:"Include the last log lines when finished (default true)"`
	IncludeTests      *bool  `json:"include_tests,omitempty" jsonschema:"Include a test output excerpt when finished (default true)"`
}

type waitOut struct {
	WorkspaceID      string           `json:"workspace_id"`
	Root             string           `json:"root"`
	State            string           `json:"state"`
	Phase            string           `json:"phase,omitempty"`
	AwaitedCompleted bool             `json:"awaited_completed"`
	AwaitedTerminal  bool             `json:"awaited_terminal"`
	Succeeded        bool             `json:"succeeded"`
	StateFile        string           `json:"state_file"`
	RunState         *bridge.RunState `json:"run_state,omitempty"`
	PlanHashMismatch bool             `json:"plan_hash_mismatch,omitempty"`
	ExpectedPlanHash string           `json:"expected_plan_hash,omitempty"`
	NextPollAfter    int              `json:"next_poll_after_seconds,omitempty"`
	StatusExcerpt    string           `json:"status_excerpt,omitempty"`
	DiffExcerpt      string           `json:"diff_excerpt,omitempty"`
	LogExcerpt       string           `json:"log_excerpt,omitempty"`
	TestsExcerpt     string           `json:"tests_excerpt,omitempty"`
}

// WaitForHandoffTool long-polls the run state that `handoff` writes, never
// past its deadline, so the model can wait for a local run without looping.
func WaitForHandoffTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "wait_for_handoff", Title: "Wait for handoff", Kind: toolkit.Poll, Sets: toolkit.Standard | toolkit.Full,
		Description: "Wait (up to max_wait_seconds, default 20) for the local handoff run to finish, reading " +
			".ai-bridge/handoff-run-state.json. Pass plan_hash from handoff_to_agent to wait for that plan's run. " +
			"Returns state, phase, verdict and excerpts of status, diff, log and tests.",
	}, waitForHandoff)
}

func waitForHandoff(ctx context.Context, e *toolkit.Env, in waitIn) (waitOut, string, error) {
	wait, poll, err := waitBounds(in)
	if err != nil {
		return waitOut{}, "", err
	}
	w := in.Workspace()
	d := bridge.Dir{Context: e.Cfg.ContextDir, FS: w.LinkFree()}
	deadline := time.Now().Add(wait)
	for {
		rs, found, err := readRunState(d, e.Cfg.MaxReadBytes)
		if err != nil {
			return waitOut{}, "", err
		}
		if found && awaited(rs, in) {
			out := finished(w, d, rs, in)
			return out, waitText(out), nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			out := pending(w, d, rs, found, in, poll)
			return out, waitText(out), nil
		}
		select {
		case <-ctx.Done():
			return waitOut{}, "", ctx.Err()
		case <-time.After(min(poll, left)):
		}
	}
}

func waitBounds(in waitIn) (time.Duration, time.Duration, error) {
	wait, poll := in.MaxWaitSeconds, in.PollMs
	if wait == 0 {
		wait = 20
	}
	if poll == 0 {
		poll = 1000
	}
	if wait < 1 || wait > 60 {
		return 0, 0, toolkit.UserErrorf("max_wait_seconds must be from 1 to 60, got %d.", wait)
	}
	if poll < 250 || poll > 5000 {
		return 0, 0, toolkit.UserErrorf("poll_ms must be from 250 to 5000, got %d.", poll)
	}
	return time.Duration(wait) * time.Second, time.Duration(poll) * time.Millisecond, nil
}

func readRunState(d bridge.Dir, max int64) (bridge.RunState, bool, error) {
	data, err := d.Read(bridge.RunStateFile, max)
	if errors.Is(err, fs.ErrNotExist) {
		return bridge.RunState{}, false, nil
	}
	if err != nil {
		return bridge.RunState{}, false, err
	}
	rs, err := bridge.ParseRunState(data)
	if err != nil {
		return bridge.RunState{}, false, toolkit.UserErrorf("%v", err)
	}
	return abandoned(rs), true, nil
}

// abandoned turns a "running" state whose handoff process is gone (killed
// with SIGKILL, the machine rebooted) into a failed one that says so, so a
// waiting model is not told "running" forever. Only a pid on this host can
// be checked.
func abandoned(rs bridge.RunState) bridge.RunState {
	host, _ := os.Hostname()
	if rs.State != bridge.StateRunning || rs.PID <= 0 || rs.Host == "" || rs.Host != host || procx.Alive(rs.PID) {
		return rs
	}
	rs.State, rs.StopReason = bridge.StateFailed, "abandoned: handoff process "+strconv.Itoa(rs.PID)+" is gone"
	return rs
}

func awaited(rs bridge.RunState, in waitIn) bool {
	if !rs.Terminal() {
		return false
	}
	if in.PlanHash != "" && !strings.EqualFold(in.PlanHash, rs.PlanHash) {
		return false
	}
	return in.SinceIteration == nil || rs.Iteration > *in.SinceIteration
}

func finished(w *workspace.Workspace, d bridge.Dir, rs bridge.RunState, in waitIn) waitOut {
	out := waitOut{WorkspaceID: w.ID, Root: w.Root, State: rs.State, Phase: rs.Phase, AwaitedTerminal: true,
		AwaitedCompleted: rs.State == bridge.StateCompleted, StateFile: d.Rel(bridge.RunStateFile), RunState: &rs}
	out.Succeeded = out.AwaitedCompleted
	out.StatusExcerpt = excerpt(d, artifact(d, rs.StatusFile, bridge.HandoffStatus), 6000, false)
	if in.IncludeDiff == nil || *in.IncludeDiff {
		out.DiffExcerpt = excerpt(d, artifact(d, rs.DiffFile, bridge.ImplementationDiff), 12000, false)
	}
	if in.IncludeLogExcerpt == nil || *in.IncludeLogExcerpt {
		out.LogExcerpt = excerpt(d, artifact(d, rs.LogFile, bridge.ExecutionLog), 6000, true)
	}
	if in.IncludeTests == nil || *in.IncludeTests {
		out.TestsExcerpt = excerpt(d, artifact(d, rs.TestsFile, bridge.LoopTests), 4000, false)
	}
	return out
}

func pending(w *workspace.Workspace, d bridge.Dir, rs bridge.RunState, found bool, in waitIn, poll time.Duration) waitOut {
	out := waitOut{WorkspaceID: w.ID, Root: w.Root, State: "unknown", StateFile: d.Rel(bridge.RunStateFile),
		NextPollAfter: int((poll + time.Second - 1) / time.Second)}
	if found {
		out.State, out.Phase, out.RunState = bridge.StateRunning, rs.Phase, &rs
		if in.PlanHash != "" && !strings.EqualFold(in.PlanHash, rs.PlanHash) {
			out.PlanHashMismatch, out.ExpectedPlanHash = true, in.PlanHash
		}
	}
	return out
}

// artifact accepts a path from the run state only inside the context dir,
// so a forged state file cannot make us read other workspace files.
func artifact(d bridge.Dir, fromState, fallback string) string {
	if bridge.UnderContext(d.Context, fromState) {
		return strings.TrimPrefix(fromState, d.Context+"/")
	}
	return fallback
}

func excerpt(d bridge.Dir, name string, limit int, tail bool) string {
	data, err := d.Read(name, 1<<20)
	if err != nil {
		return ""
	}
	s := string(data)
	if tail {
		lines := nonEmptyLines(s)
		s = strings.Join(lines[max(0, len(lines)-20):], "\n")
	}
	if len(s) > limit {
		s = s[:limit] + "\n...[excerpt truncated]"
	}
	return s
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func waitText(o waitOut) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Handoff run: %s", o.State)
	if o.Phase != "" {
		fmt.Fprintf(&b, " (phase %s)", o.Phase)
	}
	if o.RunState != nil && o.RunState.Verdict != "" {
		fmt.Fprintf(&b, "\nVerdict: %s (stop reason %s)", o.RunState.Verdict, o.RunState.StopReason)
	}
	if o.PlanHashMismatch {
		b.WriteString("\nThe current run is for a different plan than plan_hash.")
	}
	if o.NextPollAfter > 0 {
		fmt.Fprintf(&b, "\nNot finished yet; call wait_for_handoff again in about %ds.", o.NextPollAfter)
	}
	for _, s := range []struct{ h, v string }{{"Status", o.StatusExcerpt}, {"Diff", o.DiffExcerpt}, {"Log", o.LogExcerpt}, {"Tests", o.TestsExcerpt}} {
		if s.v != "" {
			fmt.Fprintf(&b, "\n\n## %s\n\n```\n%s\n```", s.h, s.v)
		}
	}
	return b.String()
}
