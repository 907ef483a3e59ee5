package tools

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// maxDiffChars bounds the diff a write result carries.
const maxDiffChars = 60000

// writeAllowed applies the write mode to one resolved path. The write tools
// are not even registered outside workspace mode; this is the second lock.
func writeAllowed(c Config, tool, rel string) error {
	switch c.WriteMode {
	case "workspace":
		return nil
	case "handoff":
		if rel == c.ContextDir || strings.HasPrefix(rel, c.ContextDir+"/") {
			return nil
		}
		return userError("Source writes are disabled because CODEXPRO_WRITE_MODE=handoff. Use handoff_to_agent or handoff_to_codex, or %s only inside %s/.", tool, c.ContextDir)
	}
	return userError("%s is disabled because CODEXPRO_WRITE_MODE=%s.", tool, c.WriteMode)
}

// refuseSecret stops content that carries a live secret from being written,
// and stops a redacted read from being written back over real values.
func refuseSecret(e *Env, tool, content, old string) error {
	if kind, ok := e.Redact.HasSecret(content); ok {
		return userError("Secret-looking content is blocked from %s: the content contains a live secret (%s). Use a placeholder such as [REDACTED_SECRET] or read it from the environment.", tool, kind)
	}
	if strings.Contains(content, "[REDACTED_SECRET]") && !strings.Contains(old, "[REDACTED_SECRET]") {
		if _, ok := e.Redact.HasSecret(old); ok {
			return userError("Refusing %s: the content has [REDACTED_SECRET] where the file holds a real secret; writing it back would destroy that value. Edit the other lines with edit instead.", tool)
		}
	}
	return nil
}

// unifiedDiff returns a bounded unified diff of old -> new and its line counts.
func unifiedDiff(rel, old, new string) (diff string, additions, deletions int) {
	if old == new {
		return "No changes in " + rel + ".", 0, 0
	}
	diff = udiff.Unified("a/"+rel, "b/"+rel, old, new)
	for _, l := range strings.Split(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		case strings.HasPrefix(l, "+"):
			additions++
		case strings.HasPrefix(l, "-"):
			deletions++
		}
	}
	if len(diff) > maxDiffChars {
		diff = diff[:maxDiffChars] + "\n...[diff truncated to 60000 chars]"
	}
	return diff, additions, deletions
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// checkExpectedSHA refuses a stale write: the caller read a version that is
// no longer on disk.
func checkExpectedSHA(expected, rel string, existed bool, old []byte) error {
	if expected == "" {
		return nil
	}
	if len(expected) != 64 || strings.Trim(strings.ToLower(expected), "0123456789abcdef") != "" {
		return userError("expected_sha256 must be 64 hex characters.")
	}
	if !existed {
		return userError("File does not exist, so expected_sha256 cannot be verified: %s", rel)
	}
	if got := sha256Hex(old); !strings.EqualFold(got, expected) {
		return userError("File changed since it was read: %s. Expected SHA-256 %s, found %s. Read the file again before writing.", rel, strings.ToLower(expected), got)
	}
	return nil
}
