package tools

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

type patchIn struct {
	toolkit.WorkspaceArg
	Patch string `json:"patch" jsonschema:"A unified diff (git diff format): new, modified, deleted and renamed text files"`
}

type patchOut struct {
	WorkspaceID string   `json:"workspace_id"`
	Root        string   `json:"root"`
	Paths       []string `json:"paths"`
	Additions   int      `json:"additions"`
	Deletions   int      `json:"deletions"`
	Changed     bool     `json:"changed"`
	Diff        string   `json:"diff"`
}

// PatchTool applies a unified diff in-process. The patch is parsed once and
// only what the parser understood is applied, so every path it touches
// (old and new names, renames, copies, header-only sections) goes through the
// guard before anything is written. Binary and symlink patches are refused.
func PatchTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "apply_patch", Title: "Apply patch", Kind: toolkit.LocalWrite, Sets: toolkit.AllSets, Traits: toolkit.Card,
		Description: "Apply a unified diff (git format) to text files in the workspace: edits, new files, deletions, renames. " +
			"All hunks are checked before any file is written. Binary patches, symlinks and blocked paths are refused.",
	}, applyPatch)
}

// change is one file's outcome, computed before anything is written.
type change struct {
	from, to string // resolved paths; from=="" for a new file, to=="" for a deletion
	content  []byte
	before   string // what the produced path held (or the deleted file's content)
	keepFrom bool   // a copy leaves its source in place
}

func applyPatch(ctx context.Context, e *toolkit.Env, in patchIn) (patchOut, string, error) {
	if strings.TrimSpace(in.Patch) == "" {
		return patchOut{}, "", toolkit.UserErrorf("patch is required.")
	}
	if int64(len(in.Patch)) > e.Cfg.MaxWriteBytes {
		return patchOut{}, "", toolkit.UserErrorf("Patch is too large (%d bytes). Limit: %d bytes.", len(in.Patch), e.Cfg.MaxWriteBytes)
	}
	w := in.Workspace()
	files, err := parsePatch(in.Patch)
	if err != nil {
		return patchOut{}, "", err
	}
	paths, err := guardPatchPaths(e, w, files)
	if err != nil {
		return patchOut{}, "", err
	}
	unlock := w.Lock(paths...)
	defer unlock()
	if err := checkPatchSize(e.Cfg.MaxWriteBytes, w, files); err != nil {
		return patchOut{}, "", err
	}
	changes, err := computeChanges(e, w, files)
	if err != nil {
		return patchOut{}, "", err
	}
	if err := commitChanges(w, changes); err != nil {
		return patchOut{}, "", err
	}
	out := patchOut{WorkspaceID: w.ID, Root: w.Root, Paths: paths, Changed: true, Diff: changesDiff(changes)}
	out.Additions, out.Deletions = countPatchLines(files)
	return out, fmt.Sprintf("Applied patch to %d path(s): %s (+%d -%d)", len(paths), strings.Join(paths, ", "), out.Additions, out.Deletions), nil
}

func parsePatch(text string) ([]*gitdiff.File, error) {
	files, _, err := gitdiff.Parse(strings.NewReader(text))
	if err != nil {
		return nil, toolkit.UserErrorf("Patch could not be parsed: %v", err)
	}
	if len(files) == 0 {
		return nil, toolkit.UserErrorf("Patch must include at least one file path.")
	}
	if err := stripTraditional(text, files); err != nil {
		return nil, err
	}
	for _, f := range files {
		insertAfter(f)
		if f.IsBinary {
			return nil, toolkit.UserErrorf("Binary patches are blocked from apply_patch: %s", patchName(f))
		}
		if f.OldMode&os.ModeSymlink != 0 || f.NewMode&os.ModeSymlink != 0 || f.OldMode == 0o120000 || f.NewMode == 0o120000 {
			return nil, toolkit.UserErrorf("Symlink patches are blocked from apply_patch: %s", patchName(f))
		}
	}
	return files, nil
}

// insertAfter gives zero-context insertions git's meaning: in "@@ -3,0
// +4,2 @@" the old range is empty and 3 is the line the new lines follow.
// The parser's applier takes the position as the first line of the old
// range, which would insert them one line too early.
func insertAfter(f *gitdiff.File) {
	for _, fr := range f.TextFragments {
		if fr.OldLines == 0 && fr.OldPosition > 0 {
			fr.OldPosition++
		}
	}
}

// stripTraditional gives plain unified diffs (no "diff --git" headers) the
// -p1 treatment git apply gives them: "--- a/x" names x. Git-format headers
// are already stripped by the parser. Absolute names are refused outright.
func stripTraditional(text string, files []*gitdiff.File) error {
	headers := strings.Count("\n"+text, "\ndiff --git ")
	if headers != 0 && headers != len(files) {
		return toolkit.UserErrorf("Patch mixes git-format and plain unified-diff sections; send one format.")
	}
	for _, f := range files {
		for _, name := range []*string{&f.OldName, &f.NewName} {
			if strings.HasPrefix(*name, "/") {
				return toolkit.UserErrorf("Path escapes workspace root: %s (absolute paths are not allowed in patches)", *name)
			}
			if headers == 0 && *name != "" {
				_, rest, ok := strings.Cut(*name, "/")
				if !ok {
					return toolkit.UserErrorf("Patch path %q has no a/ or b/ prefix to strip; use git diff format.", *name)
				}
				*name = rest
			}
		}
	}
	return nil
}

func patchName(f *gitdiff.File) string {
	if f.NewName != "" {
		return f.NewName
	}
	return f.OldName
}

