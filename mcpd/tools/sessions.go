package tools

import (
	"context"
	"fmt"
	"strings"

	"codexpro.dev/mcpd/codexsessions"
	"codexpro.dev/mcpd/toolkit"
)

type codexSessionsIn struct {
	MaxSessions int    `json:"max_sessions,omitempty" jsonschema:"Most sessions to list (1 to 200; default 30)"`
	Query       string `json:"query,omitempty" jsonschema:"Case-insensitive filter on id, title, project folder and source path"`
}

type codexSessionsOut struct {
	CodexDir          string               `json:"codex_dir"`
	Roots             []string             `json:"roots"`
	Sessions          []codexsessions.Meta `json:"sessions"`
	TotalFound        int                  `json:"total_found"`
	CodexSessionsMode string               `json:"codex_sessions_mode"`
}

// CodexSessionsTool lists local Codex CLI sessions whose project folder is
// inside an allowed root. Metadata only; nothing attaches to a live session.
func CodexSessionsTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "codex_sessions", Title: "Codex sessions", Kind: toolkit.ReadOnly, Sets: toolkit.AllSets, Traits: toolkit.ListsCodexSessions,
		Description: "List local Codex CLI sessions (~/.codex/sessions) for projects inside the allowed roots: id, title, project folder, " +
			"times and the `codex resume` command. Metadata only.",
	}, codexSessions)
}

func codexSessions(_ context.Context, e *toolkit.Env, in codexSessionsIn) (codexSessionsOut, string, error) {
	if e.Cfg.CodexSessions != "metadata" && e.Cfg.CodexSessions != "read" {
		return codexSessionsOut{}, "", toolkit.UserErrorf("Codex session tools are disabled. Start with --codex-sessions metadata or --codex-sessions read to opt in.")
	}
	max, err := intArg("max_sessions", in.MaxSessions, 30, 1, 200)
	if err != nil {
		return codexSessionsOut{}, "", err
	}
	roots := codexsessions.Roots(e.Cfg.CodexDir)
	all := toolkit.State[codexsessions.Index](e).Scan(roots, e.Roots.List())
	q := strings.ToLower(strings.TrimSpace(in.Query))
	var hits []codexsessions.Meta
	for _, s := range all {
		if q == "" || strings.Contains(strings.ToLower(s.SessionID+"\n"+s.Title+"\n"+s.ProjectDir+"\n"+s.SourcePath), q) {
			hits = append(hits, s)
		}
	}
	out := codexSessionsOut{CodexDir: e.Cfg.CodexDir, Roots: nonNil(roots), Sessions: nonNil(hits[:min(len(hits), max)]),
		TotalFound: len(hits), CodexSessionsMode: e.Cfg.CodexSessions}
	var b strings.Builder
	fmt.Fprintf(&b, "# Codex Sessions\n\nFound %d session(s) for projects inside the allowed roots.\n", out.TotalFound)
	for _, s := range out.Sessions {
		title := s.Title
		if title == "" {
			title = "(untitled)"
		}
		fmt.Fprintf(&b, "\n- %s  %s  cwd=%s", s.SessionID, title, s.ProjectDir)
	}
	return out, b.String(), nil
}
