package workspace

import (
	"os"
	"runtime"
	"strings"
)

// kernelPath asks the OS where an open file really is (kernelpath_<os>.go:
// /proc/self/fd on Linux, F_GETPATH on macOS, GetFinalPathNameByHandle on
// Windows). It is the post-open half of the guard: a symlink swapped in
// between the check and the open shows up here. Control is used instead of
// File.Fd, which would switch a descriptor to blocking mode.
func kernelPath(f *os.File) (string, bool) {
	rc, err := f.SyscallConn()
	if err != nil {
		return "", false
	}
	var p string
	var perr error
	if err := rc.Control(func(fd uintptr) { p, perr = pathOf(fd) }); err != nil || perr != nil || p == "" {
		return "", false
	}
	return p, true
}

// kernelRoot is the kernel's name for the root directory, so kernelPath
// answers compare like with like even where it spells a path differently
// from filepath.EvalSymlinks (letter case on macOS and Windows, firmlinks).
// real is the fallback when the OS cannot say.
func kernelRoot(r *os.Root, real string) string {
	d, err := r.Open(".")
	if err != nil {
		return real
	}
	defer d.Close()
	if p, ok := kernelPath(d); ok {
		return p
	}
	return real
}

// samePath compares two kernel-reported paths; the default file systems of
// macOS and Windows ignore letter case, so a path typed as "Src/x" that the
// kernel reports as "src/x" is the same file.
func samePath(a, b string) bool {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		return strings.EqualFold(a, b)
	}
	return a == b
}
