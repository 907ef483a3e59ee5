package tools

import (
	"context"
	"errors"
	"fmt"
	"path"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/gitx"
	"codexpro.dev/pkg/workspace"
)

type gitStatusIn struct {
	toolkit.WorkspaceArg
	Path string `json:"path,omitempty" jsonschema:"Limit the status to this file or directory (relative to the workspace root); default: the whole workspace"`
}

type gitStatusOut struct {
	WorkspaceID  string   `json:"workspace_id"`
	Root         string   `json:"root"`
	Path         string   `json:"path"`
	Status       string   `json:"status"`
	StatusError  string   `json:"status_error,omitempty"`
	ChangedFiles []string `json:"changed_files"`
	Changed      bool     `json:"changed"`
	Truncated    bool     `json:"truncated"`
}

// GitStatusTool is `git status --short --branch` for the workspace only:
// blocked files and, in a nested workspace, the enclosing repository's
// other files never appear.
func GitStatusTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "git_status", Title: "Git status", Kind: toolkit.ReadOnly, Sets: toolkit.Full,
		Description: "Show `git status --short --branch` for the workspace (or one path in it). Paths are relative to " +
			"the workspace; blocked files (.env, keys, …) and files outside the workspace are never listed. " +
			"A workspace that is not in a git repository gives status_error instead of failing.",
	}, gitStatus)
}

func gitStatus(ctx context.Context, e *toolkit.Env, in gitStatusIn) (gitStatusOut, string, error) {
	w := in.Workspace()
	rel, err := gitPathArg(w, in.Path)
	if err != nil {
		return gitStatusOut{}, "", err
	}
	out := gitStatusOut{WorkspaceID: w.ID, Root: w.Root, Path: displayGitPath(in.Path, rel), ChangedFiles: []string{}}
	st, err := gitRepo(e, w).Status(ctx, rel)
	if msg, err := gitProblem(err); err != nil {
		return gitStatusOut{}, "", err
	} else if msg != "" {
		out.Status, out.StatusError = msg, msg
		return out, fmt.Sprintf("# Git Status\n\nPath: %s\n\n%s", out.Path, msg), nil
	}
	out.Status, out.ChangedFiles, out.Truncated = st.Text(), st.Lines(), st.Truncated
	out.Changed = len(out.ChangedFiles) > 0
	return out, fmt.Sprintf("# Git Status\n\nPath: %s\n\n```\n%s\n```", out.Path, out.Status), nil
}

type gitDiffIn struct {
	toolkit.WorkspaceArg
	Path        string `json:"path,omitempty" jsonschema:"Limit the diff to this file or directory (relative to the workspace root); default: the whole workspace"`
	Staged      bool   `json:"staged,omitempty" jsonschema:"Show staged changes (git diff --staged) instead of unstaged ones; default false"`
	IncludeDiff *bool  `json:"include_diff,omitempty" jsonschema:"Return the unified diff text; false returns only the file list and line counts; default true"`
}

type gitDiffOut struct {
	WorkspaceID  string   `json:"workspace_id"`
	Root         string   `json:"root"`
	Path         string   `json:"path"`
	Staged       bool     `json:"staged"`
	IncludeDiff  bool     `json:"include_diff"`
	DiffError    string   `json:"diff_error,omitempty"`
	ChangedFiles []string `json:"changed_files"`
	Additions    int      `json:"additions"`
	Deletions    int      `json:"deletions"`
	Changed      bool     `json:"changed"`
	Diff         string   `json:"diff"`
	Truncated    bool     `json:"truncated"`
}

// GitDiffTool is `git diff` for the workspace only. Line counts come from
// git's numstat, so they stay exact when the text is cut at the output cap.
func GitDiffTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "git_diff", Title: "Git diff", Kind: toolkit.ReadOnly, Sets: toolkit.Full,
		Description: "Show `git diff` (or `git diff --staged`) for the workspace or one path in it, with added/deleted " +
			"line counts. Blocked files and files outside the workspace are never shown; a diff larger than the " +
			"output limit is cut with a marker. A workspace that is not in a git repository gives diff_error.",
	}, gitDiff)
}

func gitDiff(ctx context.Context, e *toolkit.Env, in gitDiffIn) (gitDiffOut, string, error) {
	w := in.Workspace()
	rel, err := gitPathArg(w, in.Path)
	if err != nil {
		return gitDiffOut{}, "", err
	}
	out := gitDiffOut{WorkspaceID: w.ID, Root: w.Root, Path: displayGitPath(in.Path, rel), Staged: in.Staged,
		IncludeDiff: boolArg(in.IncludeDiff, true), ChangedFiles: []string{}}
	d, err := gitRepo(e, w).Diff(ctx, rel, in.Staged, out.IncludeDiff)
	if msg, err := gitProblem(err); err != nil {
		return gitDiffOut{}, "", err
	} else if msg != "" {
		out.Diff, out.DiffError = msg, msg
		return out, fmt.Sprintf("# Git Diff\n\nPath: %s\n\n%s", out.Path, msg), nil
	}
	out.Diff, out.Truncated, out.Additions, out.Deletions = redactDiff(ctx, e, w, in.Staged, d.Text), d.Truncated, d.Additions, d.Deletions
	if d.Files != nil {
		out.ChangedFiles = d.Files
	}
	out.Changed = len(d.Files) > 0
	text := fmt.Sprintf("# Git Diff\n\nPath: %s\nStaged: %v\nChanged files: %d (+%d -%d)\n\n", out.Path, out.Staged,
		len(out.ChangedFiles), out.Additions, out.Deletions)
	switch {
	case !out.IncludeDiff:
		text += "Raw diff omitted by include_diff=false."
	case !out.Changed:
		text += "No changes."
	default:
		text += "```diff\n" + out.Diff + "```"
	}
	return out, text, nil
}

// gitRepo pins git to w: blocked globs become exclude pathspecs and the
// workspace's blocklist (defaults plus CODEXPRO_BLOCKED_GLOBS) filters the
// output again.
func gitRepo(e *toolkit.Env, w *workspace.Workspace) *gitx.Repo {
	return &gitx.Repo{
		Dir:     w.Root,
		Exclude: w.Blocklist().Globs(),
		Blocked: func(rel string) bool {
			_, blocked := w.Blocked(rel)
			return blocked || workspace.IsTempName(path.Base(rel))
		},
		MaxOutput: int(e.Cfg.MaxOutputBytes),
	}
}

// gitPathArg runs a path argument through the guard; "" is the workspace.
func gitPathArg(w *workspace.Workspace, input string) (string, error) {
	if input == "" {
		return ".", nil
	}
	return w.Resolve(input)
}

func displayGitPath(input, rel string) string {
	if input == "" {
		return "workspace status"
	}
	return rel
}

// gitProblem splits gitx errors. Only "not a git repository" is an answer,
// reported in the result (msg); git failing, timing out or being stopped
// fails the call (err), so it can never read as a clean tree, and so does a
// refused argument.
func gitProblem(err error) (msg string, fatal error) {
	var re *gitx.RunError
	var pe *gitx.PathError
	switch {
	case err == nil:
		return "", nil
	case gitx.NotRepository(err) && errors.As(err, &re):
		return re.Msg, nil
	case errors.As(err, &re):
		return "", fmt.Errorf("git gave no answer, so the change state is unknown: %s", re.Msg)
	case errors.As(err, &pe):
		return "", toolkit.UserErrorf("%s", pe.Error())
	}
	return "", err
}

// boolArg reads an optional boolean argument.
func boolArg(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}
