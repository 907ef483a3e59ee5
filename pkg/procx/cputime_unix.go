//go:build unix

package procx

import (
	"time"

	"golang.org/x/sys/unix"
)

// CPUTime is this process's user plus system CPU time so far, steadier
// than wall time for benchmarks on a shared machine; 0 if unknown.
func CPUTime() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
