//go:build unix

package procx

import (
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/unix"
)

// osTree is the child's process group; its id is the leader's pid.
type osTree struct{ pgid int }

func prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
}

func attach(cmd *exec.Cmd) (osTree, error) { return osTree{pgid: cmd.Process.Pid}, nil }

// waitLeader blocks until the leader has exited without reaping it, so its
// pid (the group id) stays reserved while the rest of the group is killed.
func (t osTree) waitLeader() { waitExited(t.pgid) }

func (t osTree) stop()  { _ = unix.Kill(-t.pgid, unix.SIGTERM) }
func (t osTree) kill()  { _ = unix.Kill(-t.pgid, unix.SIGKILL) }
func (t osTree) close() {}

// exitSignal names the signal that ended the process, "" when it exited.
func exitSignal(st *os.ProcessState) string {
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return unix.SignalName(ws.Signal())
	}
	return ""
}
