package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"codexpro.dev/mcpd/skills"
	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

// ---- server_config ----

type serverConfigIn struct{}

// serverConfigOut is the public settings plus the advertised tool list; its
// keys come from the configuration, so it is a map.
type serverConfigOut map[string]any

// ServerConfigTool shows the effective settings (never the token) and the
// tools this server advertises.
func ServerConfigTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "server_config", Title: "Server config", Kind: toolkit.ReadOnly, Sets: toolkit.AllSets,
		Description: "Show CodexPro's effective settings (roots, modes, limits, blocked globs; never the token) and " +
			"the tools this server advertises.",
	}, serverConfig)
}

func serverConfig(_ context.Context, e *toolkit.Env, _ serverConfigIn) (serverConfigOut, string, error) {
	out := serverConfigOut{}
	for k, v := range e.Cfg.Public {
		out[k] = v
	}
	names := toolkit.Names(All().Visible(e.Cfg))
	out["registeredTools"], out["registeredToolCount"] = names, len(names)
	raw, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, "", fmt.Errorf("server_config: %w", err)
	}
	return out, "# CodexPro Server Config\n\n" + string(raw), nil
}

// ---- workspace summaries (open_current_workspace, open_workspace, workspace_snapshot) ----

// skillEntry is a discovered skill (mcpd/skills); skillCounts counts them by source.
type skillEntry = skills.Skill

type skillCounts struct {
	Total     int `json:"total"`
	Workspace int `json:"workspace"`
	User      int `json:"user"`
	Plugin    int `json:"plugin"`
	Other     int `json:"other"`
}

// workspaceSummary is what every summary tool returns.
type workspaceSummary struct {
	WorkspaceID    string       `json:"workspace_id"`
	Root           string       `json:"root"`
	AgentsLoaded   bool         `json:"agents_loaded"`
	AgentsPath     string       `json:"agents_path"`
	Skills         []string     `json:"skills"`
	SkillInventory []skillEntry `json:"skill_inventory"`
	SkillCounts    skillCounts  `json:"skill_counts"`
	Tree           string       `json:"tree"`
	GitStatus      string       `json:"git_status"`
	BashMode       string       `json:"bash_mode"`
	WriteMode      string       `json:"write_mode"`
	ToolMode       string       `json:"tool_mode"`
}

type workspaceOut struct {
	workspaceSummary
	SelectedWorkspaceID string `json:"selected_workspace_id"`
}

// skillArgs are the skill-listing arguments of the summary tools.
type skillArgs struct {
	IncludeSkills       bool `json:"include_skills,omitempty" jsonschema:"List the workspace's agent skills; default false"`
	IncludeGlobalSkills bool `json:"include_global_skills,omitempty" jsonschema:"Also list the user's global skills; default false"`
}

// summaryOptions are the arguments every summary tool shares.
type summaryOptions struct {
	tree, skills, global bool
	depth, files         int
}

// summarize builds the `# Workspace` text and structured fields. It reads
// only through the guard and git; it never creates the context directory.
func summarize(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, o summaryOptions) (workspaceSummary, []string) {
	out := workspaceSummary{WorkspaceID: w.ID, Root: w.Root, Skills: []string{}, SkillInventory: []skillEntry{},
		BashMode: e.Cfg.BashMode, WriteMode: e.Cfg.WriteMode, ToolMode: e.Cfg.ToolMode}
	agents := "AGENTS.md: none loaded"
	if found := agentsFiles(w, "."); len(found) > 0 {
		out.AgentsLoaded, out.AgentsPath = true, found[0]
		agents = fmt.Sprintf("AGENTS.md: %s (read this file before editing or making project decisions).", found[0])
	}
	skills := "Skills: not listed (pass include_skills=true to list them)."
	if o.skills {
		skills = summarizeSkills(e, w, o.global, &out)
	}
	repo := gitRepo(e, w)
	status, err := repo.Status(ctx, ".")
	if out.GitStatus = status.Text(); err != nil {
		out.GitStatus = "git status unavailable: " + err.Error()
	}
	commits, err := repo.Log(ctx, 5)
	if err != nil {
		commits = "git log unavailable: " + err.Error()
	}
	text := []string{
		"# Workspace",
		fmt.Sprintf("ID: %s\nRoot: %s\nModes: bash=%s, write=%s, tool=%s\n%s\n%s",
			w.ID, w.Root, out.BashMode, out.WriteMode, out.ToolMode, agents, skills),
		"## Git status\n\n```\n" + out.GitStatus + "\n```",
		"## Recent commits\n\n```\n" + commits + "\n```",
	}
	if o.tree {
		t, err := Tree(w, ".", TreeOptions{MaxDepth: o.depth, MaxEntries: o.files})
		if out.Tree = t.Text; err != nil {
			out.Tree = "tree unavailable: " + err.Error()
		}
		text = append(text, "## Files\n\n```\n"+out.Tree+"\n```")
	}
	return out, text
}

