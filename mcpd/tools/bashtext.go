package tools

import (
	"fmt"
	"strings"
)

// Bounds of the output tails in a compact transcript: enough for a failing
// test's name and its assertion, small enough to keep the text part short.
const (
	tailLines = 40
	tailBytes = 4_000
	// shortLines: output this short is shown whole even on success, since
	// the answer to "what did it print" is then the output itself.
	shortLines = 20
)

// bashTranscript renders the text content, for clients that read only the
// text. full includes both streams (already redacted and capped);
// compact includes the last lines of stderr and stdout whenever the
// command failed or its output is short, and otherwise only their size.
// Structured content always has both streams.
func bashTranscript(mode string, o bashOut) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Bash\n\n`%s`\n\nCWD: %s\nExit: %d", o.Command, o.Cwd, o.ExitCode)
	if o.Signal != "" {
		fmt.Fprintf(&b, " (%s)", o.Signal)
	}
	fmt.Fprintf(&b, "\nDuration: %d ms\nSandbox: %s\n", o.DurationMs, o.Sandbox)
	if mode == "full" {
		fmt.Fprintf(&b, "\n```\n$ %s\n```\n\n## stdout\n\n```\n%s\n```\n\n## stderr\n\n```\n%s\n```", o.Command, o.Stdout, o.Stderr)
		return b.String()
	}
	failed := o.ExitCode != 0 || o.Signal != "" || o.TimedOut || o.Flooded
	short := lineCount(o.Stdout)+lineCount(o.Stderr) <= shortLines && len(o.Stdout)+len(o.Stderr) <= tailBytes
	if !failed && !short {
		fmt.Fprintf(&b, "Output: stdout %d lines, stderr %d lines; the structured result has them (--bash-transcript full shows them here).", lineCount(o.Stdout), lineCount(o.Stderr))
		return b.String()
	}
	writeTail(&b, "stderr", o.Stderr)
	writeTail(&b, "stdout", o.Stdout)
	return strings.TrimRight(b.String(), "\n")
}

// writeTail adds the last lines of one stream, saying how much was left out.
func writeTail(b *strings.Builder, name, s string) {
	total := lineCount(s)
	if total == 0 {
		return
	}
	t, kept := tail(s)
	if kept < total {
		fmt.Fprintf(b, "\n## %s (last %d of %d lines)\n\n```\n%s\n```\n", name, kept, total, t)
		return
	}
	fmt.Fprintf(b, "\n## %s\n\n```\n%s\n```\n", name, t)
}

// tail returns the last tailLines lines of s within tailBytes, and how many
// lines that is. A single line longer than the budget keeps its end.
func tail(s string) (string, int) {
	s = strings.TrimRight(s, "\n")
	lines := strings.Split(s, "\n")
	start, size := len(lines), 0
	for start > 0 && len(lines)-start < tailLines {
		n := len(lines[start-1]) + 1
		if size+n > tailBytes {
			break
		}
		size += n
		start--
	}
	if start == len(lines) { // the last line alone is over budget
		last := lines[len(lines)-1]
		return "…" + strings.ToValidUTF8(last[len(last)-tailBytes:], ""), 1
	}
	return strings.Join(lines[start:], "\n"), len(lines) - start
}

func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1
}
