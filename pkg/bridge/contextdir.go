package bridge

import (
	"fmt"
	"path"
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
