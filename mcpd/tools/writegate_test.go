package tools

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codexpro.dev/mcpd/toolkit"
	"codexpro.dev/pkg/redact"
)

// realRedactor is pkg/redact behind the tools' Redactor interface, for
// tests that need real secret formats.
type realRedactor struct{}

func (realRedactor) Text(s string) string                   { return redact.Text(s) }
func (realRedactor) Value(v any) any                        { return redact.Value(v) }
func (realRedactor) Marshal(v any) (json.RawMessage, error) { return redact.Marshal(v) }
func (realRedactor) HasSecret(s string) (string, bool)      { return redact.HasSecret(s) }
func (realRedactor) Changes(before, after string) (string, bool) {
	return redact.Changes(before, after)
}

func newRealEnv(t *testing.T, files map[string]string) (*toolkit.Env, string) {
	t.Helper()
	e, root := newTestEnv(t, files)
	e.Redact = realRedactor{}
	return e, root
}

// mustRefuseSecret asserts a refusal that names the path and the kind of
// secret, and shows none of the planted values.
func mustRefuseSecret(t *testing.T, e *toolkit.Env, tool string, args map[string]any, path, kind string, values ...string) {
	t.Helper()
	r := callTool(t, e, tool, args)
	txt := resultText(r)
	if !r.IsError || !strings.Contains(txt, path) || !strings.Contains(txt, kind) {
		t.Fatalf("%s %v was not refused naming %s and %s: %s", tool, args, path, kind, txt)
	}
	for _, v := range values {
		if strings.Contains(txt, v) {
			t.Fatalf("the refusal shows the value %q: %s", v, txt)
		}
	}
}

func fileIs(t *testing.T, root, rel, want string) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil || string(got) != want {
		t.Fatalf("%s on disk = %q (%v), want %q", rel, got, err, want)
	}
}

// TestWriteGateJudgesResult: each write sequence of issue 14 class 3 is
// refused at the step that makes the file hold a live secret, and nothing
// of that step reaches the disk.
func TestWriteGateJudgesResult(t *testing.T) {
	token := "ghp_" + strings.Repeat("aB3dE5", 6)
	e, root := newRealEnv(t, nil)

	// A token assembled by write + edit.
	mustOK(t, callTool(t, e, "write", map[string]any{"path": "cfg.txt", "content": "t = " + token[:12] + "\n"}))
	mustRefuseSecret(t, e, "edit", map[string]any{"path": "cfg.txt", "old_text": token[:12], "new_text": token}, "cfg.txt", "github-token", token)
	mustRefuseSecret(t, e, "edit", map[string]any{"path": "cfg.txt", "old_text": "\n", "new_text": token[12:] + "\n"}, "cfg.txt", "github-token", token)
	fileIs(t, root, "cfg.txt", "t = "+token[:12]+"\n")

	// A key skeleton filled in line by line.
	skeleton := "-----BEGIN RSA PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n"
	mustOK(t, callTool(t, e, "write", map[string]any{"path": "k.txt", "content": skeleton}))
	line := "MIIEpAIBAAKCAQEA" // 16 base64 characters: one line alone is a sketch
	mustOK(t, callTool(t, e, "edit", map[string]any{"path": "k.txt", "old_text": "-----\n-----END", "new_text": "-----\n" + line + "\n-----END"}))
	mustRefuseSecret(t, e, "edit", map[string]any{"path": "k.txt", "old_text": line + "\n", "new_text": line + "\n" + "0Z3VS5JJcds3xfnygWyF0a1b2c3d4e5f\n"}, "k.txt", "private-key", "0Z3VS5JJcds3xfn")

	// A zero-context apply_patch hunk under an existing BEGIN line.
	mustOK(t, callTool(t, e, "write", map[string]any{"path": "z.txt", "content": skeleton}))
	patch := "diff --git a/z.txt b/z.txt\n--- a/z.txt\n+++ b/z.txt\n@@ -1,0 +2,2 @@\n+0Z3VS5JJcds3xfnygWyF0a1b2c3d4e5f\n+k9Lm0Z3VS5JJcds3xfnygWyF0a1b2c3d\n"
	mustRefuseSecret(t, e, "apply_patch", map[string]any{"patch": patch}, "z.txt", "private-key", "0Z3VS5JJcds3xfn")
	fileIs(t, root, "z.txt", skeleton)
}

// TestWriteGateCopiesAndExistingSecrets: a copy of a file with live keys
// is a new copy of them and is refused; edits elsewhere in a file that
// already holds a key, a rename of it, and deleting the key are allowed.
func TestWriteGateCopiesAndExistingSecrets(t *testing.T) {
	content, secrets := keyFile()
	e, root := newRealEnv(t, map[string]string{"keys.go": content})
	copyPatch := "diff --git a/keys.go b/copy.go\nsimilarity index 100%\ncopy from keys.go\ncopy to copy.go\n"
	mustRefuseSecret(t, e, "apply_patch", map[string]any{"patch": copyPatch}, "copy.go", "private-key", secrets...)
	if _, err := os.Stat(filepath.Join(root, "copy.go")); err == nil {
		t.Fatal("the refused copy was written")
	}
	mustRefuseSecret(t, e, "write", map[string]any{"path": "two.go", "content": content}, "two.go", "private-key", secrets...)

	mustOK(t, callTool(t, e, "edit", map[string]any{"path": "keys.go", "old_text": "// A test fixture.", "new_text": "// A fixture."}))
	renamePatch := "diff --git a/keys.go b/moved.go\nsimilarity index 100%\nrename from keys.go\nrename to moved.go\n"
	mustOK(t, callTool(t, e, "apply_patch", map[string]any{"patch": renamePatch}))
	r := callTool(t, e, "edit", map[string]any{"path": "moved.go", "old_text": secrets[len(secrets)-1], "new_text": "x"})
	mustOK(t, r)
	assertNoSecret(t, "edit result", resultText(r), secrets)

	// A redacted read written back over the real value is refused.
	mustRefuseSecret(t, e, "edit", map[string]any{"path": "moved.go", "old_text": secrets[0], "new_text": "[REDACTED_SECRET]"}, "moved.go", "REDACTED_SECRET", secrets...)
}

// TestPatchZeroContextInsertsAfter: "@@ -2,0 +3 @@" inserts after line 2,
// as git apply does; the write gate judges the file the patch really makes.
func TestPatchZeroContextInsertsAfter(t *testing.T) {
	e, root := newRealEnv(t, map[string]string{"a.txt": "a\nb\nc\n"})
	patch := "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -2,0 +3 @@\n+X\n"
	mustOK(t, callTool(t, e, "apply_patch", map[string]any{"patch": patch}))
	fileIs(t, root, "a.txt", "a\nb\nX\nc\n")
}
