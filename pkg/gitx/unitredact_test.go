package gitx

import (
	"strings"
	"testing"

	"codexpro.dev/pkg/redact"
)

// TestRedactSectionJudgesEachSide: a key block and a value on the line
// after its name are whole only in the file, not in the diff's lines; the
// section's sides are judged as files, so no body line survives.
func TestRedactSectionJudgesEachSide(t *testing.T) {
	body := "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwHoStIlEa1"
	value := "NextLineValueUnitTestZx9q8w7e6r5t4y3u2i1o"
	sec := []string{"diff --git a/k.txt b/k.txt", "--- a/k.txt", "+++ b/k.txt", "@@ -1,3 +1,6 @@",
		" -----BEGIN OPENSSH PRIVATE KEY-----", "+" + body, " -----END OPENSSH PRIVATE KEY-----",
		"+api_key:", "+  " + value, " port: 1"}
	out := strings.Join(redactSection(sec), "\n")
	if strings.Contains(out, body) || strings.Contains(out, value) || !strings.Contains(out, redact.Placeholder) {
		t.Fatalf("secret survived:\n%s", out)
	}
	if !strings.Contains(out, " port: 1") || !strings.HasPrefix(out, "diff --git a/k.txt b/k.txt") {
		t.Fatalf("clean lines changed:\n%s", out)
	}
	blame := "^abc123 (t 2026-01-01 1) api_key:\n^abc123 (t 2026-01-01 2)   " + value + "\n"
	if got := redactBlame(blame); strings.Contains(got, value) || !strings.Contains(got, "(t 2026-01-01 2)") {
		t.Fatalf("blame kept the value or lost its column:\n%s", got)
	}
}

// TestDriverOverridesEveryFilter: every filter the config names is turned
// off by name; a name -c cannot carry stops the command.
func TestDriverOverridesEveryFilter(t *testing.T) {
	args, ok := DriverOverrides("core.bare\x00filter.lfs.process\x00filter.My.Odd.clean\x00diff.x.textconv\x00")
	got := strings.Join(args, " ")
	for _, want := range []string{"filter.lfs.process=", "filter.lfs.clean=", "filter.My.Odd.smudge=", "filter.My.Odd.required=false"} {
		if !ok || !strings.Contains(got, want) {
			t.Fatalf("overrides %q lack %q", got, want)
		}
	}
	if _, ok := DriverOverrides("filter.a=b.clean\x00"); ok {
		t.Fatal("a filter named a=b was accepted: -c filter.a=b.clean= would set filter.a instead")
	}
}
