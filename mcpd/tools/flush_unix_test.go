//go:build unix

package tools

import "golang.org/x/sys/unix"

// flushWrites pushes dirty pages to disk so their writeback does not slow
// the timed calls that follow.
func flushWrites() { unix.Sync() }
