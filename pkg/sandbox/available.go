package sandbox

import (
	"fmt"

	llsys "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// Available probes the kernel for Landlock and returns its ABI version, or
// why it cannot be used (not Linux, not built in, disabled at boot).
func Available() (abi int, ok bool, why string) {
	v, err := llsys.LandlockGetABIVersion()
	if err != nil {
		return 0, false, fmt.Sprintf("landlock ABI probe failed: %v (kernel without Landlock, or not in the lsm= boot list)", err)
	}
	if v < 1 {
		return v, false, fmt.Sprintf("landlock ABI %d reported", v)
	}
	return v, true, ""
}
