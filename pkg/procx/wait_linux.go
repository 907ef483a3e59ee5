package procx

import (
	"errors"

	"golang.org/x/sys/unix"
)

// waitExited blocks until pid has exited without reaping it (WNOWAIT).
func waitExited(pid int) {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if !errors.Is(err, unix.EINTR) {
			return
		}
	}
}
