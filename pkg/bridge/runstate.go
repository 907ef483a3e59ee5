package bridge

import (
	"encoding/json"
	"fmt"
)

// Run states. completed, failed and timed_out are terminal.
const (
	StateRunning   = "running"
	StateCompleted = "completed"
	StateFailed    = "failed"
	StateTimedOut  = "timed_out"
)

// Phases of a run. A loop moves through executing, testing and reviewing
// once per iteration and ends in done; execute and watch skip testing and
// reviewing.
const (
	PhaseExecuting = "executing"
	PhaseTesting   = "testing"
	PhaseReviewing = "reviewing"
	PhaseDone      = "done"
)

// Loop verdicts.
const (
	VerdictPass = "PASS"
	VerdictFail = "FAIL"
)

// Loop stop reasons. The first eleven are CodexPro 0.30's.
const (
	StopPass           = "pass"
	StopMaxIters       = "max_iters"
	StopHumanCancelled = "human_cancelled"
	StopScaffoldedPlan = "scaffolded_plan"
	StopNoFilesChanged = "no_files_changed"
	StopSameDiff       = "same_diff"
	StopReviewerError  = "reviewer_error"
	StopExecutorFailed = "executor_failed"
	StopTestsFailed    = "tests_failed"
	StopUnknownVerdict = "unknown_verdict"
	StopNoFollowupPlan = "no_followup_plan"
	StopInterrupted    = "interrupted"
)

// RunStateVersion is the schema version written to handoff-run-state.json.
const RunStateVersion = 1

// RunState is handoff-run-state.json: the machine-readable state of the
// latest execute, watch or loop run, polled by wait_for_handoff. Unlike the
// reference it stays "running" until the whole loop ends, says which phase
// is running, and carries the loop's final verdict and stop reason.
type RunState struct {
	Version    int     `json:"version"`
	UpdatedAt  string  `json:"updated_at"`
	State      string  `json:"state"`
	Phase      string  `json:"phase"`
	Mode       string  `json:"mode,omitempty"` // execute | watch | loop
	Iteration  int     `json:"iteration"`
	MaxIters   int     `json:"max_iters,omitempty"`
	StartedAt  string  `json:"started_at"`
	FinishedAt *string `json:"finished_at"`
	PlanHash   string  `json:"plan_hash"`
	Executor   string  `json:"executor"`
	Model      string  `json:"model,omitempty"`
	PID        int     `json:"pid,omitempty"`
	Host       string  `json:"host,omitempty"`

	ExitCode         *int   `json:"exit_code,omitempty"`
	TimedOut         bool   `json:"timed_out"`
	DurationMs       int64  `json:"duration_ms"`
	TestsExitCode    *int   `json:"tests_exit_code,omitempty"`
	ReviewerExitCode *int   `json:"reviewer_exit_code,omitempty"`
	ReviewerVerdict  string `json:"reviewer_verdict,omitempty"`
	Verdict          string `json:"verdict,omitempty"`
	StopReason       string `json:"stop_reason,omitempty"`

	StatusFile string `json:"status_file,omitempty"`
	DiffFile   string `json:"diff_file,omitempty"`
	LogFile    string `json:"log_file,omitempty"`
	TestsFile  string `json:"tests_file,omitempty"`
	ReviewFile string `json:"review_file,omitempty"`
}

// Terminal reports whether the run has ended.
func (r RunState) Terminal() bool {
	switch r.State {
	case StateCompleted, StateFailed, StateTimedOut:
		return true
	}
	return false
}

// Marshal renders the state as indented JSON with a trailing newline.
func (r RunState) Marshal() []byte {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		// Only plain fields: marshalling cannot fail.
		panic(err)
	}
	return append(b, '\n')
}

// ParseRunState decodes handoff-run-state.json. It must be a JSON object
// with a known state; anything else is an error naming the file.
func ParseRunState(data []byte) (RunState, error) {
	var r RunState
	if err := json.Unmarshal(data, &r); err != nil {
		return RunState{}, fmt.Errorf("parse %s: %w", RunStateFile, err)
	}
	switch r.State {
	case StateRunning, StateCompleted, StateFailed, StateTimedOut:
	default:
		return RunState{}, fmt.Errorf("parse %s: unknown state %q (want running, completed, failed or timed_out)", RunStateFile, r.State)
	}
	return r, nil
}

// IntPtr returns a pointer to n, for the optional exit codes.
func IntPtr(n int) *int { return &n }
