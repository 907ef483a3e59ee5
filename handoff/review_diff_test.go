package handoff

import (
	"strings"
	"testing"
)

// TestLoopKeepsEveryIterationsReview: after two iterations loop-review.md
// holds both reviews, in order, so the model sees why the first failed.
func TestLoopKeepsEveryIterationsReview(t *testing.T) {
	f := newFixture(t)
	rev := `if [ "$1" = 1 ]; then echo "first: the empty case is missing"; printf '# Plan\n\nAlso handle the empty case.\n' > "$2"; echo CODEXPRO_REVIEW=FAIL
else echo "second: all good"; echo CODEXPRO_REVIEW=PASS; fi`
	res := f.loop(LoopOptions{Options: f.opts("opencode"), Reviewer: f.reviewer(rev)})
	if res.Verdict != "PASS" || res.Iterations != 2 {
		t.Fatalf("res = %+v\n%s", res, f.err.String())
	}
	review := f.read(".ai-bridge/loop-review.md")
	first, second := strings.Index(review, "# Loop Review: iteration 1 of 3"), strings.Index(review, "# Loop Review: iteration 2 of 3")
	if first < 0 || second < first || !strings.Contains(review[first:second], "first: the empty case is missing") ||
		!strings.Contains(review[first:second], "Verdict: FAIL") || !strings.Contains(review[second:], "second: all good") ||
		!strings.Contains(review[second:], "Verdict: PASS") {
		t.Fatalf("loop-review.md must keep both reviews in order:\n%s", review)
	}
}

// TestDiffShowsNewFilesContent: a file the agent created appears in
// implementation-diff.patch with its content, redacted; a blocked new file
// never appears, and a binary or large one is only described.
func TestDiffShowsNewFilesContent(t *testing.T) {
	f := newFixture(t)
	f.agent("pi", `printf 'package add\n\nfunc Add(a, b int) int { return a + b }\n' > add.go
printf 'API_KEY=sk-live-0123456789abcdefghijklmnopqrstuv\n' > .env
printf 'token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"\n' > config.toml
printf 'no newline' > tail.txt
printf '\000\001binary' > blob.bin
head -c 40000 /dev/zero | tr '\0' 'a' > big.txt`)
	if _, err := Execute(t.Context(), f.opts("pi"), f.io()); err != nil {
		t.Fatal(err)
	}
	diff := f.read(".ai-bridge/implementation-diff.patch")
	for _, want := range []string{
		"diff --git a/add.go b/add.go\nnew file mode 100644\n--- /dev/null\n+++ b/add.go\n@@ -0,0 +1,3 @@\n+package add\n+\n+func Add(a, b int) int { return a + b }\n",
		"+no newline\n\\ No newline at end of file\n",
		"- blob.bin (", "- big.txt (40000 bytes",
	} {
		if !strings.Contains(diff, want) {
			t.Errorf("implementation-diff.patch lacks %q:\n%s", want, diff)
		}
	}
	for _, never := range []string{".env", "sk-live-0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"} {
		if strings.Contains(diff, never) {
			t.Errorf("implementation-diff.patch shows %q:\n%s", never, diff)
		}
	}
	if !strings.Contains(diff, "config.toml") {
		t.Errorf("config.toml (a redacted, not blocked, file) is missing:\n%s", diff)
	}
}
