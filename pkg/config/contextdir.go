package config

import (
	"fmt"
	"path"
	"strings"
)

// reservedDirs may not appear anywhere in the context dir: handoff files
// there would mix with source, dependencies, build output or credentials.
var reservedDirs = []string{".git", ".ssh", ".gnupg", ".cache", "node_modules", "src", "dist", "build", ".next", "coverage"}

// ValidateContextDir checks CODEXPRO_CONTEXT_DIR (anchor-server §5.9) and
// returns it normalised with '/' separators. Unlike the reference it also
// refuses .env names (every file under them is blocked, so all handoff
// writes would fail) and compares names case-insensitively.
func ValidateContextDir(s string) (string, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		raw = DefaultContextDir
	}
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("CODEXPRO_CONTEXT_DIR=%q: %s", s, why)
	}
	p := strings.ReplaceAll(raw, `\`, "/")
	if strings.HasPrefix(p, "/") || len(p) >= 2 && p[1] == ':' {
		return bad("must be a workspace-relative hidden directory, for example .ai-bridge")
	}
	clean := path.Clean(p)
	if clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
		return bad("must stay inside the workspace")
	}
	if !strings.HasPrefix(clean, ".") {
		return bad("must start with a hidden directory such as .ai-bridge")
	}
	for _, seg := range strings.Split(clean, "/") {
		lower := strings.ToLower(seg)
		if lower == ".env" || strings.HasPrefix(lower, ".env.") {
			return bad("cannot be a .env file or directory (every file under it is blocked)")
		}
		for _, r := range reservedDirs {
			if lower == r {
				return bad("cannot point at source, dependency, build, cache, or credential directories")
			}
		}
	}
	return clean, nil
}
