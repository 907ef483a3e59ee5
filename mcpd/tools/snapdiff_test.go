package tools

import "github.com/aymanbagabas/go-udiff"

// lineDiff is a unified diff from the committed snapshot (want) to what the
// code produces now (got), empty when they are equal, so a failing snapshot
// test shows what changed instead of only that something did.
func lineDiff(want, got string) string {
	if want == got {
		return ""
	}
	return udiff.Unified("snapshot", "now", want, got)
}
