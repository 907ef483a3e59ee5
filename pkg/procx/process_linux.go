package procx

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Alive reports whether pid is a running process: kill(pid, 0) succeeds or
// fails with EPERM (someone else's), and procfs does not show a zombie.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := unix.Kill(pid, 0); err != nil && !errors.Is(err, unix.EPERM) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // procfs not mounted: kill(0) is all there is
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(after, "Z")
}

// Stop asks pid to exit (SIGTERM); the process may clean up first.
func Stop(pid int) error { return unix.Kill(pid, unix.SIGTERM) }

// Program returns the base name of pid's argv[0].
func Program(pid int) (string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return "", err
	}
	argv0, _, _ := strings.Cut(string(b), "\x00")
	return filepath.Base(argv0), nil
}
