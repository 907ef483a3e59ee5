package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
)

// MaybeExec must be the first call in main of every binary that runs
// confined children (mcpd, handoff, and test binaries through TestMain).
// When argv[1] is ExecMarker it applies the encoded policy to this process
// and execs the target, never returning; otherwise it returns at once.
func MaybeExec() {
	if len(os.Args) < 2 || os.Args[1] != ExecMarker {
		return
	}
	err := confinedExec(os.Args[2:])
	fmt.Fprintf(os.Stderr, "codexpro sandbox: %v\n", err)
	os.Exit(126)
}

// confinedExec parses "<policy-json> -- argv...", restricts itself and execs.
func confinedExec(args []string) error {
	if len(args) < 3 || args[1] != "--" {
		return fmt.Errorf("usage: %s <policy> -- command [args...]", ExecMarker)
	}
	var p Policy
	if err := json.Unmarshal([]byte(args[0]), &p); err != nil {
		return fmt.Errorf("decode policy: %w", err)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	argv := args[2:]
	// Resolve before restricting: PATH directories outside the allow-list
	// must not make lookup itself fail with a confusing EACCES.
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return fmt.Errorf("find %s: %w", argv[0], err)
	}
	if err := p.restrict(); err != nil {
		return err
	}
	if err := replaceProcess(path, argv); err != nil {
		return fmt.Errorf("exec %s: %w", path, err)
	}
	return nil
}
