package handoff

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// untrackedPrefix is how much of a large untracked file is hashed.
const untrackedPrefix = 64 << 10

// implementationDiff renders implementation-diff.patch: the staged and
// unstaged diffs and the untracked files, all outside the context dir,
// bounded by max bytes. A git failure is reported inside the file.
func (g git) implementationDiff(ctx context.Context, contextDir string, max int) string {
	text, err := g.diffSections(ctx, contextDir, max)
	if err != nil {
		return "# git changes unavailable\n\n" + err.Error() + "\n"
	}
	return truncate(text, max)
}

func (g git) diffSections(ctx context.Context, contextDir string, max int) (string, error) {
	common := []string{"--no-ext-diff", "--no-textconv", "--no-color", "--", ".", excludeContext(contextDir)}
	staged, err := g.run(ctx, append([]string{"diff", "--cached"}, common...)...)
	if err != nil {
		return "", err
	}
	unstaged, err := g.run(ctx, append([]string{"diff"}, common...)...)
	if err != nil {
		return "", err
	}
	others, err := g.run(ctx, "ls-files", "--others", "--exclude-standard", "-z", "--", ".", excludeContext(contextDir))
	if err != nil {
		return "", err
	}
	if staged == "" && unstaged == "" && others == "" {
		return "", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Staged diff\n\n%s\n# Unstaged diff\n\n%s\n# Untracked files\n\n", staged, unstaged)
	budget := max
	if budget < 1024 {
		budget = 1024
	}
	names := strings.Split(strings.TrimRight(others, "\x00"), "\x00")
	for i, name := range names {
		if name == "" {
			continue
		}
		line := fmt.Sprintf("- %s (%s)\n", name, describeUntracked(filepath.Join(g.root, filepath.FromSlash(name))))
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
