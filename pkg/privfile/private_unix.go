//go:build unix

package privfile

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// CheckPrivate refuses p unless no group/other write bit is set and the
// current user owns it.
func CheckPrivate(p string, fi fs.FileInfo) error {
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("refusing %s: mode %04o lets other users modify it (chmod go-w)", p, fi.Mode().Perm())
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("refusing %s: owned by uid %d, not by you (uid %d)", p, st.Uid, os.Getuid())
	}
	return nil
}
