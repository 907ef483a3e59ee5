package search

import "codexpro.dev/pkg/procx"

// cpuTime is this process's user plus system CPU time in nanoseconds.
func cpuTime() int64 { return int64(procx.CPUTime()) }
