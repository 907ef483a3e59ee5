package handoff

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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
	return truncate(redact.Text(text), s.o.MaxOutputBytes)
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
	fmt.Fprintf(&b, "# Staged diff\n\n%s\n# Unstaged diff\n\n%s\n# Untracked files\n\n", staged.Text, unstaged.Text)
	budget := max(s.o.MaxOutputBytes, 1024)
	for i, name := range names {
		line := fmt.Sprintf("- %s (%s)\n", name, describeUntracked(filepath.Join(s.o.Root, filepath.FromSlash(name))))
		if b.Len()+len(line) > budget {
			fmt.Fprintf(&b, "- ... %d untracked entries omitted after %d bytes\n", len(names)-i, b.Len())
			break
		}
		b.WriteString(line)
	}
	return b.String(), nil
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
