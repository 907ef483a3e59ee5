package procx

import (
	"fmt"
	"os/exec"
)

// Tree is a started child together with every process it spawns: a
// process group on Unix, a Job Object that kills its members when closed
// on Windows. Each OS supplies startTree, waitLeader, stop, kill, close
// and exitSignal in tree_<os>.go; nothing else in procx touches the OS.
type Tree struct {
	osTree
}

// StartTree starts cmd in a tree of its own. The caller must Close it,
// which on Windows also kills every member still running.
func StartTree(cmd *exec.Cmd) (*Tree, error) {
	prepare(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	t, err := attach(cmd)
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	return &Tree{t}, nil
}

// Terminate asks every member to stop (SIGTERM to the group on Unix).
// Windows has no such request for console processes, so there it kills.
func (t *Tree) Terminate() { t.stop() }

// Kill ends every member at once.
func (t *Tree) Kill() { t.kill() }

// Close releases what the tree holds. It does not wait for anything.
func (t *Tree) Close() { t.close() }
