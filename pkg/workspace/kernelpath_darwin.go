package workspace

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// pathOf asks fcntl(F_GETPATH), which fills a MAXPATHLEN buffer. x/sys has
// no pointer-taking wrapper for that command, so the buffer goes through
// the one that passes a pointer unchanged (FcntlFlock).
func pathOf(fd uintptr) (string, error) {
	buf := make([]byte, unix.PathMax)
	if err := unix.FcntlFlock(fd, unix.F_GETPATH, (*unix.Flock_t)(unsafe.Pointer(&buf[0]))); err != nil {
		return "", err
	}
	return unix.ByteSliceToString(buf), nil
}
