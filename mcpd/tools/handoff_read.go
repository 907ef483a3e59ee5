package tools

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/bridge"
	"codexpro.dev/pkg/redact"
	"codexpro.dev/pkg/workspace"
)

// Limits of the handoff readers (CodexPro 0.30's values).
const (
	handoffFileBytes   = 80_000
	previewLines       = 40
	previewChars       = 12_000
	previewCutMarker   = "...[preview truncated]"
	fileCutMarker      = "...[truncated at %d bytes]"
	noHandoffYetFormat = "No %s handoff context exists yet. Use handoff_to_agent or handoff_to_codex to create it when a plan is ready."
)

type readHandoffIn struct {
	toolkit.WorkspaceArg
}

type readHandoffOut struct {
	WorkspaceID string   `json:"workspace_id"`
	Root        string   `json:"root"`
	Files       []string `json:"files"`
	FileCount   int      `json:"file_count"`
	Preview     string   `json:"preview"`
}

// ReadHandoffTool shows the plan, status, diff and log files of the
// context directory, line-numbered.
func ReadHandoffTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "read_handoff", Title: "Read handoff context", Kind: toolkit.ReadOnly, Sets: toolkit.Standard | toolkit.Full,
		Description: "Read the AI handoff context directory (default .ai-bridge): current plan, agent and handoff " +
			"status, implementation diff, decisions, open questions and execution log, line-numbered (each file up " +
			"to 80,000 bytes; secrets redacted).",
	}, readHandoff)
}

func readHandoff(ctx context.Context, e *toolkit.Env, in readHandoffIn) (readHandoffOut, string, error) {
	w := in.Workspace()
	h, err := collectHandoff(w, e.Cfg.ContextDir)
	if err != nil {
		return readHandoffOut{}, "", err
	}
	out := readHandoffOut{WorkspaceID: w.ID, Root: w.Root, Files: h.files, FileCount: len(h.files), Preview: preview(h.text)}
	return out, h.text, nil
}

// handoffContext is what the context directory holds, rendered.
type handoffContext struct {
	files []string // workspace-relative paths shown
	text  string
}

// collectHandoff reads the handoff files through the guard. A missing file
// is skipped; an unreadable one (blocked, binary, a symlink out) says why.
func collectHandoff(w *workspace.Workspace, contextDir string) (handoffContext, error) {
	if contextDir == "" { // never read the workspace root as the context dir
		contextDir = bridge.DefaultContextDir
	}
	if _, _, err := w.Stat(contextDir); err != nil {
		if workspace.RuleOf(err) == workspace.RuleNotFound {
			return handoffContext{files: []string{}, text: fmt.Sprintf(noHandoffYetFormat, contextDir)}, nil
		}
		return handoffContext{}, err
	}
	h := handoffContext{files: []string{}}
	var parts []string
	for _, name := range bridge.HandoffReadFiles() {
		rel := bridge.Rel(contextDir, name)
		text, cut, err := readBounded(w, rel, handoffFileBytes)
		switch {
		case workspace.RuleOf(err) == workspace.RuleNotFound:
			continue
		case err != nil:
			parts = append(parts, fmt.Sprintf("--- %s ---\n[unreadable: %v]", rel, err))
		default:
			parts = append(parts, fmt.Sprintf("--- %s ---\n%s%s", rel, numberLines(text), cutMarker(cut, handoffFileBytes)))
		}
		h.files = append(h.files, rel)
	}
	if len(parts) == 0 {
		h.text = fmt.Sprintf("%s exists but holds none of the handoff files yet.", contextDir)
		return h, nil
	}
	h.text = strings.Join(parts, "\n\n")
	return h, nil
}

