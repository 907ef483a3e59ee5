package workspace

import (
	"os"
	"strconv"
)

// pathOf reads the descriptor's /proc link.
func pathOf(fd uintptr) (string, error) {
	return os.Readlink("/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10))
}
