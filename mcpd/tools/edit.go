package tools

import (
	"context"
	"fmt"
	"strings"

	"codexpro.dev/mcpd/toolkit"
)

type editIn struct {
	toolkit.WorkspaceArg
	Path                 string `json:"path" jsonschema:"File path relative to the workspace root"`
	OldText              string `json:"old_text" jsonschema:"Exact text to replace (as shown by read, without line numbers)"`
	NewText              string `json:"new_text" jsonschema:"Replacement text, used literally"`
	ReplaceAll           bool   `json:"replace_all,omitempty" jsonschema:"Replace every occurrence (default false: old_text must occur once)"`
	ExpectedReplacements int    `json:"expected_replacements,omitempty" jsonschema:"Refuse unless exactly this many replacements would happen"`
	ExpectedSHA256       string `json:"expected_sha256,omitempty" jsonschema:"SHA-256 of the content you read; the edit is refused if the file changed since"`
}

type editOut struct {
	WorkspaceID  string `json:"workspace_id"`
	Root         string `json:"root"`
	Path         string `json:"path"`
	Replacements int    `json:"replacements"`
	Bytes        int    `json:"bytes"`
	SHA256       string `json:"sha256"`
	Additions    int    `json:"additions"`
	Deletions    int    `json:"deletions"`
	Diff         string `json:"diff"`
}

// EditTool replaces exact text. new_text is literal: `$&`, `$1` and the like
// are just characters. In a CRLF file, LF-only snippets (as read shows them)
// match and the file keeps its CRLF endings.
func EditTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "edit", Title: "Edit file", Kind: toolkit.LocalWrite, Sets: toolkit.AllSets, Traits: toolkit.Card,
		Description: "Replace exact text in a workspace file (literal, no regex or $ substitutions). old_text must match once " +
			"unless replace_all. CRLF files keep CRLF. Pass expected_sha256 from read to refuse a stale edit. Returns a unified diff.",
	}, editFile)
}

func editFile(ctx context.Context, e *toolkit.Env, in editIn) (editOut, string, error) {
	if in.OldText == "" {
		return editOut{}, "", toolkit.UserErrorf("old_text must not be empty.")
	}
	w := in.Workspace()
	rel, err := w.Resolve(in.Path)
	if err != nil {
		return editOut{}, "", err
	}
	if err := writeAllowed(e.Cfg, "edit", rel); err != nil {
		return editOut{}, "", err
	}
	unlock := w.Lock(rel)
	defer unlock()
	oldBytes, _, err := w.ReadFile(rel, max(e.Cfg.MaxWriteBytes, e.Cfg.MaxReadBytes))
	if err != nil {
		return editOut{}, "", err
	}
	if err := checkExpectedSHA(in.ExpectedSHA256, rel, true, oldBytes); err != nil {
		return editOut{}, "", err
	}
	old := string(oldBytes)
	updated, n, err := replaceLiteral(old, in, rel, e.Cfg.MaxWriteBytes)
	if err != nil {
		return editOut{}, "", err
	}
	if err := refuseSecret(e, "edit", rel, old, updated); err != nil {
		return editOut{}, "", err
	}
	if _, err := w.WriteFile(rel, []byte(updated), 0); err != nil {
		return editOut{}, "", err
	}
	out := editOut{WorkspaceID: w.ID, Root: w.Root, Path: rel, Replacements: n, Bytes: len(updated), SHA256: sha256Hex([]byte(updated))}
	out.Diff, out.Additions, out.Deletions = unifiedDiff(rel, old, updated)
	return out, fmt.Sprintf("Edited %s: %d replacement(s), +%d -%d\n\n```diff\n%s\n```", rel, n, out.Additions, out.Deletions, out.Diff), nil
}

// replaceLiteral performs the replacement with strings.Replace, which has no
// metacharacters, after adapting LF snippets to a CRLF file. The size of
// the result is known from the count before anything is built, and a result
// over limit is refused before strings.Replace allocates it.
func replaceLiteral(content string, in editIn, rel string, limit int64) (string, int, error) {
	oldText, newText := in.OldText, in.NewText
	if strings.Contains(content, "\r\n") && !strings.Contains(oldText, "\r\n") && !strings.Contains(content, oldText) {
		oldText = toCRLF(oldText)
		newText = toCRLF(newText)
	} else if strings.Contains(content, "\r\n") && !strings.Contains(newText, "\r\n") {
		newText = toCRLF(newText)
	}
	n := strings.Count(content, oldText)
	switch {
	case n == 0:
		return "", 0, toolkit.UserErrorf("old_text was not found in %s. Read the file and retry with an exact snippet.", rel)
	case n > 1 && !in.ReplaceAll:
		return "", 0, toolkit.UserErrorf("old_text matched %d times. Provide a more specific old_text or set replace_all=true.", n)
	}
	if !in.ReplaceAll {
		n = 1
	}
	if in.ExpectedReplacements > 0 && in.ExpectedReplacements != n {
		return "", 0, toolkit.UserErrorf("Expected %d replacements but would perform %d.", in.ExpectedReplacements, n)
	}
	if size := int64(len(content)) + int64(n)*(int64(len(newText))-int64(len(oldText))); size > limit {
		return "", 0, toolkit.UserErrorf("Edited file would be too large: %d replacement(s) make %s %d bytes. Limit: %d bytes (CODEXPRO_MAX_WRITE_BYTES). Replace fewer occurrences or a shorter text.", n, rel, size, limit)
	}
	return strings.Replace(content, oldText, newText, n), n, nil
}

func toCRLF(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}
