package tools

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"codexpro.dev/mcpd/toolkit"
)

// writeAllowed applies the write mode to one resolved path. The write tools
// are not even registered outside workspace mode; this is the second lock.
func writeAllowed(c toolkit.Config, tool, rel string) error {
	switch c.WriteMode {
	case "workspace":
		return nil
	case "handoff":
		if rel == c.ContextDir || strings.HasPrefix(rel, c.ContextDir+"/") {
			return nil
		}
		return toolkit.UserErrorf("Source writes are disabled because CODEXPRO_WRITE_MODE=handoff. Use handoff_to_agent or handoff_to_codex, or %s only inside %s/.", tool, c.ContextDir)
	}
	return toolkit.UserErrorf("%s is disabled because CODEXPRO_WRITE_MODE=%s.", tool, c.WriteMode)
}

// refuseSecret judges a file's content after a change, not the input
// that made it: a change that makes rel hold a live secret it did not hold
// before is refused, however it was assembled (a token completed by an
// edit, a key body filled in line by line, a patch hunk under an existing
// BEGIN line, a copy of a file with keys). The error names the path and the
// kind of secret, never its value. A change that puts [REDACTED_SECRET]
// where the file held a real secret is refused too: writing a redacted read
// back would destroy the value.
func refuseSecret(e *toolkit.Env, tool, rel, before, after string) error {
	added, lost := e.Redact.Changes(before, after)
	if added != "" {
		return toolkit.UserErrorf("Secret-looking content is blocked from %s: %s would contain a live secret (%s) it did not contain before. Use a placeholder such as [REDACTED_SECRET] or read it from the environment.", tool, rel, added)
	}
	if lost && strings.Count(after, redactedMark) > strings.Count(before, redactedMark) {
		return toolkit.UserErrorf("Refusing %s of %s: the content has [REDACTED_SECRET] where the file holds a real secret; writing it back would destroy that value. Edit the other lines with edit instead.", tool, rel)
	}
	return nil
}

// redactedMark is what the redactor writes in place of a secret.
const redactedMark = "[REDACTED_SECRET]"

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
		return toolkit.UserErrorf("expected_sha256 must be 64 hex characters.")
	}
	if !existed {
		return toolkit.UserErrorf("File does not exist, so expected_sha256 cannot be verified: %s", rel)
	}
	if got := sha256Hex(old); !strings.EqualFold(got, expected) {
		return toolkit.UserErrorf("File changed since it was read: %s. Expected SHA-256 %s, found %s. Read the file again before writing.", rel, strings.ToLower(expected), got)
	}
	return nil
}
