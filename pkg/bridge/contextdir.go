package bridge

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// forbiddenSegment reports directory names a context directory may not use
// at any depth: source, dependency, build, cache and credential
// directories, where handoff writes would clobber project files or be
// blocked.
func forbiddenSegment(lower string) bool {
	switch lower {
	case ".git", ".ssh", ".gnupg", ".cache", "node_modules", "src", "dist", "build", ".next", "coverage":
		return true
	}
	return false
}

// ValidateContextDir checks a CODEXPRO_CONTEXT_DIR / --context-dir value and
// returns its clean slash form. Empty means the default .ai-bridge. The rules
// are CodexPro 0.30's, plus one it lacks: .env and .env.* are refused
// too, because the blocked globs would make every write there fail.
func ValidateContextDir(s string) (string, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return DefaultContextDir, nil
	}
	fail := func(why string) (string, error) {
		return "", fmt.Errorf("CODEXPRO_CONTEXT_DIR=%q (--context-dir): %s", s, why)
	}
	if strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return fail("must not contain control characters")
	}
	raw = strings.ReplaceAll(raw, `\`, "/")
	if path.IsAbs(raw) || hasDriveLetter(raw) {
		return fail("must be a workspace-relative hidden directory, for example .ai-bridge")
	}
	raw = strings.TrimSuffix(strings.TrimPrefix(raw, "./"), "/")
	for _, seg := range strings.Split(raw, "/") {
		switch seg {
		case "..":
			return fail("must stay inside the workspace")
		case "", ".":
			return fail("must be a simple relative directory path (no empty or . segments)")
		}
	}
	clean := raw
	segs := strings.Split(clean, "/")
	if !strings.HasPrefix(segs[0], ".") {
		return fail("must start with a hidden directory such as .ai-bridge")
	}
	for _, seg := range segs {
		lower := strings.ToLower(seg)
		if forbiddenSegment(lower) {
			return fail("cannot point at source, dependency, build, cache, or credential directories")
		}
		if lower == ".env" || strings.HasPrefix(lower, ".env.") {
			return fail("cannot be a .env path: the blocked globs refuse every write there")
		}
	}
	return clean, nil
}

func hasDriveLetter(s string) bool {
	return len(s) >= 2 && s[1] == ':' &&
		(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z')
}

// ContextDirLinks refuses a context directory under root that is, or lies
// under, a symlink, even one pointing inside the workspace: handoff and
// mcpd write plans and reports there, and a link (.ai-bridge -> src) would
// turn those writes into source edits. It is the start-up check; every
// read and write checks again on the opened descriptors (ReadWriter).
// A context directory that does not exist yet is fine.
func ContextDirLinks(root, ctx string) error {
	cur := root
	for _, seg := range strings.Split(ctx, "/") {
		cur = filepath.Join(cur, seg)
		fi, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("CODEXPRO_CONTEXT_DIR=%q (--context-dir): %w", ctx, err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("CODEXPRO_CONTEXT_DIR=%q (--context-dir): %s is a symlink; handoff files are never written through a link. Remove the link (a real directory is created on first use) or choose another --context-dir", ctx, cur)
		}
		if !fi.IsDir() {
			return fmt.Errorf("CODEXPRO_CONTEXT_DIR=%q (--context-dir): %s is not a directory", ctx, cur)
		}
	}
	return nil
}
