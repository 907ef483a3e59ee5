//go:build linux

package procx

import (
	"errors"

	"golang.org/x/sys/unix"
)

// waitExited blocks until pid has exited without reaping it (WNOWAIT), so
// the pid stays reserved while Run kills the rest of its group.
func waitExited(pid int) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			return
		}
	}
}

func signalName(s unix.Signal) string { return unix.SignalName(s) }
