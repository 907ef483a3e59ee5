package sandbox

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
)

// Toolchain is what a confined child needs to keep building code and
// using git: where the toolchains live, the configuration files they read
// and the caches they write. It never names a credential file.
type Toolchain struct {
	Home      string   // the user's home (Policy.Home)
	Read      []string // GOROOT, GOMODCACHE, per-user toolchain installs: Policy.ReadDirs
	ReadFiles []string // toolchain configuration files: Policy.ReadFiles
	Write     []string // build and package caches: Policy.WriteDirs (created before confinement)
	// Env pins the Go locations in the child's environment, so a child
	// does not go looking for a cache it may not touch.
	Env []string
}

// Apply adds the toolchain to p.
func (p Policy) Apply(tc Toolchain) Policy {
	p.Home = tc.Home
	p.ReadDirs = slices.Concat(p.ReadDirs, tc.Read)
	p.ReadFiles = slices.Concat(p.ReadFiles, tc.ReadFiles)
	p.WriteDirs = slices.Concat(p.WriteDirs, tc.Write)
	return p
}

// Toolchains detects the toolchains of the current user (HOME, and go on
// PATH when there is one). A go that fails to answer is an error.
func Toolchains() (Toolchain, error) {
	home, _ := os.UserHomeDir()
	tc := HomeToolchain(home, os.Getenv)
	// A cache is created only for a tool that is installed, so a bash call
	// does not leave ~/.npm behind on a machine without npm.
	for _, c := range [][2]string{{"npm", ".npm"}, {"pip3", ".cache/pip"}, {"pip", ".cache/pip"}} {
		if _, err := exec.LookPath(c[0]); err == nil && tc.Home != "" && !slices.Contains(tc.Write, filepath.Join(home, c[1])) {
			tc.Write = append(tc.Write, filepath.Join(home, c[1]))
		}
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return tc, nil
	}
	out, err := exec.Command(goBin, "env", "-json", "GOROOT", "GOMODCACHE", "GOCACHE", "GOENV").Output()
	if err != nil {
		return Toolchain{}, fmt.Errorf("go env: %w", err)
	}
	var v struct{ GOROOT, GOMODCACHE, GOCACHE, GOENV string }
	if err := json.Unmarshal(out, &v); err != nil {
		return Toolchain{}, fmt.Errorf("parse go env output: %w", err)
	}
	return tc.withGo(v.GOROOT, v.GOMODCACHE, v.GOCACHE, v.GOENV), nil
}

func (tc Toolchain) withGo(goroot, modcache, cache, goenv string) Toolchain {
	for _, kv := range [][2]string{{"GOROOT", goroot}, {"GOMODCACHE", modcache}} {
		if filepath.IsAbs(kv[1]) {
			tc.Read = append(tc.Read, kv[1])
			tc.Env = append(tc.Env, kv[0]+"="+kv[1])
		}
	}
	if filepath.IsAbs(cache) {
		tc.Write = append(tc.Write, cache)
		tc.Env = append(tc.Env, "GOCACHE="+cache)
	}
	if filepath.IsAbs(goenv) {
		tc.ReadFiles = append(tc.ReadFiles, goenv)
	}
	return tc
}

// HomeToolchain lists what lives under home: per-user toolchain installs
// (rustup, nvm, pyenv, bun, user-level Python, cargo's bin and registry but
// not ~/.cargo itself, which holds credentials.toml), configuration files
// (git's global and XDG config, cargo's and pip's config), and package
// caches (npm, pip: added by Toolchains when the tool is installed).
// Deliberately absent: ~/.npmrc (npm login writes its
// token there), ~/.config/git/credentials, ~/.git-credentials, ~/.netrc.
func HomeToolchain(home string, getenv func(string) string) Toolchain {
	if home == "" || !filepath.IsAbs(home) {
		return Toolchain{}
	}
	in := func(rel ...string) []string {
		out := make([]string, len(rel))
		for i, r := range rel {
			out[i] = filepath.Join(home, r)
		}
		return out
	}
	xdg := getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(xdg) {
		xdg = filepath.Join(home, ".config")
	}
	tc := Toolchain{Home: home,
		Read:      in(".cargo/bin", ".cargo/registry", ".rustup", ".nvm", ".pyenv", ".bun/bin", ".local/bin", ".local/lib"),
		ReadFiles: in(".gitconfig", ".cargo/config.toml", ".cargo/config", ".pip/pip.conf"),
	}
	for _, f := range []string{"git/config", "git/ignore", "git/attributes", "pip/pip.conf"} {
		tc.ReadFiles = append(tc.ReadFiles, filepath.Join(xdg, f))
	}
	return tc
}
