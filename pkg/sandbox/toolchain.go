package sandbox

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
)

// Toolchain is what a confined child needs to keep building Go code.
type Toolchain struct {
	Read  []string // GOROOT, GOMODCACHE: add to Policy.ReadDirs
	Write []string // GOCACHE: add to Policy.WriteDirs
	// Env pins the same locations in the child's environment, so a child
	// with another HOME does not go looking for a cache it may not touch.
	Env []string
}

// GoToolchain asks the go command where its toolchain, module cache and
// build cache live. Without go on PATH it returns an empty Toolchain.
func GoToolchain() (Toolchain, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return Toolchain{}, nil
	}
	out, err := exec.Command(goBin, "env", "-json", "GOROOT", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		return Toolchain{}, fmt.Errorf("go env: %w", err)
	}
	var v struct{ GOROOT, GOMODCACHE, GOCACHE string }
	if err := json.Unmarshal(out, &v); err != nil {
		return Toolchain{}, fmt.Errorf("parse go env output: %w", err)
	}
	var tc Toolchain
	for _, kv := range [][2]string{{"GOROOT", v.GOROOT}, {"GOMODCACHE", v.GOMODCACHE}} {
		if kv[1] != "" {
			tc.Read = append(tc.Read, kv[1])
			tc.Env = append(tc.Env, kv[0]+"="+kv[1])
		}
	}
	if v.GOCACHE != "" && v.GOCACHE != "off" {
		tc.Write = append(tc.Write, v.GOCACHE)
		tc.Env = append(tc.Env, "GOCACHE="+v.GOCACHE)
	}
	return tc, nil
}

// HomeToolchainDirs lists per-user toolchain installs under home that a
// confined child may read and execute: rustup, nvm, pyenv, bun, user-level
// Python packages and binaries, and cargo's bin and registry (not ~/.cargo
// itself, which holds credentials.toml).
func HomeToolchainDirs(home string) []string {
	if home == "" {
		return nil
	}
	rel := []string{".cargo/bin", ".cargo/registry", ".rustup", ".nvm", ".pyenv", ".bun/bin", ".local/bin", ".local/lib"}
	out := make([]string, 0, len(rel))
	for _, r := range rel {
		out = append(out, filepath.Join(home, r))
	}
	return out
}
