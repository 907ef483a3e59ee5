//go:build unix

package sandbox

import (
	"os"
	"syscall"
)

// replaceProcess execs path in place of this (now confined) process, so the
// restriction applies to it and everything it starts.
func replaceProcess(path string, argv []string) error {
	return syscall.Exec(path, argv, os.Environ())
}
