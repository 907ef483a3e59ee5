package procx

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// sZomb is p_stat of a process that exited and awaits its reaper
// (SZOMB in <sys/proc.h>).
const sZomb = 5

// Alive reports whether pid is a running process: kill(pid, 0) succeeds or
// fails with EPERM (someone else's), and the kernel does not list a zombie.
func Alive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := unix.Kill(pid, 0); err != nil && !errors.Is(err, unix.EPERM) {
		return false
	}
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil {
		return true
	}
	return kp.Proc.P_stat != sZomb
}

// Stop asks pid to exit (SIGTERM); the process may clean up first.
func Stop(pid int) error { return unix.Kill(pid, unix.SIGTERM) }

// Program returns pid's command name as the kernel records it (the first
// 16 bytes of its executable's base name).
func Program(pid int) (string, error) {
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil {
		return "", err
	}
	if kp.Proc.P_pid != int32(pid) {
		return "", fmt.Errorf("no process %d", pid)
	}
	return unix.ByteSliceToString(kp.Proc.P_comm[:]), nil
}
