package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/workspace"
)

type handoffIn struct {
	toolkit.WorkspaceArg
	Agent     string `json:"agent,omitempty" jsonschema:"Target agent: codex, opencode, pi, a trusted plugin id, or custom (the user supplies the command); default: the default agent of handoff"`
	AgentName string `json:"agent_name,omitempty" jsonschema:"Display name of the agent"`
	Model     string `json:"model,omitempty" jsonschema:"Model for the agent, e.g. provider/model"`
	Title     string `json:"title,omitempty" jsonschema:"Plan title (one line)"`
	Plan      string `json:"plan" jsonschema:"The implementation plan in Markdown"`
	Append    bool   `json:"append,omitempty" jsonschema:"Append to the current plan instead of replacing it"`
}

type handoffOut struct {
	WorkspaceID      string `json:"workspace_id"`
	Root             string `json:"root"`
	Agent            string `json:"agent"`
	AgentName        string `json:"agent_name"`
	Model            string `json:"model,omitempty"`
	PlanPath         string `json:"plan_path"`
	PlanHash         string `json:"plan_hash"`
	StatusPath       string `json:"status_path"`
	DiffPath         string `json:"diff_path"`
	LogPath          string `json:"log_path"`
	ExecutionLogPath string `json:"execution_log_path"`
	Additions        int    `json:"additions"`
	Deletions        int    `json:"deletions"`
	Diff             string `json:"diff"`
	RunCommand       string `json:"run_command"` // what the user runs, as printed
}

// HandoffToAgentTool writes the plan a local agent will run; it never runs
// anything itself. It returns the plan hash wait_for_handoff waits on.
func HandoffToAgentTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "handoff_to_agent", Title: "Hand off to a local agent", Kind: toolkit.HandoffWrite, Sets: toolkit.Standard | toolkit.Full, Traits: toolkit.HandoffEntry | toolkit.Card,
		Description: "Write an implementation plan to the context directory (.ai-bridge/current-plan.md) for a local coding agent " +
			"(codex, opencode, pi or custom) that the user runs with `handoff execute|watch|loop`. Nothing is executed here. " +
			"Returns plan_hash for wait_for_handoff.",
	}, func(ctx context.Context, e *toolkit.Env, in handoffIn) (handoffOut, string, error) {
		if in.Agent == "" {
			in.Agent = bridge.DefaultAgent
		}
		return writeHandoff(ctx, e, in, bridge.EventHandoffToAgent, "Agent implementation plan")
	})
}

type codexHandoffIn struct {
	toolkit.WorkspaceArg
	Title  string `json:"title,omitempty" jsonschema:"Plan title (one line)"`
	Plan   string `json:"plan" jsonschema:"The implementation plan in Markdown"`
	Append bool   `json:"append,omitempty" jsonschema:"Append to the current plan instead of replacing it"`
}

// HandoffToCodexTool is handoff_to_agent with agent codex.
func HandoffToCodexTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "handoff_to_codex", Title: "Hand off to Codex", Kind: toolkit.HandoffWrite, Sets: toolkit.Full, Traits: toolkit.Card,
		Description: "Write an implementation plan for Codex CLI to .ai-bridge/current-plan.md (same as handoff_to_agent with agent=codex).",
	}, func(ctx context.Context, e *toolkit.Env, in codexHandoffIn) (handoffOut, string, error) {
		return writeHandoff(ctx, e, handoffIn{WorkspaceArg: in.WorkspaceArg, Agent: "codex", Title: in.Title, Plan: in.Plan, Append: in.Append},
			bridge.EventHandoffToCodex, "Codex implementation plan")
	})
}

func writeHandoff(ctx context.Context, e *toolkit.Env, in handoffIn, event, defaultTitle string) (handoffOut, string, error) {
	w := in.Workspace()
	pin, err := planInput(in, defaultTitle, w.Root, e.Cfg.ContextDir)
	if err != nil {
		return handoffOut{}, "", err
	}
	d := contextDir(e, w.Root, w.LinkFree())
	if err := scaffold(w, d); err != nil {
		return handoffOut{}, "", err
	}
	planRel := d.Rel(bridge.CurrentPlan)
	unlock := w.Lock(planRel)
	defer unlock()
	old, err := d.Read(bridge.CurrentPlan, e.Cfg.MaxReadBytes)
	if err != nil {
		return handoffOut{}, "", err
	}
	body := bridge.FormatPlan(pin)
	if in.Append && !bridge.IsScaffoldPlan(string(old)) {
		body = bridge.AppendPlan(string(old), body)
	}
	if err := checkHandoffContent(e, body); err != nil {
		return handoffOut{}, "", err
	}
	if err := d.Write(bridge.CurrentPlan, []byte(body)); err != nil {
		return handoffOut{}, "", err
	}
	out := handoffResult(w, d, pin, body, string(old))
	logHandoff(d, event, out, pin.Title)
	return out, handoffPrompt(out, e.Cfg.ContextDir, in.Agent == "codex"), nil
}

func planInput(in handoffIn, defaultTitle, root, ctxDir string) (bridge.PlanInput, error) {
	agent, err := bridge.ValidateAgentID(in.Agent)
	if err != nil {
		return bridge.PlanInput{}, toolkit.UserErrorf("%v", err)
	}
	plan := strings.TrimSpace(in.Plan)
	if plan == "" {
		return bridge.PlanInput{}, toolkit.UserErrorf("plan must not be empty.")
	}
	title, err := oneLine("title", in.Title, 120)
	if err != nil {
		return bridge.PlanInput{}, err
	}
	if title == "" {
		title = defaultTitle
	}
	name, err := oneLine("agent_name", in.AgentName, 80)
	if err != nil {
		return bridge.PlanInput{}, err
	}
	model, err := oneLine("model", in.Model, 120)
	if err != nil {
		return bridge.PlanInput{}, err
	}
	return bridge.PlanInput{Title: title, Updated: time.Now().UTC().Format(time.RFC3339), Workspace: root,
		Agent: agent, AgentName: name, Model: model, Plan: plan, ContextDir: ctxDir}, nil
}