// ---- open_current_workspace ----

type openCurrentIn struct {
	IncludeTree bool `json:"include_tree,omitempty" jsonschema:"Include a file tree (blocked and hidden entries left out); default false"`
	MaxDepth    int  `json:"max_depth,omitempty" jsonschema:"Tree depth, 1 to 8; default 2"`
	skillArgs
}

// OpenCurrentWorkspaceTool selects the default workspace for the session
// and summarizes it.
func OpenCurrentWorkspaceTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "open_current_workspace", Title: "Open current workspace", Kind: toolkit.SessionRead, Sets: toolkit.AllSets,
		Description: "Start here: select the default workspace for this session and show its id, modes, AGENTS.md " +
			"(read it before editing), git status and recent commits, and optionally a file tree.",
	}, openCurrent)
}

func openCurrent(ctx context.Context, e *toolkit.Env, in openCurrentIn) (workspaceOut, string, error) {
	depth, err := intArg("max_depth", in.MaxDepth, 2, 1, 8)
	if err != nil {
		return workspaceOut{}, "", err
	}
	w, err := e.Roots.Default()
	if err != nil {
		return workspaceOut{}, "", err
	}
	return openAndSummarize(ctx, e, w, summaryOptions{tree: in.IncludeTree, skills: in.IncludeSkills, global: in.IncludeGlobalSkills, depth: depth, files: 500})
}

func openAndSummarize(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, o summaryOptions) (workspaceOut, string, error) {
	e.Select(ctx, w)
	toolkit.State[openedLog](e).note(w)
	s, text := summarize(ctx, e, w, o)
	out := workspaceOut{workspaceSummary: s, SelectedWorkspaceID: e.Selected(ctx)}
	if out.SelectedWorkspaceID == "" {
		text = append(text[:2], append([]string{fmt.Sprintf(
			"This client has no MCP session, so the selection is not remembered: pass workspace_id=%s to later calls.", w.ID)},
			text[2:]...)...)
	}
	return out, strings.Join(text, "\n\n"), nil
}

// ---- open_workspace ----

type openWorkspaceIn struct {
	Root        string `json:"root,omitempty" jsonschema:"Directory to open: absolute, ~/..., or relative to the default workspace; must be inside an allowed root; default: the default workspace"`
	Path        string `json:"path,omitempty" jsonschema:"Alias of root; if both are given they must match"`
	IncludeTree *bool  `json:"include_tree,omitempty" jsonschema:"Include a file tree (blocked and hidden entries left out); default true"`
	MaxDepth    int    `json:"max_depth,omitempty" jsonschema:"Tree depth, 1 to 8; default 3"`
	MaxFiles    int    `json:"max_files,omitempty" jsonschema:"Tree entries, 1 to 3000; default 500"`
	skillArgs
	BootstrapContext bool `json:"bootstrap_context,omitempty" jsonschema:"Deprecated and ignored"`
}

// OpenWorkspaceTool selects another directory inside the allowed roots.
func OpenWorkspaceTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "open_workspace", Title: "Open workspace", Kind: toolkit.SessionRead, Sets: toolkit.AllSets,
		Description: "Select a workspace for this session: any directory inside the allowed roots (see server_config). " +
			"Returns its id, modes, AGENTS.md, git status, recent commits and a file tree.",
	}, openWorkspace)
}

func openWorkspace(ctx context.Context, e *toolkit.Env, in openWorkspaceIn) (workspaceOut, string, error) {
	root, err := rootArg(in.Root, in.Path)
	if err != nil {
		return workspaceOut{}, "", err
	}
	depth, err := intArg("max_depth", in.MaxDepth, 3, 1, 8)
	if err != nil {
		return workspaceOut{}, "", err
	}
	files, err := intArg("max_files", in.MaxFiles, 500, 1, 3000)
	if err != nil {
		return workspaceOut{}, "", err
	}
	w, err := openRoot(e, root)
	if err != nil {
		return workspaceOut{}, "", err
	}
	return openAndSummarize(ctx, e, w, summaryOptions{tree: boolArg(in.IncludeTree, true), skills: in.IncludeSkills, global: in.IncludeGlobalSkills, depth: depth, files: files})
}

func rootArg(root, alias string) (string, error) {
	root, alias = strings.TrimSpace(root), strings.TrimSpace(alias)
	if root != "" && alias != "" && root != alias {
		return "", toolkit.UserErrorf("open_workspace accepts either root or path. If both are provided, they must match.")
	}
	if root == "" {
		return alias, nil
	}
	return root, nil
}

