package bridge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
)

// ScaffoldPlan is the placeholder plan the scaffold writes. watch and loop
// refuse to run it.
const ScaffoldPlan = "# Current Plan\n\nNo plan written yet.\n"

// PlanHash is the hex SHA-256 of the plan text, as recorded in the run state
// and accepted by wait_for_handoff.
func PlanHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// IsScaffoldPlan reports whether text is empty or still the scaffold
// placeholder (whitespace differences ignored).
func IsScaffoldPlan(text string) bool {
	t := strings.TrimSpace(text)
	return t == "" || t == strings.TrimSpace(ScaffoldPlan)
}

var agentIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// ValidateAgentID checks an agent id (handoff_to_agent's agent, handoff's
// --agent, a plugin name) and returns it lower-cased.
func ValidateAgentID(id string) (string, error) {
	v := strings.ToLower(strings.TrimSpace(id))
	if !agentIDPattern.MatchString(v) {
		return "", fmt.Errorf("agent %q must use only lowercase letters, numbers, dots, underscores, or hyphens (1-64 characters, starting with a letter or number)", id)
	}
	return v, nil
}

// DefaultAgent is the agent a plan names, and `handoff` runs, when none is
// chosen: one declaration, so the command handoff_to_agent suggests runs
// the agent the plan was written for.
const DefaultAgent = "opencode"

// BuiltinAgents are the agents whose adapters ship beside handoff.
func BuiltinAgents() []string { return []string{"codex", "opencode", "pi"} }

// CustomAgent is the agent id of a --command template.
const CustomAgent = "custom"

// AgentDisplayName is the human name of a built-in agent id, else the id.
func AgentDisplayName(id string) string {
	switch id {
	case "codex":
		return "Codex"
	case "opencode":
		return "OpenCode"
	case "pi":
		return "Pi"
	}
	return id
}

// PlanInput is what handoff_to_agent turns into current-plan.md.
type PlanInput struct {
	Title      string // one line; default "Agent implementation plan"
	Updated    string // RFC 3339 time
	Workspace  string // absolute root
	Agent      string // id
	AgentName  string // display name; default AgentDisplayName(Agent)
	Model      string // optional
	Plan       string // body, trimmed by the caller
	ContextDir string // for the implementation contract paths
}

// FormatPlan renders a plan file in CodexPro 0.30's layout, so agents prompted
// for the Node version read it the same way.
func FormatPlan(in PlanInput) string {
	title := in.Title
	if title == "" {
		title = "Agent implementation plan"
	}
	name := in.AgentName
	if name == "" {
		name = AgentDisplayName(in.Agent)
	}
	ctx := in.ContextDir
	if ctx == "" {
		ctx = DefaultContextDir
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\nUpdated: %s\nWorkspace: %s\nTarget agent: %s (%s)\n", title, in.Updated, in.Workspace, name, in.Agent)
	if in.Model != "" {
		fmt.Fprintf(&b, "Model: %s\n", in.Model)
	}
	fmt.Fprintf(&b, "\n## Plan\n\n%s\n\n## Implementation contract\n\n", strings.TrimSpace(in.Plan))
	for _, line := range []string{
		"Work from this plan in small, reviewable steps.",
		"Keep edits scoped to the requested task and existing project conventions.",
		"Run focused verification before handing work back.",
		"Update " + Rel(ctx, AgentStatus) + " with files touched, checks run, results, blockers, and review notes.",
		"Save the final review diff to " + Rel(ctx, ImplementationDiff) + " when practical.",
		"Append notable execution events to " + Rel(ctx, ExecutionLog) + " when the implementation agent supports logging.",
	} {
		fmt.Fprintf(&b, "- %s\n", line)
	}
	return b.String()
}

// AppendPlan joins an existing plan and a new section the way
// handoff_to_agent's append=true does.
func AppendPlan(existing, next string) string {
	return strings.TrimRight(existing, " \t\r\n") + "\n\n---\n\n" + next
}