// readBounded reads at most max bytes of a text file through the guard; a
// longer file is cut (at a UTF-8 boundary) instead of refused, and the
// caller adds cutMarker.
func readBounded(w *workspace.Workspace, input string, max int64) (string, bool, error) {
	f, rel, err := w.OpenRegular(input)
	if err != nil {
		return "", false, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return "", false, fmt.Errorf("read %s: %w", rel, err)
	}
	if workspace.LooksBinary(data) {
		return "", false, &workspace.Refusal{Rule: workspace.RuleBinary, Path: rel}
	}
	if int64(len(data)) <= max {
		return string(data), false, nil
	}
	data = data[:max]
	for range utf8.UTFMax - 1 { // drop a rune the cut split in two
		if r, size := utf8.DecodeLastRune(data); r != utf8.RuneError || size != 1 {
			break
		}
		data = data[:len(data)-1]
	}
	return string(data), true, nil
}

// cutMarker ends a file that readBounded cut at max bytes.
func cutMarker(cut bool, max int64) string {
	if !cut {
		return ""
	}
	return "\n" + fmt.Sprintf(fileCutMarker, max)
}

// numberLines formats text as read does: "<n> | <line>".
func numberLines(text string) string {
	n := countLines([]byte(text))
	if n == 0 {
		return "(empty)"
	}
	return string(appendNumbered(nil, []byte(text), 1, n, redact.Judge(text)))
}

// preview is the first lines of a long text, for cards and summaries.
func preview(text string) string {
	lines := strings.SplitN(text, "\n", previewLines+1)
	cut := len(lines) > previewLines
	if cut {
		lines = lines[:previewLines]
	}
	p := strings.Join(lines, "\n")
	if len(p) > previewChars {
		p = strings.ToValidUTF8(p[:previewChars], "")
		cut = true
	}
	if cut {
		p += "\n" + previewCutMarker
	}
	return p
}

// ---- codex_context ----

type codexContextIn struct {
	toolkit.WorkspaceArg
	TargetPath      string `json:"target_path,omitempty" jsonschema:"File or directory the work is about; AGENTS files from the root down to it are included; default ."`
	IncludeAIBridge *bool  `json:"include_ai_bridge,omitempty" jsonschema:"Include the AI handoff context (.ai-bridge); default true"`
	IncludeGit      *bool  `json:"include_git,omitempty" jsonschema:"Include git status; default true"`
	IncludeDiff     bool   `json:"include_diff,omitempty" jsonschema:"Include git diff; default false"`
	MaxAgentBytes   int    `json:"max_agent_bytes,omitempty" jsonschema:"Byte budget for the AGENTS files together, 1000 to 200000 (and at most the server's read limit); default 60000"`
}

type codexContextOut struct {
	WorkspaceID       string   `json:"workspace_id"`
	Root              string   `json:"root"`
	TargetPath        string   `json:"target_path"`
	AgentsFiles       []string `json:"agents_files"`
	AIContextFiles    []string `json:"ai_context_files"`
	IncludedGitStatus bool     `json:"included_git_status"`
	IncludedGitDiff   bool     `json:"included_git_diff"`
	Preview           string   `json:"preview"`
}

// CodexContextTool gathers what a coding agent should know before working
// on a path: the AGENTS chain, the handoff context and git state.
func CodexContextTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "codex_context", Title: "Codex context", Kind: toolkit.ReadOnly, Sets: toolkit.Full,
		Description: "Gather the context for working on a path: every AGENTS.md (and AGENTS.override.md) from the " +
			"workspace root down to target_path, the AI handoff context, git status and optionally git diff.",
	}, codexContext)
}

