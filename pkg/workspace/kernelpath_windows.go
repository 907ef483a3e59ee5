package workspace

import (
	"strings"

	"golang.org/x/sys/windows"
)

// GetFinalPathNameByHandle flags (both zero: the defaults, spelled out).
const (
	fileNameNormalized = 0x0
	volumeNameDOS      = 0x0
)

// pathOf asks GetFinalPathNameByHandle for the normalized DOS path (long
// names, symlinks and junctions resolved) and drops the \\?\ prefix it
// carries: \\?\C:\x becomes C:\x and \\?\UNC\srv\share\x becomes
// \\srv\share\x, the forms filepath produces.
func pathOf(fd uintptr) (string, error) {
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n, err := windows.GetFinalPathNameByHandle(windows.Handle(fd), &buf[0], uint32(len(buf)), fileNameNormalized|volumeNameDOS)
	if err != nil {
		return "", err
	}
	if int(n) >= len(buf) {
		return "", windows.ERROR_INSUFFICIENT_BUFFER
	}
	p := windows.UTF16ToString(buf[:n])
	if rest, ok := strings.CutPrefix(p, `\\?\UNC\`); ok {
		return `\\` + rest, nil
	}
	return strings.TrimPrefix(p, `\\?\`), nil
}
