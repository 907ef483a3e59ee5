package workspace

import (
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// linkCount asks GetFileInformationByHandle for the number of hard links
// of an open file (NTFS has them too).
func linkCount(f *os.File, _ fs.FileInfo) (uint64, bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, false
	}
	var info windows.ByHandleFileInformation
	var ierr error
	if err := rc.Control(func(fd uintptr) { ierr = windows.GetFileInformationByHandle(windows.Handle(fd), &info) }); err != nil || ierr != nil {
		return 0, false
	}
	return uint64(info.NumberOfLinks), true
}