func oneLine(arg, v string, max int) (string, error) {
	v = strings.TrimSpace(v)
	if strings.ContainsAny(v, "\r\n") {
		return "", toolkit.UserErrorf("%s must be one line.", arg)
	}
	if len(v) > max {
		return "", toolkit.UserErrorf("%s must be at most %d characters.", arg, max)
	}
	return v, nil
}

func checkHandoffContent(e *toolkit.Env, body string) error {
	if int64(len(body)) > e.Cfg.MaxWriteBytes {
		return toolkit.UserErrorf("Plan is too large (%d bytes). Limit: %d bytes.", len(body), e.Cfg.MaxWriteBytes)
	}
	if kind, ok := e.Redact.HasSecret(body); ok {
		return toolkit.UserErrorf("Secret-looking content is blocked from handoff plans (%s). Use placeholders such as [REDACTED_SECRET].", kind)
	}
	return nil
}

// scaffold creates the context files that are missing; it never overwrites.
func scaffold(w *workspace.Workspace, d bridge.Dir) error {
	for _, f := range bridge.ScaffoldFiles() {
		if _, _, err := w.Stat(d.Rel(f.Name)); err == nil {
			continue
		}
		if err := d.Write(f.Name, []byte(f.Content)); err != nil {
			return err
		}
	}
	return nil
}

func handoffResult(w *workspace.Workspace, d bridge.Dir, pin bridge.PlanInput, body, old string) handoffOut {
	out := handoffOut{WorkspaceID: w.ID, Root: w.Root, Agent: pin.Agent, AgentName: pin.AgentName, Model: pin.Model,
		PlanPath: d.Rel(bridge.CurrentPlan), PlanHash: bridge.PlanHash(body), StatusPath: d.Rel(bridge.AgentStatus),
		DiffPath: d.Rel(bridge.ImplementationDiff), LogPath: d.Rel(bridge.SessionLog), ExecutionLogPath: d.Rel(bridge.ExecutionLog)}
	if out.AgentName == "" {
		out.AgentName = bridge.AgentDisplayName(pin.Agent)
	}
	out.Diff, out.Additions, out.Deletions = unifiedDiff(out.PlanPath, old, body)
	out.RunCommand = runCommand(w.Root, d.Context, pin.Agent, pin.Model)
	return out
}

// logHandoff records the handoff in both logs. A log failure does not undo
// a written plan, so it is not reported to the model.
func logHandoff(d bridge.Dir, event string, out handoffOut, title string) {
	ev := bridge.Event{TS: time.Now().UTC().Format(time.RFC3339), Name: event, Fields: map[string]any{
		"agent": out.Agent, "agent_name": out.AgentName, "model": out.Model, "title": title,
		"plan_path": out.PlanPath, "plan_hash": out.PlanHash, "status_path": out.StatusPath, "diff_path": out.DiffPath}}
	_ = d.AppendEvent(bridge.SessionLog, ev)
	_ = d.AppendEvent(bridge.ExecutionLog, ev)
}

func handoffPrompt(out handoffOut, ctxDir string, codex bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Plan written to %s (plan_hash %s).\n\n", out.PlanPath, out.PlanHash)
	fmt.Fprintf(&b, "Read %s and execute it in small, reviewable steps.\n", out.PlanPath)
	fmt.Fprintf(&b, "After each meaningful change, update %s with files touched, checks run, results, blockers, and the next review focus.\n", out.StatusPath)
	if codex {
		fmt.Fprintf(&b, "For legacy Codex handoffs, mirror key status notes to %s if your workflow expects that file.\n", bridge.Rel(ctxDir, bridge.CodexStatus))
	}
	fmt.Fprintf(&b, "Before review, write the final diff to %s when practical.\n\n", out.DiffPath)
	fmt.Fprintf(&b, "The user runs it locally with:\n  %s\n", out.RunCommand)
	if out.Agent == bridge.CustomAgent {
		b.WriteString("(replace YOUR-AGENT with the agent's command; {{plan_file}} becomes the plan's path)\n")
	}
	b.WriteString("(or `handoff loop --reviewer ./review.sh` with the same flags for a reviewed loop). Then call wait_for_handoff with this plan_hash.")
	return b.String()
}

// runCommand is the `handoff execute` line the user pastes as is: it names
// the root (so it runs from any directory), a context directory other than
// the default, and the agent and model the plan was written for. A custom
// agent has no adapter, so its line carries a --command template to fill in.
func runCommand(root, contextDir, agent, model string) string {
	a := []string{"handoff", "execute", "--root", shellQuote(root)}
	if contextDir != bridge.DefaultContextDir {
		a = append(a, "--context-dir", shellQuote(contextDir))
	}
	if agent == bridge.CustomAgent {
		a = append(a, "--command", shellQuote("YOUR-AGENT {{plan_file}}"))
	} else {
		a = append(a, "--agent", agent)
	}
	if model != "" {
		a = append(a, "--model", shellQuote(model))
	}
	return strings.Join(a, " ")
}

// shellQuote single-quotes a value for a command the user may paste.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
