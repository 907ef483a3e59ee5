package procx

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// osTree is a Job Object that kills every member when its last handle
// closes, plus a handle on the leader to wait for it. Processes the child
// starts join the job at creation, so a grandchild cannot outlive Close.
type osTree struct {
	job, leader windows.Handle
}

// prepare gives the child its own console process group so a Ctrl-C meant
// for the parent is not delivered to it as well.
func prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.CreationFlags |= windows.CREATE_NEW_PROCESS_GROUP
}

func attach(cmd *exec.Cmd) (osTree, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return osTree{}, fmt.Errorf("create job object: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return osTree{}, fmt.Errorf("set kill-on-close on job object: %w", err)
	}
	leader, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE|windows.SYNCHRONIZE|windows.PROCESS_QUERY_LIMITED_INFORMATION,
		false, uint32(cmd.Process.Pid))
	if err != nil {
		windows.CloseHandle(job)
		return osTree{}, fmt.Errorf("open process %d: %w", cmd.Process.Pid, err)
	}
	if err := windows.AssignProcessToJobObject(job, leader); err != nil {
		windows.CloseHandle(leader)
		windows.CloseHandle(job)
		return osTree{}, fmt.Errorf("assign process %d to its job object: %w", cmd.Process.Pid, err)
	}
	return osTree{job: job, leader: leader}, nil
}

// waitLeader blocks until the leader exits; the open handle keeps its pid
// from being reused meanwhile.
func (t osTree) waitLeader() { _, _ = windows.WaitForSingleObject(t.leader, windows.INFINITE) }

func (t osTree) stop() { t.kill() }
func (t osTree) kill() { _ = windows.TerminateJobObject(t.job, 1) }

func (t osTree) close() {
	windows.CloseHandle(t.job) // kill-on-close ends any member left
	windows.CloseHandle(t.leader)
}

// exitSignal is always "": Windows processes end with an exit code only.
func exitSignal(*os.ProcessState) string { return "" }
