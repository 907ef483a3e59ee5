package bridge

import "encoding/json"

// LoopState is loop-handoff-state.json, rewritten after every iteration.
// The keys are CodexPro 0.30's camelCase ones; testExitCode and stopReason
// are additions.
type LoopState struct {
	UpdatedAt             string `json:"updatedAt"`
	Iteration             int    `json:"iteration"`
	MaxIters              int    `json:"maxIters"`
	ReviewerVerdict       string `json:"reviewerVerdict"`
	Verdict               string `json:"verdict"`
	RejectedPassReason    string `json:"rejectedPassReason,omitempty"`
	StopReason            string `json:"stopReason,omitempty"`
	PlanHash              string `json:"planHash"`
	NextPlanChanged       bool   `json:"nextPlanChanged"`
	FollowupPlanExists    bool   `json:"followupPlanExists"`
	HasUsableFollowupPlan bool   `json:"hasUsableFollowupPlan"`
	ChangedThisIteration  bool   `json:"changedThisIteration"`
	ExecutorExitCode      *int   `json:"executorExitCode"`
	TestExitCode          *int   `json:"testExitCode,omitempty"`
	ReviewerExitCode      *int   `json:"reviewerExitCode"`
}

// WatchState is watch-handoff-state.json: the last plan the watcher ran, so
// that a plan is run once, even when it failed.
type WatchState struct {
	LastPlanHash string `json:"lastPlanHash"`
	LastRanAt    string `json:"lastRanAt"`
	Agent        string `json:"agent"`
	Model        string `json:"model,omitempty"`
	ExitCode     *int   `json:"exitCode"`
	PlanPath     string `json:"planPath"`
}

// MarshalState renders a loop or watch state as indented JSON.
func MarshalState(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
