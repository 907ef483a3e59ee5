package tools

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aymanbagabas/go-udiff"
	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// applyDiff applies a one-file unified diff with the patch tool's parser.
func applyDiff(t *testing.T, diff, old string) string {
	t.Helper()
	files, _, err := gitdiff.Parse(strings.NewReader(diff))
	if err != nil || len(files) != 1 {
		t.Fatalf("parse %q: %v", diff, err)
	}
	insertAfter(files[0])
	var b strings.Builder
	if err := gitdiff.Apply(&b, strings.NewReader(old), files[0]); err != nil {
		t.Fatalf("apply %q to %q: %v", diff, old, err)
	}
	return b.String()
}

// TestUnifiedDiffMatchesFullDiff: diffing only the changed region gives
// the diff of the whole texts.
func TestUnifiedDiffMatchesFullDiff(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	words := []string{"a\n", "b\n", "c\n", "\n", "dd\n", "a", "x\n"}
	gen := func() string {
		var b strings.Builder
		for range rnd.IntN(12) {
			b.WriteString(words[rnd.IntN(len(words))])
		}
		return b.String()
	}
	for range 3000 {
		old, new := gen(), gen()
		if old == new {
			continue
		}
		got, adds, dels := unifiedDiff("f", old, new)
		if applied := applyDiff(t, got, old); applied != new {
			t.Fatalf("diff of %q -> %q gives %q:\n%s\nfull:\n%s", old, new, applied, got, udiff.Unified("a/f", "b/f", old, new))
		}
		if a, d := strings.Count(got, "\n+")-1, strings.Count(got, "\n-"); a != adds || d != dels {
			t.Fatalf("counts +%d -%d, the diff has +%d -%d:\n%s", adds, dels, a, d, got)
		}
	}
}
