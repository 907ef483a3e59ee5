package bridge

import "strings"

// Field is one "Key: value" header line of a report.
type Field struct{ Key, Value string }

// Section is a "## Heading" followed by a fenced text block.
type Section struct{ Heading, Body string }

// FormatReport renders the markdown layout of handoff-status.md,
// loop-tests.txt and loop-review.md: a title, header lines, then each
// section as a ```text fence. Empty bodies show "(empty)".
func FormatReport(title string, fields []Field, sections []Section) string {
	var b strings.Builder
	b.WriteString("# " + title + "\n\n")
	for _, f := range fields {
		b.WriteString(f.Key + ": " + f.Value + "\n")
	}
	for _, s := range sections {
		b.WriteString("\n## " + s.Heading + "\n\n" + Fence(s.Body))
	}
	return b.String()
}

// Fence wraps text in a ```text block. Inner triple backticks are broken up
// so the text cannot close the fence and inject markdown of its own.
func Fence(text string) string {
	if strings.TrimSpace(text) == "" {
		text = "(empty)"
	}
	text = strings.ReplaceAll(text, "```", "`\\``")
	return "```text\n" + strings.TrimRight(text, "\n") + "\n```\n"
}
