package handoff

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"codexpro.dev/pkg/redact"
)

// untrackedPrefix is how much of a large untracked file is hashed.
const untrackedPrefix = 64 << 10

// implementationDiff renders implementation-diff.patch: the staged and
// unstaged diffs and the untracked files outside the context dir, bounded by
// max bytes and redacted. Blocked paths (.env, keys, CODEXPRO_BLOCKED_GLOBS)
// never appear: mcpd shows this file to the model. A git failure is
// reported inside the file.
func (s *session) implementationDiff(ctx context.Context) string {
	text, err := s.diffSections(ctx)
	if err != nil {
		return "# git changes unavailable\n\n" + redact.Text(err.Error()) + "\n"
	}
	// Diff hides key-body lines of hunks whose BEGIN line is outside them.
	return truncate(redact.Text(redact.Diff(text, nil)), s.o.MaxOutputBytes)
}

func (s *session) diffSections(ctx context.Context) (string, error) {
	repo := s.gitRepo()
	staged, err := repo.Diff(ctx, ".", true, true)
	if err != nil {
		return "", err
	}
	unstaged, err := repo.Diff(ctx, ".", false, true)
	if err != nil {
		return "", err
	}
	others, err := s.git.run(ctx, "ls-files", "--others", "--exclude-standard", "-z", "--", ".", excludeContext(s.o.ContextDir))
	if err != nil {
		return "", err
	}
	var names []string
	for _, n := range strings.Split(others, "\x00") {
		if n != "" && !s.hidden(n) {
			names = append(names, n)
		}
	}
	if staged.Text == "" && unstaged.Text == "" && len(names) == 0 {
		return "", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Staged diff\n\n%s\n# Unstaged diff\n\n%s\n# New (untracked) files\n\n", staged.Text, unstaged.Text)
	budget := max(s.o.MaxOutputBytes, 1024)
	for i, name := range names {
		entry := s.newFileDiff(name)
		if b.Len()+len(entry) > budget {
			fmt.Fprintf(&b, "- ... %d new files omitted after %d bytes (the patch is capped at %d bytes)\n", len(names)-i, b.Len(), budget)
			break
		}
		b.WriteString(entry)
	}
	return b.String(), nil
}

// newFileCap is the largest new file whose content the patch shows; a
// larger one is listed with its size and hash.
const newFileCap = 32 << 10

// newFileDiff renders an untracked file as a git-style "new file" diff, so
// the model reviewing the work sees the new code, not only its name. It
// reads through the workspace guard (no symlinks, nothing outside the
// root); binaries, symlinks and large files are described instead. The
// caller has already dropped blocked paths, and the patch is redacted.
func (s *session) newFileDiff(name string) string {
	if strings.ContainsAny(name, "\n\r") {
		return fmt.Sprintf("- %q (a name with a line break; content not shown)\n", name)
	}
	data, _, err := s.fs.ReadFile(name, newFileCap)
	if err != nil || isBinary(data) {
		return fmt.Sprintf("- %s (%s)\n", name, describeUntracked(filepath.Join(s.o.Root, filepath.FromSlash(name))))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "diff --git a/%s b/%s\nnew file mode 100644\n", name, name)
	if len(data) == 0 {
		return b.String()
	}
	text := string(data)
	lines := strings.SplitAfter(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	fmt.Fprintf(&b, "--- /dev/null\n+++ b/%s\n@@ -0,0 +1,%d @@\n", name, len(lines))
	for _, l := range lines {
		b.WriteString("+" + l)
	}
	if !strings.HasSuffix(text, "\n") {
		b.WriteString("\n\\ No newline at end of file\n")
	}
	return b.String()
}

// isBinary is git's test: a NUL in the first 8000 bytes, or not UTF-8.
func isBinary(data []byte) bool {
	return bytes.IndexByte(data[:min(len(data), 8000)], 0) >= 0 || !utf8.Valid(data)
}

func describeUntracked(p string) string {
	fi, err := os.Lstat(p)
	switch {
	case err != nil:
		return "unavailable: " + err.Error()
	case fi.Mode()&fs.ModeSymlink != 0:
		t, _ := os.Readlink(p)
		return "symlink, target=" + truncate(t, 512)
	case fi.IsDir():
		return "directory"
	case !fi.Mode().IsRegular():
		return "non-file"
	case fi.Size() > untrackedPrefix:
		sum, err := fileSHA256(p, untrackedPrefix)
		if err != nil {
			return "unavailable: " + err.Error()
		}
		return fmt.Sprintf("%d bytes, sha256_first_65536=%s, fingerprint_truncated=true", fi.Size(), sum)
	}
	sum, err := fileSHA256(p, -1)
	if err != nil {
		return "unavailable: " + err.Error()
	}
	return fmt.Sprintf("%d bytes, sha256=%s", fi.Size(), sum)
}

// truncate cuts s to max bytes and says so.
func truncate(s string, max int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	return s[:max] + fmt.Sprintf("\n...[output truncated to %d bytes]", max)
}
