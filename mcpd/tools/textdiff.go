package tools

import (
	"fmt"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"codexpro.dev/pkg/redact"
)

// maxDiffChars bounds the diff a write result carries.
const maxDiffChars = 60000

// maxDiffRegion bounds the changed region (old and new together) that is
// diffed line by line. The line diff costs tens of bytes per input byte, so
// a larger region (a replace_all over a whole large file) is summarised by
// its line counts instead of allocating tens of megabytes for a diff that
// would be cut to maxDiffChars anyway.
const maxDiffRegion = 256 << 10

// unifiedDiff returns a bounded unified diff of old -> new and its line
// counts. Each side is redacted whole before the diff is cut into hunks, so
// a hunk inside a key block, or one that shows the value line after
// "api_key:", carries the redacted lines. Only the region between the
// common leading and trailing lines is diffed.
func unifiedDiff(rel, old, new string) (diff string, additions, deletions int) {
	if old == new {
		return "No changes in " + rel + ".", 0, 0
	}
	old, new = redact.Lines(old), redact.Lines(new)
	if old == new {
		return "Changes in " + rel + " touch only redacted secret values.", 0, 0
	}
	head, oldMid, newMid := changedRegion(old, new)
	if len(oldMid)+len(newMid) > maxDiffRegion {
		deletions, additions = countTextLines(oldMid), countTextLines(newMid)
		return fmt.Sprintf("...[diff omitted: the changed region of %s spans %d bytes, more than %d; +%d -%d lines]",
			rel, len(oldMid)+len(newMid), maxDiffRegion, additions, deletions), additions, deletions
	}
	edits := udiff.Lines(oldMid, newMid)
	for i := range edits {
		edits[i].Start += head
		edits[i].End += head
	}
	diff, err := udiff.ToUnified("a/"+rel, "b/"+rel, old, edits, 3)
	if err != nil {
		return "...[diff unavailable: " + err.Error() + "]", 0, 0
	}
	for rest := diff; rest != ""; {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		case strings.HasPrefix(l, "+"):
			additions++
		case strings.HasPrefix(l, "-"):
			deletions++
		}
	}
	if len(diff) > maxDiffChars {
		diff = cutUTF8(diff, maxDiffChars) + "\n...[diff truncated to 60000 chars]"
	}
	return diff, additions, deletions
}

// changedRegion cuts the whole lines old and new share at their start and
// end: head is the length of the shared leading lines, and oldMid, newMid
// what lies between the shared parts.
func changedRegion(old, new string) (head int, oldMid, newMid string) {
	n := min(len(old), len(new))
	for head < n && old[head] == new[head] {
		head++
	}
	head = strings.LastIndexByte(old[:head], '\n') + 1
	tail := 0
	for tail < n-head && old[len(old)-1-tail] == new[len(new)-1-tail] {
		tail++
	}
	// Keep the tail to whole lines: in both texts it must start at the
	// beginning or right after a line break.
	for tail > 0 && !(lineStart(old, len(old)-tail) && lineStart(new, len(new)-tail)) {
		tail--
	}
	return head, old[head : len(old)-tail], new[head : len(new)-tail]
}

// countTextLines counts lines as countLines does, without a copy.
func countTextLines(s string) int {
	n := strings.Count(s, "\n")
	if s != "" && s[len(s)-1] != '\n' {
		n++
	}
	return n
}

func lineStart(s string, i int) bool { return i == 0 || s[i-1] == '\n' }