func codexContext(ctx context.Context, e *toolkit.Env, in codexContextIn) (codexContextOut, string, error) {
	budget, err := intArg("max_agent_bytes", in.MaxAgentBytes, 60_000, 1000, 200_000)
	if err != nil {
		return codexContextOut{}, "", err
	}
	budget = min(budget, int(e.Cfg.MaxReadBytes))
	w := in.Workspace()
	target := in.TargetPath
	if target == "" {
		target = "."
	}
	rel, err := w.Resolve(target)
	if err != nil {
		return codexContextOut{}, "", err
	}
	out := codexContextOut{WorkspaceID: w.ID, Root: w.Root, TargetPath: rel, AIContextFiles: []string{}}
	text := []string{"# Codex Context", fmt.Sprintf("Workspace: %s\nTarget: %s\nModes: tool=%s, bash=%s, write=%s",
		w.Root, rel, e.Cfg.ToolMode, e.Cfg.BashMode, e.Cfg.WriteMode)}
	var agents string
	out.AgentsFiles, agents = agentsChain(w, rel, int64(budget))
	text = append(text, "## AGENTS Instructions\n\n"+agents)
	if boolArg(in.IncludeAIBridge, true) {
		h, err := collectHandoff(w, e.Cfg.ContextDir)
		if err != nil {
			return codexContextOut{}, "", err
		}
		out.AIContextFiles = h.files
		text = append(text, "## AI Bridge Context\n\n"+h.text)
	}
	text = append(text, gitSections(ctx, e, w, &out, boolArg(in.IncludeGit, true), in.IncludeDiff)...)
	all := strings.Join(text, "\n\n")
	out.Preview = preview(all)
	return out, all, nil
}

// agentsChain reads the AGENTS files of every directory from the root down
// to target's directory, within a byte budget for all of them.
func agentsChain(w *workspace.Workspace, target string, budget int64) ([]string, string) {
	files := []string{}
	var parts []string
	for _, dir := range chainDirs(w, target) {
		for _, rel := range agentsFiles(w, dir) {
			if budget <= 0 {
				parts = append(parts, fmt.Sprintf("### %s\n\n[skipped: max_agent_bytes reached]", rel))
				continue
			}
			text, cut, err := readBounded(w, rel, budget)
			if err != nil {
				parts = append(parts, fmt.Sprintf("### %s\n\n[unreadable: %v]", rel, err))
				continue
			}
			files = append(files, rel)
			parts = append(parts, fmt.Sprintf("### %s\n\n%s%s", rel, strings.TrimRight(text, "\n"), cutMarker(cut, budget)))
			budget -= int64(len(text))
		}
	}
	if len(parts) == 0 {
		return files, "No AGENTS.md files found."
	}
	return files, strings.Join(parts, "\n\n")
}

// chainDirs lists ".", then each directory down to target's. A target that
// is a file (or, when missing, looks like one: its name has a dot) counts
// as its parent directory.
func chainDirs(w *workspace.Workspace, target string) []string {
	dir := target
	if fi, _, err := w.Stat(target); err == nil {
		if !fi.IsDir() {
			dir = path.Dir(target)
		}
	} else if strings.Contains(path.Base(target), ".") {
		dir = path.Dir(target)
	}
	dirs := []string{"."}
	if dir == "." {
		return dirs
	}
	cur := ""
	for _, seg := range strings.Split(dir, "/") {
		cur = path.Join(cur, seg)
		dirs = append(dirs, cur)
	}
	return dirs
}

// gitSections renders the optional git parts of codex_context.
func gitSections(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, out *codexContextOut, status, diff bool) []string {
	var parts []string
	repo := gitRepo(e, w)
	if status {
		st, err := repo.Status(ctx, ".")
		body := st.Text()
		if err != nil {
			body = "git status unavailable: " + err.Error()
		}
		out.IncludedGitStatus = true
		parts = append(parts, "## Git Status\n\n```\n"+body+"\n```")
	}
	if diff {
		d, err := repo.Diff(ctx, ".", false, true)
		body := "```diff\n" + d.Text + "```"
		switch {
		case err != nil:
			body = "git diff unavailable: " + err.Error()
		case d.Text == "":
			body = "No unstaged changes."
		}
		out.IncludedGitDiff = true
		parts = append(parts, "## Git Diff\n\n"+body)
	}
	return parts
}
