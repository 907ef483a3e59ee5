package tools

import (
	"fmt"
	"strings"
)

// bashTranscript renders the text content: compact (default) summarises,
// full includes both streams. Structured content always has both.
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
	fmt.Fprintf(&b, "Output: stdout %d lines, stderr %d lines.\n", lineCount(o.Stdout), lineCount(o.Stderr))
	if o.TimedOut || o.Flooded {
		b.WriteString(lastLine(o.Stderr) + "\n")
	}
	b.WriteString("The structured result has stdout and stderr; start with --bash-transcript full to see them here.")
	return b.String()
}

func lineCount(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(strings.TrimSuffix(s, "\n"), "\n") + 1
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
