//go:build !linux

package e2e

import (
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// ptyProc is driven only on Linux (pty_linux_test.go); elsewhere the tests
// that need a terminal skip.
type ptyProc struct{}

func startPTY(t *testing.T, _ *exec.Cmd) *ptyProc {
	t.Skip("the terminal tests drive Linux pseudo-terminals")
	return nil
}

func (p *ptyProc) output() string                                            { return "" }
func (p *ptyProc) expect(*testing.T, *regexp.Regexp, time.Duration) []string { return nil }
func (p *ptyProc) send(*testing.T, string)                                   {}
func (p *ptyProc) wait(*testing.T, time.Duration) int                        { return 0 }
