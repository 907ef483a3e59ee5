package tools

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/gitx"
	"codexpro.dev/pkg/workspace"
)

type changesIn struct {
	toolkit.WorkspaceArg
	Path         string `json:"path,omitempty" jsonschema:"Limit to this file or directory; default: the whole workspace"`
	Staged       bool   `json:"staged,omitempty" jsonschema:"Review staged changes instead of the working tree (default false)"`
	IncludeDiff  *bool  `json:"include_diff,omitempty" jsonschema:"Return the diff text (default true)"`
	Since        string `json:"since,omitempty" jsonschema:"last_shown (default): say so when nothing changed since the last review in this session; workspace: always show everything"`
	MarkReviewed *bool  `json:"mark_reviewed,omitempty" jsonschema:"Remember this state as reviewed (default true)"`
}

type changesOut struct {
	WorkspaceID   string   `json:"workspace_id"`
	Root          string   `json:"root"`
	Path          string   `json:"path"`
	Status        string   `json:"status"`
	StatusError   string   `json:"status_error,omitempty"`
	DiffError     string   `json:"diff_error,omitempty"`
	ChangedFiles  []string `json:"changed_files"`
	Staged        bool     `json:"staged"`
	IncludeDiff   bool     `json:"include_diff"`
	Additions     int      `json:"additions"`
	Deletions     int      `json:"deletions"`
	Changed       bool     `json:"changed"`
	Diff          string   `json:"diff"`
	ReviewSince   string   `json:"review_since"`
	ReviewMarked  bool     `json:"review_marked"`
	CheckpointHit bool     `json:"review_checkpoint_hit"`
	Truncated     bool     `json:"truncated"`

	Analysis *changeImpact `json:"analysis,omitempty"`
	paths    []string      // changed paths, for the impact analysis
}

// maxUntrackedPreview bounds the content of one new (untracked) file shown
// as an added-file diff, so a reviewer sees what it holds, not only its name.
const maxUntrackedPreview = 64 << 10

// ShowChangesTool reviews the workspace's changes once: a second call with
// nothing new says so instead of repeating the same diff.
func ShowChangesTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "show_changes", Title: "Show changes", Kind: toolkit.ReadOnly, Sets: toolkit.AllSets,
		Description: "Review what changed in the workspace: git status, the diff, and new files' content. By default a " +
			"second call in the same session reports only whether anything changed since the last review. Blocked files never appear.",
	}, showChanges)
}

func showChanges(ctx context.Context, e *toolkit.Env, in changesIn) (changesOut, string, error) {
	since := in.Since
	if since == "" {
		since = "last_shown"
	}
	if since != "last_shown" && since != "workspace" {
		return changesOut{}, "", toolkit.UserErrorf("since must be last_shown or workspace, got %q.", since)
	}
	w := in.Workspace()
	rel, err := gitPathArg(w, in.Path)
	if err != nil {
		return changesOut{}, "", err
	}
	out := changesOut{WorkspaceID: w.ID, Root: w.Root, Path: displayGitPath(in.Path, rel), Staged: in.Staged,
		IncludeDiff: boolArg(in.IncludeDiff, true), ReviewSince: since, ChangedFiles: []string{}}
	if err := collectChanges(ctx, e, w, rel, &out); err != nil {
		return changesOut{}, "", err
	}
	key := strings.Join([]string{toolkit.SessionID(ctx), w.ID, rel, fmt.Sprint(in.Staged)}, "\x00")
	fp := fingerprint(out)
	marks := reviewMarks(e)
	if since == "last_shown" && out.IncludeDiff && marks.Seen(key, fp) {
		out = changesOut{WorkspaceID: w.ID, Root: w.Root, Path: out.Path, Staged: in.Staged, IncludeDiff: true,
			ReviewSince: since, CheckpointHit: true, ChangedFiles: []string{}}
		return out, "No changes since last shown review.", nil
	}
	if boolArg(in.MarkReviewed, true) && out.IncludeDiff {
		marks.Mark(key, fp)
		out.ReviewMarked = true
	}
	text := changesText(out)
	if e.Cfg.Analysis && len(out.paths) > 0 {
		if a, err := assessImpact(ctx, e, w, out.paths); err == nil {
			out.Analysis = a
			text += "\n\n" + impactText(a)
		}
	}
	return out, text, nil
}

func collectChanges(ctx context.Context, e *toolkit.Env, w *workspace.Workspace, rel string, out *changesOut) error {
	repo := gitRepo(e, w)
	repo.AllUntracked = true // each new file is shown, not just its directory
	st, err := repo.Status(ctx, rel)
	if msg, err := gitProblem(err); err != nil {
		return err
	} else if msg != "" {
		out.StatusError = msg
		return nil
	}
	out.Status, out.ChangedFiles = st.Text(), st.Lines()
	for _, en := range st.Entries {
		out.paths = append(out.paths, strings.TrimSuffix(en.Path, "/"))
	}
	d, err := repo.Diff(ctx, rel, out.Staged, out.IncludeDiff)
	if msg, err := gitProblem(err); err != nil {
		return err
	} else if msg != "" {
		out.DiffError = msg
	}
	out.Diff, out.Additions, out.Deletions, out.Truncated = redactDiff(ctx, e, w, out.Staged, d.Text), d.Additions, d.Deletions, d.Truncated
	if !out.Staged {
		addUntracked(w, st, out, e.Cfg.MaxOutputBytes)
	}
	out.Changed = len(out.ChangedFiles) > 0
	return nil
}

// addUntracked shows new files as added-file diffs, within the output cap.
func addUntracked(w *workspace.Workspace, st gitx.Status, out *changesOut, budget int64) {
	for _, en := range st.Entries {
		if en.XY != "??" || strings.HasSuffix(en.Path, "/") {
			continue
		}
		data, _, err := w.ReadFile(en.Path, maxUntrackedPreview)
		if err != nil {
			continue
		}
		d, adds, _ := unifiedDiff(en.Path, "", string(data))
		out.Additions += adds
		if out.IncludeDiff && int64(len(out.Diff)+len(d)) <= budget {
			out.Diff += d
		}
	}
}

func fingerprint(o changesOut) string {
	sum := sha256.Sum256([]byte(o.Status + "\x00" + o.Diff + "\x00" + strings.Join(o.ChangedFiles, "\n")))
	return hex.EncodeToString(sum[:])
}

func changesText(o changesOut) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Changes\n\nPath: %s\nChanged files: %d (+%d -%d)\n", o.Path, len(o.ChangedFiles), o.Additions, o.Deletions)
	if o.StatusError != "" {
		b.WriteString("\n" + o.StatusError)
		return b.String()
	}
	if o.Status != "" {
		fmt.Fprintf(&b, "\n```\n%s\n```\n", o.Status)
	}
	if o.IncludeDiff && o.Diff != "" {
		fmt.Fprintf(&b, "\n```diff\n%s\n```", o.Diff)
	}
	return b.String()
}

// reviewMarks is the configured store, or the in-memory one.
func reviewMarks(e *toolkit.Env) toolkit.ReviewMarks {
	if e.Marks != nil {
		return e.Marks
	}
	return toolkit.State[reviews](e)
}

// reviews is the in-memory ReviewMarks, bounded like the selections.
type reviews struct {
	mu sync.Mutex
	m  map[string]string
}

func (r *reviews) Seen(key, fp string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[key] == fp
}

func (r *reviews) Mark(key, fp string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil || len(r.m) >= toolkit.MaxSelections {
		r.m = map[string]string{}
	}
	r.m[key] = fp
}
