package workspace

import (
	"os"
	"strconv"
)

// kernelPath asks /proc where an open descriptor points. Control avoids
// File.Fd, which would switch the descriptor to blocking mode.
func kernelPath(f *os.File) (string, bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return "", false
	}
	var p string
	var rerr error
	if err := rc.Control(func(fd uintptr) {
		p, rerr = os.Readlink("/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10))
	}); err != nil || rerr != nil {
		return "", false
	}
	return p, true
}
