package tools

import (
	"context"
	"fmt"
	"path"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/workspace"
)

type writeIn struct {
	toolkit.WorkspaceArg
	Path           string `json:"path" jsonschema:"File path relative to the workspace root"`
	Content        string `json:"content" jsonschema:"The complete new file content"`
	CreateDirs     *bool  `json:"create_dirs,omitempty" jsonschema:"Create missing parent directories (default true)"`
	Overwrite      *bool  `json:"overwrite,omitempty" jsonschema:"Replace an existing file (default true)"`
	ExpectedSHA256 string `json:"expected_sha256,omitempty" jsonschema:"SHA-256 of the content you read; the write is refused if the file changed since"`
}

type writeOut struct {
	WorkspaceID string `json:"workspace_id"`
	Root        string `json:"root"`
	Path        string `json:"path"`
	Existed     bool   `json:"existed"`
	Bytes       int    `json:"bytes"`
	SHA256      string `json:"sha256"`
	Additions   int    `json:"additions"`
	Deletions   int    `json:"deletions"`
	Diff        string `json:"diff"`
}

// WriteTool creates or replaces a whole file, atomically.
func WriteTool() toolkit.Tool {
	return toolkit.Define(toolkit.Spec{
		Name: "write", Title: "Write file", Kind: toolkit.LocalWrite, Sets: toolkit.AllSets, Traits: toolkit.Card,
		Description: "Create or replace a whole text file in the workspace (atomic: temp file, fsync, rename). " +
			"Pass expected_sha256 from read to refuse a stale write. Content with live secrets is refused. Returns a unified diff.",
	}, writeFile)
}

func writeFile(ctx context.Context, e *toolkit.Env, in writeIn) (writeOut, string, error) {
	w := in.Workspace()
	rel, err := w.Resolve(in.Path)
	if err != nil {
		return writeOut{}, "", err
	}
	if err := writeAllowed(e.Cfg, "write", rel); err != nil {
		return writeOut{}, "", err
	}
	if int64(len(in.Content)) > e.Cfg.MaxWriteBytes {
		return writeOut{}, "", toolkit.UserErrorf("Write content is too large (%d bytes). Limit: %d bytes (CODEXPRO_MAX_WRITE_BYTES).", len(in.Content), e.Cfg.MaxWriteBytes)
	}
	unlock := w.Lock(rel)
	defer unlock()
	old, existed, err := readExisting(w, rel, max(e.Cfg.MaxWriteBytes, e.Cfg.MaxReadBytes))
	if err != nil {
		return writeOut{}, "", err
	}
	if err := checkWritePreconditions(in, rel, existed, old); err != nil {
		return writeOut{}, "", err
	}
	if err := refuseSecret(e, "write", rel, string(old), in.Content); err != nil {
		return writeOut{}, "", err
	}
	if err := ensureParent(w, rel, in.CreateDirs == nil || *in.CreateDirs); err != nil {
		return writeOut{}, "", err
	}
	data := []byte(in.Content)
	if _, err := w.WriteFile(rel, data, 0); err != nil {
		return writeOut{}, "", err
	}
	out := writeOut{WorkspaceID: w.ID, Root: w.Root, Path: rel, Existed: existed, Bytes: len(data), SHA256: sha256Hex(data)}
	out.Diff, out.Additions, out.Deletions = unifiedDiff(rel, string(old), in.Content)
	verb := "Created"
	if existed {
		verb = "Updated"
	}
	return out, fmt.Sprintf("%s %s (%d bytes, +%d -%d)\n\n```diff\n%s\n```", verb, rel, out.Bytes, out.Additions, out.Deletions, out.Diff), nil
}

func checkWritePreconditions(in writeIn, rel string, existed bool, old []byte) error {
	if existed && in.Overwrite != nil && !*in.Overwrite {
		return toolkit.UserErrorf("File already exists and overwrite=false: %s", rel)
	}
	return checkExpectedSHA(in.ExpectedSHA256, rel, existed, old)
}

// readExisting returns the current content of a write target, if any. A
// binary or oversized file is refused: write replaces text files only.
func readExisting(w *workspace.Workspace, rel string, max int64) ([]byte, bool, error) {
	old, _, err := w.ReadFile(rel, max)
	switch {
	case err == nil:
		return old, true, nil
	case workspace.RuleOf(err) == workspace.RuleNotFound:
		return nil, false, nil
	}
	return nil, false, err
}

func ensureParent(w *workspace.Workspace, rel string, create bool) error {
	if create {
		return nil
	}
	dir := path.Dir(rel)
	if fi, _, err := w.Stat(dir); err != nil || !fi.IsDir() {
		return toolkit.UserErrorf("Parent directory does not exist and create_dirs=false: %s", dir)
	}
	return nil
}