// openRoot opens dir unless it is, or lies inside, a blocked directory of
// its allowed root: a workspace rooted at .git or node_modules would make
// their contents ordinary workspace files. The check runs before opening
// (an opened workspace stays reachable by id) and again on the real root.
func openRoot(e *toolkit.Env, dir string) (*workspace.Workspace, error) {
	if err := refuseBlockedRoot(e, expectedRoot(e, dir)); err != nil {
		return nil, err
	}
	w, err := e.Roots.Open(dir)
	if err != nil {
		if workspace.RuleOf(err) != "" {
			return nil, err
		}
		return nil, toolkit.UserErrorf("Cannot open workspace root %s: %v", dir, err)
	}
	if err := refuseBlockedRoot(e, w.Root); err != nil {
		return nil, err
	}
	return w, nil
}

// expectedRoot resolves dir the way Roots.Open does; "" if it cannot.
func expectedRoot(e *toolkit.Env, dir string) string {
	roots := e.Roots.List()
	switch {
	case dir == "":
		return roots[0]
	case dir == "~" || strings.HasPrefix(dir, "~/"):
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, strings.TrimPrefix(dir, "~"))
	case !filepath.IsAbs(dir):
		dir = filepath.Join(roots[0], dir)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return ""
	}
	return real
}

func refuseBlockedRoot(e *toolkit.Env, real string) error {
	if real == "" {
		return nil
	}
	def, err := e.Roots.Default()
	if err != nil {
		return err
	}
	for _, allowed := range e.Roots.List() {
		rel, err := filepath.Rel(allowed, real)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		if g, blocked := def.Blocked(filepath.ToSlash(rel)); blocked {
			return &workspace.Refusal{Rule: workspace.RuleBlocked, Path: real,
				Detail: fmt.Sprintf("a workspace root may not be a blocked directory (matches %q under allowed root %s)", g, allowed)}
		}
	}
	return nil
}

// ---- workspace_snapshot ----

type snapshotIn struct {
	toolkit.WorkspaceArg
	MaxDepth int `json:"max_depth,omitempty" jsonschema:"Tree depth, 1 to 8; default 3"`
	MaxFiles int `json:"max_files,omitempty" jsonschema:"Tree entries, 1 to 3000; default 500"`
	skillArgs
}

type snapshotOut struct {
	workspaceSummary
	AIContextFiles []string `json:"ai_context_files"`
}

// WorkspaceSnapshotTool is the workspace summary plus the handoff context,
// without changing the session's selection.
func WorkspaceSnapshotTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "workspace_snapshot", Title: "Workspace snapshot", Kind: toolkit.ReadOnly, Sets: toolkit.Full,
		Description: "Summarize a workspace without selecting it: id, modes, AGENTS.md, git status, recent commits, " +
			"file tree and the AI handoff context (.ai-bridge).",
	}, workspaceSnapshot)
}

func workspaceSnapshot(ctx context.Context, e *toolkit.Env, in snapshotIn) (snapshotOut, string, error) {
	depth, err := intArg("max_depth", in.MaxDepth, 3, 1, 8)
	if err != nil {
		return snapshotOut{}, "", err
	}
	files, err := intArg("max_files", in.MaxFiles, 500, 1, 3000)
	if err != nil {
		return snapshotOut{}, "", err
	}
	w := in.Workspace()
	h, err := collectHandoff(w, e.Cfg.ContextDir)
	if err != nil {
		return snapshotOut{}, "", err
	}
	s, text := summarize(ctx, e, w, summaryOptions{tree: true, skills: in.IncludeSkills, global: in.IncludeGlobalSkills, depth: depth, files: files})
	out := snapshotOut{workspaceSummary: s, AIContextFiles: h.files}
	text = append(text, "## AI handoff context\n\n"+h.text)
	return out, strings.Join(text, "\n\n"), nil
}

// ---- list_workspaces ----

type listWorkspacesIn struct{}

type workspaceEntry struct {
	ID       string `json:"id"`
	Root     string `json:"root"`
	OpenedAt string `json:"openedAt,omitempty"`
}

type listWorkspacesOut struct {
	Workspaces          []workspaceEntry `json:"workspaces"`
	Count               int              `json:"count"`
	SelectedWorkspaceID string           `json:"selected_workspace_id"`
}

// ListWorkspacesTool lists the allowed roots and the workspaces opened in
// this process, marking the session's selection.
func ListWorkspacesTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "list_workspaces", Title: "List workspaces", Kind: toolkit.ReadOnly, Sets: toolkit.Full,
		Description: "List the allowed roots and the workspaces opened so far, with their ids; marks the one selected " +
			"for this session (the default workspace if none was).",
	}, listWorkspaces)
}

