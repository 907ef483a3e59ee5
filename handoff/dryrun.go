package handoff

import (
	"fmt"
	"strings"
)

// commandLine is one command a dry run shows.
type commandLine struct {
	Label   string
	Argv    []string
	Display string
}

// dryRun prints what would run, exactly, and changes nothing. The preview
// is the exact argv, shell-quoted; only a {{plan_text}} argument is
// abbreviated.
func (s *session) dryRun(mode string, p plan, cmds []commandLine, extra [][2]string) {
	o := s.o
	var b strings.Builder
	fmt.Fprintf(&b, "handoff %s dry run\n", mode)
	row := func(k, v string) { fmt.Fprintf(&b, "  %-10s %s\n", k+":", v) }
	row("Workspace", o.Root)
	row("Plan", p.Rel+" (sha256 "+p.Hash[:12]+")")
	row("Agent", o.Agent)
	if o.Model != "" {
		row("Model", o.Model)
	}
	for _, kv := range extra {
		row(kv[0], kv[1])
	}
	events := make([]map[string]any, 0, len(cmds))
	for _, c := range cmds {
		row(c.Label, previewHidingPlan(c.Argv, p.Text))
		events = append(events, map[string]any{"label": c.Label, "argv": c.Argv})
	}
	b.WriteString("No command was executed and no .ai-bridge result files were changed.\n")
	if o.JSON {
		s.rep.event("dry_run", map[string]any{"mode": mode, "plan": p.Rel, "plan_hash": p.Hash, "commands": events})
		return
	}
	fmt.Fprint(s.io.Stdout, b.String())
}
