package procx

import (
	"errors"

	"golang.org/x/sys/unix"
)

// waitExited blocks until pid has exited without reaping it: macOS has no
// waitid(WNOWAIT) in x/sys, so a kqueue NOTE_EXIT event reports the exit
// and leaves the zombie for cmd.Wait. A pid that already exited fails the
// registration (ESRCH), which means the same thing.
func waitExited(pid int) {
	kq, err := unix.Kqueue()
	if err != nil {
		return
	}
	defer unix.Close(kq)
	ev := []unix.Kevent_t{{Ident: uint64(pid), Filter: unix.EVFILT_PROC, Flags: unix.EV_ADD | unix.EV_ONESHOT, Fflags: unix.NOTE_EXIT}}
	out := make([]unix.Kevent_t, 1)
	for {
		_, err := unix.Kevent(kq, ev, out, nil)
		if !errors.Is(err, unix.EINTR) {
			return
		}
		ev = nil // registered; wait only
	}
}