func listWorkspaces(ctx context.Context, e *toolkit.Env, _ listWorkspacesIn) (listWorkspacesOut, string, error) {
	selected := e.Selected(ctx)
	if selected == "" {
		w, err := e.Roots.Default()
		if err != nil {
			return listWorkspacesOut{}, "", err
		}
		e.Select(ctx, w)
		toolkit.State[openedLog](e).note(w)
		selected = w.ID
	}
	out := listWorkspacesOut{Workspaces: toolkit.State[openedLog](e).list(e.Roots.List()), SelectedWorkspaceID: selected}
	out.Count = len(out.Workspaces)
	lines := []string{"# Workspaces", ""}
	for _, ws := range out.Workspaces {
		l := fmt.Sprintf("- %s — %s", ws.ID, ws.Root)
		if ws.ID == selected {
			l += " (selected)"
		}
		if ws.OpenedAt != "" {
			l += " (opened " + ws.OpenedAt + ")"
		}
		lines = append(lines, l)
	}
	return out, strings.Join(lines, "\n"), nil
}

// openedLog remembers when each workspace was first opened in this process,
// for list_workspaces. It is bounded like the session selections.
type openedLog struct {
	mu sync.Mutex
	m  map[string]workspaceEntry
}

func (o *openedLog) note(w *workspace.Workspace) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]workspaceEntry{}
	}
	if _, ok := o.m[w.ID]; ok || len(o.m) >= toolkit.MaxSelections {
		return
	}
	o.m[w.ID] = workspaceEntry{ID: w.ID, Root: w.Root, OpenedAt: time.Now().UTC().Format(time.RFC3339)}
}

// list returns the allowed roots first (in their order), then the other
// opened workspaces by root.
func (o *openedLog) list(allowed []string) []workspaceEntry {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []workspaceEntry
	seen := map[string]bool{}
	for _, root := range allowed {
		id := workspace.ID(root)
		ent, ok := o.m[id]
		if !ok {
			ent = workspaceEntry{ID: id, Root: root}
		}
		out, seen[id] = append(out, ent), true
	}
	var rest []workspaceEntry
	for id, ent := range o.m {
		if !seen[id] {
			rest = append(rest, ent)
		}
	}
	slices.SortFunc(rest, func(a, b workspaceEntry) int { return strings.Compare(a.Root, b.Root) })
	return append(out, rest...)
}

// summarizeSkills fills a workspace summary's skill fields (open_workspace,
// open_current_workspace and workspace_snapshot with include_skills) and
// returns its one-line text.
func summarizeSkills(e *toolkit.Env, w *workspace.Workspace, global bool, out *workspaceSummary) string {
	all, _ := skills.Discover(w, skillDirs(e), global, skills.DefaultLimit)
	for _, s := range skills.Active(all) {
		out.Skills = append(out.Skills, s.Name)
		out.SkillInventory = append(out.SkillInventory, s)
		out.SkillCounts.Total++
		switch s.Source {
		case "workspace":
			out.SkillCounts.Workspace++
		case "user":
			out.SkillCounts.User++
		case "plugin":
			out.SkillCounts.Plugin++
		default:
			out.SkillCounts.Other++
		}
	}
	if len(out.Skills) == 0 {
		return "Skills: none found."
	}
	return fmt.Sprintf("Skills (%d; load one with load_skill): %s", len(out.Skills), strings.Join(out.Skills, ", "))
}

// ---- AGENTS.md discovery ----

// agentsNames are the instruction files agents read, in precedence order.
var agentsNames = []string{"AGENTS.override.md", "AGENTS.md", "agents.md", ".agents.md"}

// agentsFiles finds the instruction files in one directory: for each name
// an exact match first, then a case-insensitive one; blocked files, links
// out of the workspace and non-files are skipped; one file per real path
// (compared case-insensitively).
func agentsFiles(w *workspace.Workspace, dir string) []string {
	entries, _, err := w.ReadDir(dir)
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(entries))
	for _, ent := range entries {
		names = append(names, ent.Name())
	}
	slices.Sort(names)
	var out []string
	seen := map[string]bool{}
	for _, want := range agentsNames {
		name := want
		if !slices.Contains(names, want) {
			i := slices.IndexFunc(names, func(n string) bool { return strings.EqualFold(n, want) })
			if i < 0 {
				continue
			}
			name = names[i]
		}
		fi, rel, err := w.Stat(path.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() || seen[strings.ToLower(rel)] {
			continue
		}
		seen[strings.ToLower(rel)] = true
		out = append(out, rel)
	}
	return out
}
