package handoff

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"codexpro.dev/pkg/redact"
)

// ErrInterrupted ends a run stopped by Ctrl-C (or SIGTERM); the CLI turns
// it into exit code 130 and the single word "interrupted".
var ErrInterrupted = errors.New("interrupted")

// ExitInterrupted is the shell's code for a process ended by SIGINT.
const ExitInterrupted = 130

// failureTail is how many of a failed child's last stderr lines are shown.
const failureTail = 5

// failure says why a child failed, in words a user reads without a
// terminal: how it ended ("reviewer timed out after 2000 ms", "agent
// exited with code 2") and the last lines of its stderr, redacted. It is ""
// when the child succeeded.
func failure(role string, code int, signal string, timedOut bool, timeout time.Duration, startErr, stderr string) string {
	var how string
	switch {
	case startErr != "":
		how = fmt.Sprintf("%s did not run: %s", role, startErr)
	case timedOut:
		how = fmt.Sprintf("%s timed out after %d ms", role, timeout.Milliseconds())
	case signal != "":
		how = fmt.Sprintf("%s was killed by %s", role, signal)
	case code != 0:
		how = fmt.Sprintf("%s exited with code %d", role, code)
	default:
		return ""
	}
	tail := lastLines(redact.Text(stderr), failureTail)
	if tail == "" {
		return how
	}
	return how + "; last stderr lines:\n  | " + strings.ReplaceAll(tail, "\n", "\n  | ")
}

// lastLines is the last n non-empty lines of s, without handoff's own
// timeout note (the first line already says it timed out).
func lastLines(s string, n int) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimRight(l, "\r \t"); l != "" && !strings.HasPrefix(l, "[handoff] ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep[max(0, len(keep)-n):], "\n")
}