// guardPatchPaths resolves every name the patch mentions, for writing, and
// applies the write mode to each.
func guardPatchPaths(e *toolkit.Env, w *workspace.Workspace, files []*gitdiff.File) ([]string, error) {
	seen := map[string]bool{}
	for _, f := range files {
		for _, name := range []string{f.OldName, f.NewName} {
			if name == "" {
				continue
			}
			rel, err := w.Resolve(name)
			if err != nil {
				return nil, err
			}
			if err := writeAllowed(e.Cfg, "apply_patch", rel); err != nil {
				return nil, err
			}
			seen[rel] = true
		}
	}
	paths := make([]string, 0, len(seen))
	for p := range seen {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths, nil
}

// maxPatchFiles is how many times the write cap the files one patch
// produces may hold together: all of them are built in memory before the
// first is written, so nothing is written when one hunk fails.
const maxPatchFiles = 8

// checkPatchSize bounds what computeChanges will build before it reads or
// builds anything: each produced file is at most its old size plus the
// bytes the patch adds to it, which must fit the write cap, and all of them
// together must fit maxPatchFiles times the cap (a patch of many copies of
// one large file would otherwise hold them all in memory).
func checkPatchSize(limit int64, w *workspace.Workspace, files []*gitdiff.File) error {
	total := int64(0)
	for _, f := range files {
		if f.IsDelete {
			continue
		}
		size := int64(0)
		if !f.IsNew {
			if fi, _, err := w.Stat(f.OldName); err == nil {
				size = fi.Size()
			}
		}
		for _, fr := range f.TextFragments {
			for _, l := range fr.Lines {
				if l.Op == gitdiff.OpAdd {
					size += int64(len(l.Line))
				}
			}
		}
		if size > limit {
			return toolkit.UserErrorf("Patch would make %s up to %d bytes. Limit: %d bytes (CODEXPRO_MAX_WRITE_BYTES).", patchName(f), size, limit)
		}
		if total += size; total > maxPatchFiles*limit {
			return toolkit.UserErrorf("The files this patch produces would hold up to %d bytes together. Limit: %d bytes (%d times CODEXPRO_MAX_WRITE_BYTES). Split the patch.", total, maxPatchFiles*limit, maxPatchFiles)
		}
	}
	return nil
}

// computeChanges applies every hunk in memory; one failing hunk fails the
// whole patch with nothing written.
func computeChanges(e *toolkit.Env, w *workspace.Workspace, files []*gitdiff.File) ([]change, error) {
	limit := max(e.Cfg.MaxWriteBytes, e.Cfg.MaxReadBytes)
	var out []change
	for _, f := range files {
		var old []byte
		if !f.IsNew {
			data, _, err := w.ReadFile(f.OldName, limit)
			if err != nil {
				return nil, err
			}
			old = data
		} else if _, _, err := w.Stat(f.NewName); err == nil {
			return nil, toolkit.UserErrorf("Patch creates %s, which already exists.", f.NewName)
		}
		var buf bytes.Buffer
		if err := gitdiff.Apply(&buf, bytes.NewReader(old), f); err != nil {
			return nil, toolkit.UserErrorf("Patch does not apply to %s: %v", patchName(f), err)
		}
		c := change{content: buf.Bytes(), keepFrom: f.IsCopy}
		if !f.IsNew {
			c.from, _ = w.Resolve(f.OldName)
		}
		c.before = string(old)
		if !f.IsDelete {
			c.to, _ = w.Resolve(f.NewName)
			c.before = priorContent(w, f, old, limit)
			if err := refuseSecret(e, "apply_patch", c.to, c.before, string(c.content)); err != nil {
				return nil, err
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// priorContent is what the path a patch section produces held before it:
// nothing for a new file, the target's own content for a copy (a copy of a
// file with keys is a second copy of those keys), the source's for an edit
// or a rename (the file moves, its secrets do not multiply).
func priorContent(w *workspace.Workspace, f *gitdiff.File, old []byte, limit int64) string {
	switch {
	case f.IsNew:
		return ""
	case f.IsCopy:
		return priorText(w, f.NewName, true, limit)
	}
	return string(old)
}

// commitChanges writes each file atomically, then removes renamed-away and
// deleted files.
func commitChanges(w *workspace.Workspace, changes []change) error {
	for _, c := range changes {
		if c.to == "" {
			continue
		}
		if _, err := w.WriteFile(c.to, c.content, 0); err != nil {
			return err
		}
	}
	for _, c := range changes {
		if c.from != "" && c.from != c.to && !c.keepFrom {
			if _, err := w.Remove(c.from); err != nil {
				return err
			}
		}
	}
	return nil
}

// changesDiff is the diff of what the patch did, each file's sides
// redacted whole (unifiedDiff), rather than an echo of the patch text,
// whose context lines may sit inside a key block that starts elsewhere.
func changesDiff(changes []change) string {
	var b strings.Builder
	for _, c := range changes {
		name := c.to
		if name == "" {
			name = c.from
		}
		d, _, _ := unifiedDiff(name, c.before, string(c.content))
		if b.Len()+len(d) > maxDiffChars {
			b.WriteString("...[diff truncated]\n")
			break
		}
		b.WriteString(d)
		if !strings.HasSuffix(d, "\n") {
			b.WriteByte('\n')
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func countPatchLines(files []*gitdiff.File) (adds, dels int) {
	for _, f := range files {
		for _, fr := range f.TextFragments {
			adds += int(fr.LinesAdded)
			dels += int(fr.LinesDeleted)
		}
	}
	return adds, dels
}
