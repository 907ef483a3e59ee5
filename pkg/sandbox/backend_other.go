//go:build !linux && !darwin

package sandbox

import (
	"fmt"
	"runtime"
)

// osBackend on other systems (Windows) is none: children run unconfined,
// and every report says so.
func osBackend() backend {
	return backend{available: Available}
}

// Available always reports that this OS has no sandbox CodexPro can use.
func Available() (level int, ok bool, why string) {
	return 0, false, fmt.Sprintf("%s has no OS sandbox CodexPro can use (Landlock is Linux-only, Seatbelt macOS-only): --sandbox auto means off, bash and agents run with your account's full access", runtime.GOOS)
}

func (p Policy) restrict() error {
	return fmt.Errorf("no sandbox on %s", runtime.GOOS)
}
