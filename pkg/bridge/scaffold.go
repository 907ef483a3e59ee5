package bridge

// File is a context file and its initial content.
type File struct {
	Name    string
	Content string
}

// ScaffoldFiles are the files a scaffold creates when they are missing. A
// scaffold never overwrites an existing file.
func ScaffoldFiles() []File {
	return []File{
		{Readme, scaffoldReadme},
		{CurrentPlan, ScaffoldPlan},
		{AgentStatus, "# Agent Status\n\nNo implementation agent status written yet.\n"},
		{ImplementationDiff, ""},
		{CodexStatus, "# Codex Status\n\nNo Codex status written yet.\n"},
		{Decisions, "# Decisions\n\n"},
		{OpenQuestions, "# Open Questions\n\n"},
		{ExecutionLog, ""},
		{SessionLog, ""},
	}
}

const scaffoldReadme = `# AI Bridge

This directory carries work between ChatGPT (through mcpd) and local coding
agents (through handoff).

- current-plan.md: the plan ChatGPT wrote with handoff_to_agent; handoff runs it.
- agent-status.md: notes the implementation agent writes (files touched, checks, blockers).
- handoff-status.md: what handoff itself recorded about the last agent run.
- implementation-diff.patch: the workspace diff after the last run, excluding this directory.
- codex-status.md: legacy status notes for Codex handoffs.
- decisions.md, open-questions.md: notes kept across plans.
- execution-log.jsonl, session-log.jsonl: one JSON event per line.
- handoff-run-state.json: the state of the latest run, polled by wait_for_handoff.
- loop-tests.txt, loop-review.md, loop-handoff-state.json: the reviewer loop's records.
`
