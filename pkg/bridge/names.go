package bridge

import "path"

// DefaultContextDir is the context directory used when CODEXPRO_CONTEXT_DIR
// and --context-dir are unset.
const DefaultContextDir = ".ai-bridge"

// File names inside the context directory. The names are CodexPro 0.30's,
// so prompts and reviewer scripts written for it keep working.
const (
	CurrentPlan        = "current-plan.md"
	AgentStatus        = "agent-status.md" // written by the agent; never by handoff
	HandoffStatus      = "handoff-status.md"
	CodexStatus        = "codex-status.md"
	ImplementationDiff = "implementation-diff.patch"
	SessionLog         = "session-log.jsonl"
	ExecutionLog       = "execution-log.jsonl"
	RunStateFile       = "handoff-run-state.json"
	LoopStateFile      = "loop-handoff-state.json"
	WatchStateFile     = "watch-handoff-state.json"
	ProContext         = "pro-context.md"
	LoopTests          = "loop-tests.txt"
	LoopReview         = "loop-review.md"
	CodexLastMessage   = "codex-last-message.md"
	Decisions          = "decisions.md"
	OpenQuestions      = "open-questions.md"
	Readme             = "README.md"
)

// Rel joins a context directory and a file name into a workspace-relative
// slash path.
func Rel(contextDir, name string) string {
	return path.Join(contextDir, name)
}

// HandoffReadFiles lists, in display order, the files read_handoff shows.
// handoff-status.md is ours; agent-status.md stays the agent's own notes.
func HandoffReadFiles() []string {
	return []string{CurrentPlan, AgentStatus, HandoffStatus, ImplementationDiff,
		CodexStatus, Decisions, OpenQuestions, ExecutionLog}
}

// UnderContext reports whether rel (a slash path relative to the workspace,
// as stored in a run state) names a file strictly inside contextDir after
// cleaning. Readers use it so that a forged run state cannot point them at
// other workspace files.
func UnderContext(contextDir, rel string) bool {
	if rel == "" || path.IsAbs(rel) {
		return false
	}
	clean := path.Clean(rel)
	prefix := path.Clean(contextDir) + "/"
	return len(clean) > len(prefix) && clean[:len(prefix)] == prefix
}
